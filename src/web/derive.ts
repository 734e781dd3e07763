// What a card shows of one host, derived from its HostState: the headline numbers and the
// problems that must stand out (each with words, never colour alone), firing alerts among them.
import type { FiringAlert, HostState, HostStatus } from "../protocol/index.ts";
import * as f from "./format.ts";

/** Thresholds: at or above `bad` a value is a problem with a label; at `warn` it is tinted. */
export const LIMITS = {
  diskPct: { warn: 80, bad: 90 },
  memPct: { warn: 80, bad: 90 },
  cpuPct: { warn: 75, bad: 90 },
  celsius: { warn: 75, bad: 85 },
} as const;

export type Level = "ok" | "warn" | "bad";

export interface Problem {
  level: "warn" | "bad";
  /** Short, upper case: what a glance must catch ("OFFLINE", "FULL", "HOT"). */
  label: string;
  detail: string;
  /** A firing alert's own message, for a tooltip. */
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
  cpuPct: number | null;
  memPct: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  disk: { mount: string; pct: number; usedBytes: number; totalBytes: number } | null;
  net: { iface: string; rxBps: number | null; txBps: number | null } | null;
  sensor: { label: string; celsius: number } | null;
  uptimeS: number | null;
  problems: Problem[];
  /** 2 bad, 1 warn, 0 fine: sorts problems first. */
  severity: number;
}

export function level(
  value: number | null | undefined,
  limit: { warn: number; bad: number },
): Level {
  if (value == null) return "ok";
  if (value >= limit.bad) return "bad";
  if (value >= limit.warn) return "warn";
  return "ok";
}

/**
 * A status other than online, with its reason: the receiver's last_error when it gave one ("the
 * sender refused the token (HTTP 401)"), so that the card says why, not only what.
 */
function statusProblem(host: HostState, nowMs: number): Problem | null {
  const seen =
    host.last_seen_ms === null ? "never seen" : `last seen ${f.ago(nowMs - host.last_seen_ms)}`;
  const why = (fallback: string) => `${host.last_error ?? fallback} · ${seen}`;
  switch (host.status) {
    case "online":
      return null;
    case "stale":
      return {
        level: "warn",
        label: "STALE",
        detail: why("missed a poll"),
        title: host.last_error ?? undefined,
      };
    case "offline":
      return {
        level: "bad",
        label: "OFFLINE",
        detail: why("not answering"),
        title: host.last_error ?? undefined,
      };
    case "unauthorized":
      return {
        level: "bad",
        label: "UNAUTHORIZED",
        detail: why("token or certificate refused"),
        title: host.last_error ?? undefined,
      };
    case "incompatible":
      return {
        level: "bad",
        label: "INCOMPATIBLE",
        detail: why("unreadable answer"),
        title: host.last_error ?? undefined,
      };
  }
}

/** `nowMs` is the receiver's clock (the frame's ts_ms), the same clock as last_seen_ms. */
export function summarize(host: HostState, nowMs: number): HostSummary {
  const snap = host.snapshot;
  const problems: Problem[] = [];
  const status = statusProblem(host, nowMs);
  if (status) problems.push(status);

  const cpuPct = snap?.cpu?.total_pct ?? null;
  const mem = snap?.memory ?? null;
  const memPct = mem && mem.total_bytes > 0 ? (mem.used_bytes / mem.total_bytes) * 100 : null;

  let disk: HostSummary["disk"] = null;
  for (const d of snap?.disks ?? []) {
    if (d.total_bytes == null || d.used_bytes == null || d.total_bytes <= 0) continue;
    const p = (d.used_bytes / d.total_bytes) * 100;
    if (!disk || p > disk.pct)
      disk = { mount: d.mount, pct: p, usedBytes: d.used_bytes, totalBytes: d.total_bytes };
  }

  // The busiest interface now; on a quiet host, the one that has carried the most so far.
  let net: HostSummary["net"] = null;
  let busiest = -1;
  let carried = -1;
  for (const n of snap?.network ?? []) {
    const traffic = (n.rx_bps ?? 0) + (n.tx_bps ?? 0);
    const total = n.rx_total_bytes + n.tx_total_bytes;
    if (traffic > busiest || (traffic === busiest && total > carried)) {
      busiest = traffic;
      carried = total;
      net = { iface: n.iface, rxBps: n.rx_bps, txBps: n.tx_bps };
    }
  }

  let sensor: HostSummary["sensor"] = null;
  for (const s of snap?.sensors ?? []) {
    if (!sensor || s.celsius > sensor.celsius) sensor = { label: s.label, celsius: s.celsius };
  }
  for (const g of snap?.gpus ?? []) {
    if (g.celsius != null && (!sensor || g.celsius > sensor.celsius))
      sensor = { label: g.name, celsius: g.celsius };
  }

  if (disk && disk.pct >= LIMITS.diskPct.bad)
    problems.push({ level: "bad", label: "FULL", detail: `${disk.mount} ${f.pct(disk.pct)}` });
  if (sensor && sensor.celsius >= LIMITS.celsius.bad)
    problems.push({
      level: "bad",
      label: "HOT",
      detail: `${sensor.label} ${f.celsius(sensor.celsius)}`,
    });
  if (memPct != null && memPct >= LIMITS.memPct.bad)
    problems.push({ level: "bad", label: "MEMORY", detail: `${f.pct(memPct)} used` });
  if (cpuPct != null && cpuPct >= LIMITS.cpuPct.bad)
    problems.push({ level: "warn", label: "BUSY", detail: `CPU ${f.pct(cpuPct)}` });

  // A firing alert is a rule the user wrote to be told about: as bad as a full disk.
  for (const alert of host.alerts ?? []) {
    problems.push({
      level: "bad",
      label: "ALERT",
      detail: alert.key === null ? alert.rule : `${alert.rule} · ${alert.key}`,
      title: alert.message,
      alert,
    });
  }

  const severity = problems.some((p) => p.level === "bad") ? 2 : problems.length > 0 ? 1 : 0;
  return {
    id: host.id,
    name:
      host.info?.hostname && host.info.hostname !== host.id
        ? `${host.id} (${host.info.hostname})`
        : host.id,
    status: host.status,
    dated: host.status !== "online",
    cpuPct,
    memPct,
    memUsedBytes: mem?.used_bytes ?? null,
    memTotalBytes: mem?.total_bytes ?? host.info?.memory_total_bytes ?? null,
    disk,
    net,
    sensor,
    uptimeS: snap?.uptime_s ?? null,
    problems,
    severity,
  };
}
