// mountinfo parsing and filtering, and filesystem sizes that are real or null.
import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import * as v from "valibot";
import {
  DiskReader,
  devNumber,
  readMountEntries,
  usageFromStatfs,
} from "../../../src/collect/linux/disks.ts";
import {
  decodeMountPath,
  isRealMount,
  parseMountinfo,
  parseProcMounts,
  selectMounts,
} from "../../../src/collect/linux/mounts.ts";
import { makeRoots } from "../../../src/collect/linux/roots.ts";
import { type Disk, DiskSchema } from "../../../src/protocol/index.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NODE_EXPORTER } from "./fixtures.ts";

describe("mountinfo", () => {
  test("decodes the kernel's octal escapes in mount points", () => {
    expect(decodeMountPath("/mnt/windows\\040share")).toBe("/mnt/windows share");
    expect(decodeMountPath("/a\\011b\\012c\\134d")).toBe("/a\tb\nc\\d");
    expect(decodeMountPath("/plain")).toBe("/plain");
    expect(decodeMountPath("/not\\an\\escape")).toBe("/not\\an\\escape");
  });

  test("node_exporter's mountinfo: fields, variable optional fields, escapes", () => {
    const entries = parseMountinfo(fixtureText(NODE_EXPORTER, "proc/1/mountinfo"));
    expect(entries).toHaveLength(32);
    expect(entries.find((e) => e.mount === "/")).toEqual({
      mount: "/",
      fs: "ext4",
      device: "/dev/dm-2",
      devId: "259:2",
    });
    // Mount 3148 has "[vsanDatastore]\040bafb..." in its path.
    expect(entries.some((e) => e.mount.includes("[vsanDatastore] bafb9e5a"))).toBe(true);
    expect(entries.some((e) => e.mount.includes("[vsanDatastore]\tbafb9e5a"))).toBe(true);
  });

  test("node_exporter: only real filesystems remain, bind mounts collapse", () => {
    const mounts = selectMounts(parseMountinfo(fixtureText(NODE_EXPORTER, "proc/1/mountinfo")));
    // /var/lib/kubelet pod volumes and /var/lib/containers are another tool's storage.
    expect(mounts.map((m) => [m.mount, m.fs])).toEqual([
      ["/", "ext4"],
      ["/boot", "ext2"],
    ]);
  });

  test("hand-made host: zfs, btrfs, nfs, cifs, sshfs kept; pseudo, container, snap mounts dropped", () => {
    const mounts = selectMounts(parseMountinfo(fixtureText(HANDMADE, "mounts/proc/1/mountinfo")));
    expect(mounts.map((m) => m.mount)).toEqual([
      "/",
      "/boot/efi",
      "/mnt/exfat",
      "/mnt/media", // btrfs subvolume /mnt/backups is the same filesystem: shortest mount point kept
      "/mnt/nas",
      "/mnt/sshfs",
      "/mnt/windows share",
      "/rpool",
      "/rpool/data",
      "/rpool/data/subvol-101-disk-0",
    ]);
    const byMount = new Map(mounts.map((m) => [m.mount, m]));
    expect(byMount.get("/")?.device).toBe("/dev/mapper/pve-root"); // not the /var/www bind mount
    expect(byMount.get("/mnt/nas")).toMatchObject({
      fs: "nfs4",
      device: "192.168.1.10:/export/nas",
    });
    expect(byMount.get("/mnt/windows share")?.device).toBe("//192.168.1.20/Share Name");
    expect(byMount.get("/rpool/data")).toMatchObject({ fs: "zfs", device: "rpool/data" });
  });

  test("path prefixes respect boundaries", () => {
    const entry = (mount: string) => ({ mount, fs: "ext4", device: "/dev/sdb1", devId: "8:17" });
    expect(isRealMount(entry("/dev"))).toBe(false);
    expect(isRealMount(entry("/dev/shm"))).toBe(false);
    expect(isRealMount(entry("/devel"))).toBe(true);
    expect(isRealMount(entry("/snapshots"))).toBe(true);
    expect(isRealMount(entry("/snap/core/1"))).toBe(false);
  });

  test("/proc/mounts fallback: no device ids, bind mounts collapse by source", () => {
    const entries = parseProcMounts(fixtureText(HANDMADE, "mounts/proc/mounts"));
    expect(entries.every((e) => e.devId === null)).toBe(true);
    expect(selectMounts(entries).map((m) => m.mount)).toEqual([
      "/",
      "/mnt/windows share",
      "/rpool",
    ]);
  });

  test("mount table source: pid 1's mountinfo, else self, else /proc/mounts", () => {
    expect(readMountEntries(`${NODE_EXPORTER}/proc`)).toHaveLength(32);
    const onlyMounts = readMountEntries(`${HANDMADE}/mounts/proc`);
    expect(onlyMounts.some((e) => e.mount === "/rpool")).toBe(true);
    expect(() => readMountEntries(`${HANDMADE}/old-kernel/proc`)).toThrow("mounts");
  });
});

describe("usage", () => {
  test("statfs numbers to bytes", () => {
    expect(usageFromStatfs({ bsize: 4096, blocks: 1000, bfree: 400, bavail: 300 })).toEqual({
      totalBytes: 4_096_000,
      usedBytes: 2_457_600,
      availableBytes: 1_228_800,
    });
  });

  test("device numbers as stat() reports them", () => {
    expect(devNumber("8:1")).toBe(2049);
    expect(devNumber("254:0")).toBe(65024);
    expect(devNumber("0:300")).toBe(((300 & 0xff) | ((300 & ~0xff) << 12)) >>> 0);
    expect(devNumber("259:2")).toBe(66306);
    expect(devNumber("garbage")).toBeNull();
    // The root filesystem of the machine running the tests, checked against the real stat().
    const root = readMountEntries("/proc")
      .filter((e) => e.mount === "/")
      .at(-1);
    if (root?.devId && /^(ext[234]|xfs|f2fs)$/.test(root.fs))
      expect(devNumber(root.devId)).toBe(statSync("/").dev);
  });

  test("a fixture's mount points are not this machine's filesystems: null sizes, never made-up ones", async () => {
    const disks = await new DiskReader(
      makeRoots(`${NODE_EXPORTER}/proc`, `${NODE_EXPORTER}/sys`),
    ).read();
    expect(disks.map((d) => d.mount)).toEqual(["/", "/boot"]);
    // "/" is 259:2 there; here, beside the fixture, it is whatever holds the checkout.
    const here = statSync(NODE_EXPORTER).dev;
    if (here !== devNumber("259:2")) expect(disks[0]?.total_bytes).toBeNull();
    expect(disks[1]).toMatchObject({ total_bytes: null, used_bytes: null, available_bytes: null });
  });

  test("local filesystems are read at once; network ones, which can hang, asynchronously", async () => {
    // node_exporter's host: ext4 and ext2 only. No promise, no timer.
    const local = new DiskReader(makeRoots(`${NODE_EXPORTER}/proc`, `${NODE_EXPORTER}/sys`)).read();
    expect(local).not.toBeInstanceOf(Promise);
    expect((local as Disk[]).map((d) => d.mount)).toEqual(["/", "/boot"]);
    // The hand-made host has NFS, CIFS, sshfs and ZFS: those go through the bounded async path.
    const mixed = new DiskReader(
      makeRoots(`${HANDMADE}/mounts/proc`, `${HANDMADE}/mounts/sys`),
    ).read();
    expect(mixed).toBeInstanceOf(Promise);
    const disks = await mixed;
    expect(disks.map((d) => d.mount)).toContain("/mnt/nas");
    for (const d of disks) expect(v.is(DiskSchema, d)).toBe(true);
  });

  test("this VM's capture validates; sizes are real or null", async () => {
    const disks = await new DiskReader(
      makeRoots(`${FIRECRACKER_VM}/proc`, `${FIRECRACKER_VM}/sys`),
    ).read();
    expect(disks.map((d) => d.mount)).toEqual(["/"]);
    for (const d of disks) expect(v.is(DiskSchema, d)).toBe(true);
  });

  test("the machine running the tests: every row validates, sizes add up", async () => {
    const disks = await new DiskReader(makeRoots()).read();
    for (const d of disks) {
      expect(v.is(DiskSchema, d)).toBe(true);
      if (d.total_bytes !== null && d.used_bytes !== null) {
        expect(d.total_bytes).toBeGreaterThan(0);
        expect(d.used_bytes).toBeLessThanOrEqual(d.total_bytes);
      }
    }
  });
});
