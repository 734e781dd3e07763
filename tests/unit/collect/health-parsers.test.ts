// The health parsers against tool outputs: smartctl JSON of a SATA SSD, an NVMe SSD, a failing
// HDD and an unsupported device; a degraded ZFS pool; a degraded mdraid array; failed units.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { parseMdstat } from "../../../src/collect/linux/health-mdraid.ts";
import { parseSmartctlDevice, parseSmartctlScan } from "../../../src/collect/linux/health-smart.ts";
import { parseFailedUnits } from "../../../src/collect/linux/health-units.ts";
import { parseZpoolStatus } from "../../../src/collect/linux/health-zfs.ts";
import { DiskHealthSchema, PoolSchema } from "../../../src/protocol/index.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/health");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

describe("smartctl --json", () => {
  test("the scan lists each device with the type to open it with", () => {
    expect(parseSmartctlScan(fixture("smartctl-scan.json"))).toEqual([
      { name: "/dev/sda", type: "sat" },
      { name: "/dev/nvme0", type: "nvme" },
    ]);
  });

  test("a healthy SATA SSD: verdict, temperature, hours, wear from Wear_Leveling_Count", () => {
    const disk = parseSmartctlDevice(fixture("smartctl-sata.json"), "/dev/sda");
    expect(disk).toEqual({
      device: "/dev/sda",
      kind: "sat",
      model: "Samsung SSD 870 EVO 1TB",
      serial: "S6PUNX0T123456A",
      ok: true,
      celsius: 34,
      power_on_hours: 17526,
      wear_pct: 3,
      reallocated_sectors: 0,
      pending_sectors: null,
      media_errors: null,
      error: null,
    });
    expect(v.is(DiskHealthSchema, disk)).toBe(true);
  });

  test("a healthy NVMe SSD: percentage used, media errors; no sector counts", () => {
    const disk = parseSmartctlDevice(fixture("smartctl-nvme.json"), "/dev/nvme0");
    expect(disk).toMatchObject({
      device: "/dev/nvme0",
      kind: "nvme",
      model: "WD Red SN700 1000GB",
      ok: true,
      celsius: 41,
      power_on_hours: 9120,
      wear_pct: 3,
      reallocated_sectors: null,
      pending_sectors: null,
      media_errors: 0,
      error: null,
    });
  });

  test("a failing HDD: the verdict is false, with its bad sectors", () => {
    const disk = parseSmartctlDevice(fixture("smartctl-failing.json"), "/dev/sdb");
    expect(disk).toMatchObject({
      device: "/dev/sdb",
      ok: false,
      celsius: 38,
      power_on_hours: 48213,
      reallocated_sectors: 3768,
      pending_sectors: 520,
      media_errors: 520,
      wear_pct: null,
      error: null,
    });
  });

  test("a device smartctl cannot open: no verdict, smartctl's own message", () => {
    const disk = parseSmartctlDevice(fixture("smartctl-unsupported.json"), "/dev/vda");
    expect(disk.ok).toBeNull();
    expect(disk.error).toBe("/dev/vda: Unable to detect device type");
    expect(v.is(DiskHealthSchema, disk)).toBe(true);
  });

  test("odd JSON values are dropped, never trusted", () => {
    const disk = parseSmartctlDevice(
      JSON.stringify({
        smart_status: { passed: "yes" },
        temperature: { current: -5 },
        power_on_time: { hours: -3 },
        nvme_smart_health_information_log: { percentage_used: 400, media_errors: "many" },
      }),
      "/dev/nvme1",
    );
    expect(disk).toMatchObject({
      device: "/dev/nvme1",
      ok: null,
      celsius: null,
      power_on_hours: null,
      wear_pct: 255,
      media_errors: null,
    });
    expect(v.is(DiskHealthSchema, disk)).toBe(true);
  });

  test("text that is not JSON throws (the reader turns it into the disk's error)", () => {
    expect(() => parseSmartctlDevice("smartctl: command not understood", "/dev/sda")).toThrow();
  });
});

describe("zpool status", () => {
  test("a degraded mirror resilvering, beside a healthy pool", () => {
    const pools = parseZpoolStatus(fixture("zpool-degraded.txt"));
    expect(pools).toEqual([
      {
        name: "rpool",
        kind: "zfs",
        state: "ONLINE",
        ok: true,
        level: null,
        devices: 1,
        failed_devices: 0,
        progress_pct: null,
        detail: null,
      },
      {
        name: "tank",
        kind: "zfs",
        state: "DEGRADED",
        ok: false,
        level: null,
        // Five data disks (one of them the replacement) and the log; the spare is not a member.
        devices: 6,
        failed_devices: 1,
        progress_pct: 33.52,
        detail:
          "One or more devices is currently being resilvered.  The pool will continue to function, possibly in a degraded state.",
      },
    ]);
    for (const pool of pools) expect(v.is(PoolSchema, pool)).toBe(true);
  });

  test("no pools", () => {
    expect(parseZpoolStatus("no pools available\n")).toEqual([]);
  });
});

describe("/proc/mdstat", () => {
  test("a healthy RAID1, a degraded RAID5 in recovery, an inactive array", () => {
    const pools = parseMdstat(fixture("mdstat-degraded"));
    expect(pools.map((p) => [p.name, p.state, p.ok, p.level, p.devices, p.failed_devices])).toEqual(
      [
        ["md0", "active", true, "raid1", 2, 0],
        ["md1", "degraded", false, "raid5", 3, 1],
        ["md127", "inactive", false, null, 0, 0],
      ],
    );
    expect(pools[1]?.progress_pct).toBe(28.5);
    expect(pools[1]?.detail).toBe("2 of 3 members working [UU_], recovery 28.5% done");
    expect(pools[2]?.detail).toBe("array is inactive");
    for (const pool of pools) expect(v.is(PoolSchema, pool)).toBe(true);
  });

  test("node_exporter's mdstat from real machines: degraded only with fewer members working", () => {
    const text = readFileSync(
      join(import.meta.dir, "../../fixtures/linux/node-exporter/proc/mdstat"),
      "utf8",
    );
    const pools = new Map(parseMdstat(text).map((p) => [p.name, p]));
    expect(pools.size).toBe(17);
    for (const pool of pools.values()) expect(v.is(PoolSchema, pool)).toBe(true);
    const seen = (name: string) => {
      const p = pools.get(name);
      return [p?.state, p?.ok, p?.level, p?.devices, p?.failed_devices];
    };
    expect(seen("md3")).toEqual(["active", true, "raid6", 8, 0]); // spares are not members
    expect(seen("md6")).toEqual(["degraded", false, "raid1", 2, 1]);
    expect(pools.get("md6")?.progress_pct).toBe(8.5);
    expect(seen("md7")).toEqual(["degraded", false, "raid6", 4, 1]);
    expect(seen("md8")).toEqual(["resync", true, "raid1", 2, 0]);
    expect(seen("md201")).toEqual(["check", true, "raid1", 2, 0]);
    expect(seen("md4")).toEqual(["inactive", false, "raid1", 2, 1]);
    expect(seen("md219")).toEqual(["inactive", false, null, 0, 0]);
    expect(seen("md10")).toEqual(["active", true, "raid0", 2, 0]);
    expect(seen("md120")).toEqual(["active", true, "linear", 2, 0]);
    // Whole, but two dead disks are still listed: not degraded, still a problem, named.
    expect(seen("md9")).toEqual(["active", false, "raid1", 4, 2]);
    expect(pools.get("md9")?.detail).toBe(
      "4 of 4 members working [UUUU]; failed and still listed: sde, sdf (replace, then remove)",
    );
  });

  test("no arrays", () => {
    expect(parseMdstat("Personalities : \nunused devices: <none>\n")).toEqual([]);
  });
});

describe("systemctl --failed --output=json", () => {
  test("each failed unit with its states and description", () => {
    expect(parseFailedUnits(fixture("systemctl-failed.json"))).toEqual([
      {
        name: "backup-nightly.service",
        description: "Nightly restic backup",
        load: "loaded",
        active: "failed",
        sub: "failed",
      },
      {
        name: "pve-daily-update.service",
        description: "Daily PVE download activities",
        load: "loaded",
        active: "failed",
        sub: "failed",
      },
    ]);
  });

  test("anything but a JSON array throws", () => {
    expect(() => parseFailedUnits('{"unit":"x"}')).toThrow("expected a JSON array");
    expect(() => parseFailedUnits("UNIT LOAD ACTIVE")).toThrow();
  });
});

// Real outputs from the lab VM (docs/LAB.md): smartctl 7.3 on QEMU's emulated SATA and NVMe disks
// (the second NVMe flagged failing by the host), OpenZFS 2.1.11, Linux 6.1's md, systemd 252.
describe("the lab host's real tool outputs", () => {
  test("--scan calls a SATA disk scsi; --scan-open, which opens it, says sat", () => {
    expect(parseSmartctlScan(fixture("lab-smartctl-scan.json"))).toEqual([
      { name: "/dev/sda", type: "scsi" },
      { name: "/dev/nvme0", type: "nvme" },
      { name: "/dev/nvme1", type: "nvme" },
    ]);
    expect(parseSmartctlScan(fixture("lab-smartctl-scan-open.json"))[0]).toEqual({
      name: "/dev/sda",
      type: "sat",
    });
  });

  test("a SATA disk, opened as smartctl finds it: its verdict, temperature and attributes", () => {
    expect(parseSmartctlDevice(fixture("lab-smartctl-sata.json"), "/dev/sda")).toEqual({
      device: "/dev/sda",
      kind: "sat",
      model: "LAB-SATA-SSD",
      serial: "HWMLABSATA01",
      ok: true,
      celsius: 31,
      power_on_hours: 1,
      wear_pct: null,
      reallocated_sectors: 0,
      pending_sectors: null,
      media_errors: null,
      error: null,
    });
  });

  test("the same disk forced to scsi: no verdict, and its temperature of 0 is not a reading", () => {
    const disk = parseSmartctlDevice(fixture("lab-smartctl-sata-as-scsi.json"), "/dev/sda");
    expect(disk).toMatchObject({ kind: "scsi", ok: null, celsius: null, model: null });
  });

  test("NVMe: a healthy one, and one whose critical warning is set (spare, reliability)", () => {
    const healthy = parseSmartctlDevice(fixture("lab-smartctl-nvme.json"), "/dev/nvme0");
    const failing = parseSmartctlDevice(fixture("lab-smartctl-nvme-failing.json"), "/dev/nvme1");
    const fields = (d: typeof healthy) => [d.model, d.ok, d.celsius, d.wear_pct, d.media_errors];
    expect(fields(healthy)).toEqual(["QEMU NVMe Ctrl", true, 50, 0, 0]);
    expect(fields(failing)).toEqual(["QEMU NVMe Ctrl", false, 50, 0, 0]);
    expect(failing.error).toBeNull();
  });

  test("ZFS: a mirror member whose label was wiped (UNAVAIL), then taken offline", () => {
    const unavailable = parseZpoolStatus(fixture("lab-zpool-degraded.txt"));
    expect(unavailable.map((p) => [p.name, p.state, p.ok, p.devices, p.failed_devices])).toEqual([
      ["backup", "ONLINE", true, 1, 0],
      ["tank", "DEGRADED", false, 2, 1],
    ]);
    expect(unavailable[1]?.detail).toStartWith(
      "One or more devices could not be used because the label is missing or invalid.",
    );
    const offline = parseZpoolStatus(fixture("lab-zpool-offline.txt"))[1];
    expect(offline).toMatchObject({ state: "DEGRADED", failed_devices: 1, progress_pct: null });
    expect(offline?.detail).toStartWith("One or more devices has been taken offline");
  });

  test("md: a RAID5 rebuilding onto a new member, a RAID1 with a failed one", () => {
    const pools = parseMdstat(fixture("lab-mdstat-degraded"));
    expect(pools.map((p) => [p.name, p.state, p.ok, p.level, p.devices, p.failed_devices])).toEqual(
      [
        ["md1", "degraded", false, "raid5", 3, 1],
        ["md0", "degraded", false, "raid1", 2, 1],
      ],
    );
    expect(pools[0]?.detail).toBe("2 of 3 members working [UU_], recovery 4.7% done");
    expect(pools[1]?.detail).toBe("1 of 2 members working [U_]");
  });

  test("systemd 252: the failed unit", () => {
    expect(parseFailedUnits(fixture("lab-systemctl-failed.json"))).toEqual([
      {
        name: "nightly-backup.service",
        description: "Nightly backup (fails on purpose in the lab)",
        load: "loaded",
        active: "failed",
        sub: "failed",
      },
    ]);
  });
});
