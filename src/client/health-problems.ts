// What a host's health section makes a problem, in words both dashboards show the same: a disk
// failing its S.M.A.R.T. self-assessment, a ZFS pool or mdraid array without its redundancy, a
// failed systemd unit. Each is as bad as a full disk or a hot sensor (docs/HEALTH.md).
import type { Health, Pool } from "../protocol/index.ts";

export interface HealthProblem {
  /** Short, upper case, as on the card: DISK, POOL, RAID, UNIT. */
  label: "DISK" | "POOL" | "RAID" | "UNIT";
  /** "disk sda failing", "pool tank DEGRADED", "1 failed unit: foo.service". */
  detail: string;
}

/** At most this many names in one line; the rest are counted. */
const NAMES_SHOWN = 3;

/** "a, b, c and 2 more": names for a line that must stay short. */
export function someNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

/** /dev/sda → sda, as people name a disk. */
export const diskName = (device: string) => device.replace(/^\/dev\//, "");

function poolProblem(pool: Pool): HealthProblem {
  const kind = pool.kind === "zfs" ? "pool" : "array";
  const n = pool.failed_devices;
  const failed = n > 0 ? `, ${n} failed ${n === 1 ? "device" : "devices"}` : "";
  return {
    label: pool.kind === "zfs" ? "POOL" : "RAID",
    detail: `${kind} ${pool.name} ${pool.state}${failed}`,
  };
}

export function healthProblems(health: Health | null | undefined): HealthProblem[] {
  if (!health) return [];
  const problems: HealthProblem[] = [];
  const failing = health.disks.filter((d) => d.ok === false).map((d) => diskName(d.device));
  if (failing.length > 0)
    problems.push({
      label: "DISK",
      detail: `${failing.length === 1 ? "disk" : "disks"} ${someNames(failing)} failing`,
    });
  for (const pool of health.pools) if (!pool.ok) problems.push(poolProblem(pool));
  const units = health.failed_units.map((u) => u.name);
  if (units.length > 0)
    problems.push({
      label: "UNIT",
      detail: `${units.length} failed ${units.length === 1 ? "unit" : "units"}: ${someNames(units)}`,
    });
  return problems;
}
