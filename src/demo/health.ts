// The simulated hosts' slow sections: `health` (S.M.A.R.T. disks, ZFS pools, mdraid arrays,
// failed systemd units, and the sources a VM cannot read, with why) and `custom` (textfile
// metrics), as a real sender reports them (docs/HEALTH.md, docs/CUSTOM_METRICS.md).
import { unreadDisk } from "../collect/linux/health-smart.ts";
import type { Custom, DiskHealth, FailedUnit, Health, Pool } from "../protocol/index.ts";

/** What a host's health is like: a VM, a Proxmox host, a NAS whose disk is dying, a failed unit. */
export type HealthKind = "vm" | "hypervisor" | "failing-disk" | "failed-unit";

/** A real sender reads health every few minutes, not per snapshot. */
const HEALTH_MAX_AGE_MS = 5 * 60_000;

const NO_ZFS = "not available: zpool is not installed (not found on PATH)";
const NO_MDRAID = "not available: no /proc/mdstat (the md driver is not loaded)";
const VM_SMART = "not available: no disk answers S.M.A.R.T. (QEMU virtual disks)";

/** A disk that passes, with nothing read but what `patch` says. */
const disk = (patch: Partial<DiskHealth> & Pick<DiskHealth, "device" | "kind">): DiskHealth => ({
  ...unreadDisk(patch.device, patch.kind, ""),
  ok: true,
  error: null,
  ...patch,
});

const nvme = (device: string, serial: string, celsius: number, hours: number, wear: number) =>
  disk({
    device,
    kind: "nvme",
    model: "Samsung SSD 980 PRO 1TB",
    serial,
    celsius,
    power_on_hours: hours,
    wear_pct: wear,
    media_errors: 0,
  });

const hdd = (device: string, serial: string, celsius: number, hours: number) =>
  disk({
    device,
    kind: "sat",
    model: "WDC WD40EFRX-68N32N0",
    serial,
    celsius,
    power_on_hours: hours,
    reallocated_sectors: 0,
    pending_sectors: 0,
    media_errors: 0,
  });

const zfsPool = (name: string, devices: number): Pool => ({
  name,
  kind: "zfs",
  state: "ONLINE",
  ok: true,
  level: null,
  devices,
  failed_devices: 0,
  progress_pct: null,
  detail: null,
});

const mdArray = (name: string, devices: number): Pool => ({
  name,
  kind: "mdraid",
  state: "active",
  ok: true,
  level: "raid1",
  devices,
  failed_devices: 0,
  progress_pct: null,
  detail: null,
});

const FAILED_UNIT: FailedUnit = {
  name: "certbot.service",
  description: "Certbot",
  load: "loaded",
  active: "failed",
  sub: "failed",
};

function readings(kind: HealthKind): Omit<Health, "collected_ms"> {
  switch (kind) {
    case "hypervisor":
      return {
        disks: [
          nvme("/dev/nvme0", "S5GXNF0R312401A", 41, 14_230, 6),
          nvme("/dev/nvme1", "S5GXNF0R312417K", 43, 14_229, 7),
          hdd("/dev/sda", "WD-WX12D80N3J7L", 34, 31_044),
          hdd("/dev/sdb", "WD-WX12D80N5FTA", 35, 31_040),
        ],
        pools: [zfsPool("rpool", 2), zfsPool("tank", 2)],
        failed_units: [],
        unavailable: { mdraid: NO_MDRAID },
      };
    case "failing-disk":
      return {
        disks: [
          disk({
            device: "/dev/sda",
            kind: "sat",
            model: "ST4000VN008-2DR166",
            serial: "ZDH3KQ1A",
            ok: false,
            celsius: 47,
            power_on_hours: 52_113,
            reallocated_sectors: 1184,
            pending_sectors: 96,
            media_errors: 96,
          }),
          hdd("/dev/sdb", "WD-WX52D91KLP0C", 38, 20_871),
        ],
        pools: [mdArray("md0", 2)],
        failed_units: [],
        unavailable: { zfs: NO_ZFS },
      };
    case "failed-unit":
      return {
        disks: [],
        pools: [],
        failed_units: [FAILED_UNIT],
        unavailable: { smart: VM_SMART, zfs: NO_ZFS, mdraid: NO_MDRAID },
      };
    case "vm":
      return {
        disks: [],
        pools: [],
        failed_units: [],
        unavailable: { smart: VM_SMART, zfs: NO_ZFS, mdraid: NO_MDRAID },
      };
  }
}

export class SimulatedHealth {
  private readonly fixed: Omit<Health, "collected_ms">;
  private readonly startMs: number;

  constructor(
    private readonly kind: HealthKind,
    startMs: number,
  ) {
    this.fixed = readings(kind);
    this.startMs = startMs;
  }

  /** The last reading: taken at start, then again every five minutes. */
  health(nowMs: number): Health {
    const age = Math.max(0, nowMs - this.startMs);
    return {
      collected_ms: this.startMs + age - (age % HEALTH_MAX_AGE_MS),
      ...this.fixed,
    };
  }

  /** The hypervisor has a textfile directory with a backup script's metrics; the others none. */
  custom(nowMs: number): Custom {
    if (this.kind !== "hypervisor") return { dir: null, files: [], families: [] };
    const lastBackupS = Math.floor(this.startMs / 1000) - 6 * 3600;
    return {
      dir: "/var/lib/hwm/textfile",
      files: [
        { file: "backup.prom", mtime_ms: lastBackupS * 1000, samples: 2, error: null },
        {
          file: "zfs-snapshots.prom",
          mtime_ms: nowMs - 60_000,
          samples: 0,
          error: 'line 3: a value that is not a number: "twelve"',
        },
      ],
      families: [
        {
          name: "backup_last_success_timestamp_seconds",
          type: "gauge",
          help: "When the last backup succeeded.",
          samples: [
            {
              name: "backup_last_success_timestamp_seconds",
              labels: { job: "nightly" },
              value: lastBackupS,
            },
          ],
        },
        {
          name: "backup_size_bytes",
          type: "gauge",
          help: "Size of the last backup.",
          samples: [
            { name: "backup_size_bytes", labels: { job: "nightly" }, value: 182 * 1024 ** 3 },
          ],
        },
      ],
    };
  }
}
