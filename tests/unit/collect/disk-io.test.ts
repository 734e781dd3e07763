// /proc/diskstats: whole disks only, device-mapper names, rates and busy share.
import { describe, expect, test } from "bun:test";
import {
  DiskIoReader,
  deviceKind,
  diskIoRates,
  kindFromName,
  parseDiskstats,
} from "../../../src/collect/linux/disk-io.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NODE_EXPORTER } from "./fixtures.ts";

describe("parseDiskstats", () => {
  test("counters in bytes (512-byte sectors) and busy milliseconds, for 14-, 18- and 20-column lines", () => {
    const all = parseDiskstats(fixtureText(NODE_EXPORTER, "proc/diskstats"));
    expect(all).toHaveLength(51);
    expect(all.find((d) => d.name === "sda")).toEqual({
      name: "sda",
      readBytes: 1003346126 * 512,
      writeBytes: 505697032 * 512,
      ioTicksMs: 9653880,
    });
    expect(all.find((d) => d.name === "sdc")?.ioTicksMs).toBe(10730);
  });
});

describe("whole disks only", () => {
  test("name heuristic when sysfs does not know the device", () => {
    const disk = ["sda", "vdb", "xvda", "nvme0n1", "mmcblk0", "md0", "md127", "dm-0", "sdaa"];
    const partition = [
      "sda1",
      "vdb2",
      "xvda1",
      "nvme0n1p1",
      "mmcblk0p2",
      "md0p1",
      "sdaa12",
      "hda3",
    ];
    const other = ["ram0", "loop7", "zram0", "sr0", "fd0"];
    for (const name of disk) expect([name, kindFromName(name)]).toEqual([name, "disk"]);
    for (const name of partition) expect([name, kindFromName(name)]).toEqual([name, "partition"]);
    for (const name of other) expect([name, kindFromName(name)]).toEqual([name, "other"]);
  });

  test("sysfs is authoritative when it knows the device", () => {
    const sysfs = `${HANDMADE}/nvme-dm/sys`;
    expect(deviceKind("nvme0n1p3", sysfs)).toBe("partition");
    expect(deviceKind("md0p1", sysfs)).toBe("partition");
    expect(deviceKind("dm-2", sysfs)).toBe("disk");
    expect(deviceKind("nvme2n1p1", sysfs)).toBe("partition"); // unknown to sysfs: heuristic
    expect(deviceKind("zram0", sysfs)).toBe("other");
  });

  test("node_exporter's machine: ram, loop, partitions, floppy and optical left out; dm names", () => {
    const reader = new DiskIoReader(`${NODE_EXPORTER}/proc`, `${NODE_EXPORTER}/sys`);
    expect(reader.read().map((d) => reader.label(d.name))).toEqual([
      "sda",
      "dm-0",
      "dm-1",
      "dm-2",
      "dm-3",
      "dm-4",
      "mpathA", // dm-5's /sys/block/dm-5/dm/name
      "mmcblk0",
      "vda",
      "nvme0n1",
      "sdb",
      "sdc",
    ]);
  });

  test("NVMe + LVM + md: mapper names, partitions from sysfs", () => {
    const reader = new DiskIoReader(`${HANDMADE}/nvme-dm/proc`, `${HANDMADE}/nvme-dm/sys`);
    expect(reader.read().map((d) => reader.label(d.name))).toEqual([
      "nvme0n1",
      "nvme1n1",
      "pve-root",
      "pve-swap",
      "dm-2",
      "md0",
      "sda",
    ]);
  });

  test("this VM: vda only (loop and zram are not disks)", () => {
    const reader = new DiskIoReader(`${FIRECRACKER_VM}/proc`, `${FIRECRACKER_VM}/sys`);
    expect(reader.read().map((d) => d.name)).toEqual(["vda"]);
  });
});

describe("diskIoRates", () => {
  const prev = [
    { name: "sda", readBytes: 1_000_000, writeBytes: 2_000_000, ioTicksMs: 10_000 },
    { name: "sdb", readBytes: 5_000_000, writeBytes: 5_000_000, ioTicksMs: 500 },
  ];

  test("bytes per second and busy share over a known interval", () => {
    const cur = [{ name: "sda", readBytes: 1_512_000, writeBytes: 2_000_000, ioTicksMs: 10_250 }];
    expect(diskIoRates(prev, cur, 500, (n) => `label-${n}`)).toEqual([
      {
        device: "label-sda",
        read_bps: 1_024_000,
        write_bps: 0,
        busy_pct: 50,
        read_total_bytes: 1_512_000,
        write_total_bytes: 2_000_000,
      },
    ]);
  });

  test("a counter reset (device re-attached) or a new device gives null rates, not negative ones", () => {
    const cur = [
      { name: "sdb", readBytes: 4_096, writeBytes: 8_192, ioTicksMs: 10 },
      { name: "sdc", readBytes: 1, writeBytes: 1, ioTicksMs: 1 },
    ];
    const [sdb, sdc] = diskIoRates(prev, cur, 1_000);
    expect(sdb).toMatchObject({
      read_bps: null,
      write_bps: null,
      busy_pct: null,
      read_total_bytes: 4_096,
    });
    expect(sdc).toMatchObject({ read_bps: null, write_bps: null, busy_pct: null });
  });

  test("busy share is clamped to 100", () => {
    const cur = [{ ...prev[0], name: "sda", ioTicksMs: 12_000 }];
    expect(diskIoRates(prev, cur as typeof prev, 1_000)[0]?.busy_pct).toBe(100);
  });
});
