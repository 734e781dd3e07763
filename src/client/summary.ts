// What a dashboard shows of one host at a glance, derived from its HostState: the headline
// numbers, the problems that must stand out (each in words, never colour alone, firing alerts
// among them) and how severe the host's state is, so that both dashboards put the worst first.
import { diskUsedPct } from "../history/metrics.ts";
import type { FiringAlert, HostState, HostStatus } from "../protocol/index.ts";
import { healthProblems } from "./health-problems.ts";
import { LIMITS, level, type Temperature, temperatureLimit } from "./thresholds.ts";
import * as u from "./units.ts";

/**
 * How bad a host's state is, worst first: it cannot be read at all (offline, unauthorized,
 * incompatible), it missed a poll (stale), something is full, hot or failing (a disk, memory, a
 * sensor, a disk's S.M.A.R.T., a pool, a systemd unit, a firing alert), it is busy (CPU), or all
 * is well.
 */
export const SEVERITIES = ["down", "stale", "problem", "busy", "fine"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A severity as a number to sort by: 4 for "down" … 0 for "fine". */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export interface Problem {
  level: "warn" | "bad";
  /** Short, upper case: what a glance must catch ("OFFLINE", "FULL", "HOT", "DISK", "UNIT"). */
  label: string;
  detail: string;
  /** A firing alert's own message, or the receiver's reason, for a tooltip. */
  title?: string;
  /** Set when the problem is a firing alert. */
  alert?: FiringAlert;
}

export interface HostSummary {
  id: string;
  name: string;
  status: HostStatus;
  /** True when the numbers are last-known values, not live ones. */
  dated: boolean;
  /** When the receiver last heard from the host (its clock); null: never. */
  lastSeenMs: number | null;
  cpuPct: number | null;
  memPct: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  /** The fullest filesystem, its use as df counts it. */
  disk: { mount: string; pct: number; usedBytes: number; totalBytes: number } | null;
  net: { iface: string; rxBps: number | null; txBps: number | null } | null;
  /** The hottest reading, with its own limits, so that its tint agrees with HOT. */
  sensor: Reading | null;
  /** The 1-minute load average, and the cores it shares out over; null where the OS has none. */
  load: { avg1: number; perCore: number | null } | null;
  /** The busiest GPU; null on a host without one. */
  gpu: {
    name: string;
    pct: number | null;
    memUsedBytes: number | null;
    memTotalBytes: number | null;
  } | null;
  uptimeS: number | null;
  problems: Problem[];
  severity: Severity;
}

const DOWN: Record<Exclude<HostStatus, "online" | "stale">, string> = {
  offline: "not answering",
  unauthorized: "token or certificate refused",
  incompatible: "unreadable answer",
};

/**
 * A status other than online, with its reason: the receiver's last_error when it gave one ("the
 * sender refused the token (HTTP 401)"), so that a dashboard says why, not only what.
 */
function statusProblem(host: HostState, nowMs: number): Problem | null {
  if (host.status === "online") return null;
  const seen =
    host.last_seen_ms === null ? "never seen" : `last seen ${u.ago(host.last_seen_ms, nowMs)}`;
  const fallback = host.status === "stale" ? "missed a poll" : DOWN[host.status];
  return {
    level: host.status === "stale" ? "warn" : "bad",
    label: host.status.toUpperCase(),
    detail: `${host.last_error ?? fallback} · ${seen}`,
    title: host.last_error ?? undefined,
  };
}

function fullestDisk(host: HostState): HostSummary["disk"] {
  let disk: HostSummary["disk"] = null;
  for (const d of host.snapshot?.disks ?? []) {
    const pct = diskUsedPct(d.used_bytes, d.available_bytes);
    if (pct === null || d.used_bytes == null || d.total_bytes == null) continue;
    if (!disk || pct > disk.pct)
      disk = { mount: d.mount, pct, usedBytes: d.used_bytes, totalBytes: d.total_bytes };
  }
  return disk;
}

/** The busiest interface now; on a quiet host, the one that has carried the most so far. */
function busiestInterface(host: HostState): HostSummary["net"] {
  let net: HostSummary["net"] = null;
  let busiest = -1;
  let carried = -1;
  for (const n of host.snapshot?.network ?? []) {
    const traffic = (n.rx_bps ?? 0) + (n.tx_bps ?? 0);
    const total = n.rx_total_bytes + n.tx_total_bytes;
    if (traffic > busiest || (traffic === busiest && total > carried)) {
      busiest = traffic;
      carried = total;
      net = { iface: n.iface, rxBps: n.rx_bps, txBps: n.tx_bps };
    }
  }
  return net;
}

type Reading = { label: string } & Temperature;

/** Every temperature of the host: its sensors (with their own limits) and its GPUs. */
function readings(host: HostState): Reading[] {
  const out: Reading[] = [...(host.snapshot?.sensors ?? [])];
  for (const g of host.snapshot?.gpus ?? [])
    if (g.celsius != null) out.push({ label: g.name, celsius: g.celsius });
  return out;
}

function busiestGpu(host: HostState): HostSummary["gpu"] {
  let gpu: HostSummary["gpu"] = null;
  for (const g of host.snapshot?.gpus ?? [])
    if (!gpu || (g.util_pct ?? -1) > (gpu.pct ?? -1))
      gpu = {
        name: g.name,
        pct: g.util_pct,
        memUsedBytes: g.mem_used_bytes,
        memTotalBytes: g.mem_total_bytes,
      };
  return gpu;
}

function loadAverage(host: HostState): HostSummary["load"] {
  const avg1 = host.snapshot?.cpu?.load?.[0];
  if (avg1 == null) return null;
  const cores = host.info?.cpu_cores || host.snapshot?.cpu?.cores_pct.length || 0;
  return { avg1, perCore: cores > 0 ? avg1 / cores : null };
}

/** `nowMs` is the receiver's clock (the frame's ts_ms), the same clock as last_seen_ms. */
export function summarize(host: HostState, nowMs: number): HostSummary {
  const snap = host.snapshot;
  const mem = snap?.memory ?? null;
  const cpuPct = snap?.cpu?.total_pct ?? null;
  const memPct = mem && mem.total_bytes > 0 ? (mem.used_bytes / mem.total_bytes) * 100 : null;
  const disk = fullestDisk(host);
  const temps = readings(host);
  let sensor: HostSummary["sensor"] = null;
  for (const t of temps) if (!sensor || t.celsius > sensor.celsius) sensor = t;

  const problems: Problem[] = [];
  const status = statusProblem(host, nowMs);
  if (status) problems.push(status);
  // A host that cannot be read has no "now": its last values raise no problem of their own.
  const readable = host.status === "online" || host.status === "stale";
  let worst: Severity = readable ? "fine" : "down";
  if (readable) {
    if (disk && disk.pct >= LIMITS.diskPct.bad)
      problems.push({
        level: "bad",
        label: "FULL",
        detail: `${disk.mount} ${u.diskPct(disk.pct)}`,
      });
    // Each reading against its own limit: its chip's critical one, else LIMITS.celsius.bad.
    const hot = temps.find((t) => level(t.celsius, temperatureLimit(t)) === "bad");
    if (hot)
      problems.push({
        level: "bad",
        label: "HOT",
        detail: `${hot.label} ${u.celsius(hot.celsius)}`,
      });
    if (memPct != null && memPct >= LIMITS.memPct.bad)
      problems.push({ level: "bad", label: "MEMORY", detail: `${u.pct(memPct)} used` });
    // A dying disk, a pool without redundancy, a failed unit: as bad as a full disk.
    for (const p of healthProblems(snap?.health)) problems.push({ level: "bad", ...p });
    if (problems.some((p) => p.level === "bad")) worst = "problem";
    if (cpuPct != null && cpuPct >= LIMITS.cpuPct.bad) {
      problems.push({ level: "warn", label: "BUSY", detail: `CPU ${u.pct(cpuPct)}` });
      if (worst === "fine") worst = "busy";
    }
    if (host.status === "stale") worst = "stale";
  }
  // A firing alert is a rule the user wrote to be told about: as bad as a full disk.
  for (const alert of host.alerts ?? []) {
    problems.push({
      level: "bad",
      label: "ALERT",
      detail: alert.key === null ? alert.rule : `${alert.rule} · ${alert.key}`,
      title: alert.message,
      alert,
    });
    if (worst === "fine" || worst === "busy") worst = "problem";
  }

  return {
    id: host.id,
    name:
      host.info?.hostname && host.info.hostname !== host.id
        ? `${host.id} (${host.info.hostname})`
        : host.id,
    status: host.status,
    dated: host.status !== "online",
    lastSeenMs: host.last_seen_ms,
    cpuPct,
    memPct,
    memUsedBytes: mem?.used_bytes ?? null,
    memTotalBytes: mem?.total_bytes ?? host.info?.memory_total_bytes ?? null,
    disk,
    net: busiestInterface(host),
    sensor: sensor
      ? {
          label: sensor.label,
          celsius: sensor.celsius,
          max_celsius: sensor.max_celsius ?? null,
          crit_celsius: sensor.crit_celsius ?? null,
        }
      : null,
    load: loadAverage(host),
    gpu: busiestGpu(host),
    uptimeS: snap?.uptime_s ?? null,
    problems,
    severity: worst,
  };
}
