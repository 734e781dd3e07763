// The one line an alert says to people, in each state: what, where, how much against which
// limit, and for how long ("pve-web: disks[/var].used_pct is 93.2 % (> 90) for 5 min").
import type { MetricFamily } from "../history/metrics.ts";
import { metricName } from "../history/metrics.ts";
import type { HostStatus } from "../protocol/index.ts";
import type { Operator } from "./condition.ts";
import { formatClock, formatDuration, formatThreshold, formatValue } from "./units.ts";

export interface ThresholdFacts {
  host: string;
  family: MetricFamily;
  key: string | null;
  op: Operator;
  threshold: number;
}

function limit(f: ThresholdFacts): string {
  return `${f.op} ${formatThreshold(f.family.unit, f.threshold)}`;
}

/** Pending or firing: the value now and how long the condition has held. */
export function thresholdMessage(f: ThresholdFacts, value: number, heldMs: number): string {
  const held = heldMs >= 1000 ? ` for ${formatDuration(heldMs)}` : "";
  return `${f.host}: ${metricName(f.family, f.key)} is ${formatValue(f.family.unit, value)} (${limit(f)})${held}`;
}

/** Resolved: the value now, or that it is gone (a disk unmounted, a sensor no longer read). */
export function thresholdResolvedMessage(
  f: ThresholdFacts,
  value: number | null,
  firingMs: number,
): string {
  const name = metricName(f.family, f.key);
  const now =
    value === null
      ? `is no longer reported`
      : `is ${formatValue(f.family.unit, value)}, no longer ${limit(f)}`;
  return `${f.host}: ${name} ${now} (was firing for ${formatDuration(firingMs)})`;
}

/** "nas is offline: no answer within 8000 ms (since 14:02)". */
export function offlineMessage(
  host: string,
  status: HostStatus,
  lastError: string | null,
  sinceMs: number,
  nowMs: number,
): string {
  const why = lastError ? `: ${lastError}` : "";
  return `${host} is ${status}${why} (since ${formatClock(sinceMs, nowMs)})`;
}

export function offlineResolvedMessage(host: string, downMs: number): string {
  return `${host} answers again (after ${formatDuration(downMs)})`;
}

/** "pve-db rebooted (up 2 min)"; the uptime is unknown on some platforms. */
export function rebootMessage(host: string, uptimeMs: number | null): string {
  return uptimeMs === null
    ? `${host} rebooted`
    : `${host} rebooted (up ${formatDuration(uptimeMs)})`;
}

/** An alert that ends because the config no longer asks for it. */
export function unwatchedMessage(host: string, rule: string): string {
  return `${host}: alert ${rule} ended: the rule was changed or no longer watches this host`;
}
