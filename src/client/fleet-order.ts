// The orders a fleet can be listed in, the same in both dashboards: problems first (the worst
// state first, then by name), by name, or by a live number (the largest first).
import { type HostSummary, severityRank } from "./summary.ts";

export const FLEET_ORDERS = {
  problems: "Problems first",
  name: "Name",
  cpu: "CPU",
  memory: "Memory",
  disk: "Fullest disk",
  temp: "Temperature",
  net: "Network",
} as const;
export type FleetOrder = keyof typeof FLEET_ORDERS;

/** Host names as people count: "node2" before "node10". */
export const byName = (a: HostSummary, b: HostSummary) =>
  a.id.localeCompare(b.id, undefined, { numeric: true });
/** Largest first, unknown last. */
const desc = (x: number | null | undefined) => -(x ?? -1);
const traffic = (s: HostSummary) => (s.net ? (s.net.rxBps ?? 0) + (s.net.txBps ?? 0) : null);
/** By a live number, largest first; a host that cannot be read has none now, and goes last. */
const byNumber =
  (of: (s: HostSummary) => number | null | undefined) => (a: HostSummary, b: HostSummary) =>
    desc(a.severity === "down" ? null : of(a)) - desc(b.severity === "down" ? null : of(b)) ||
    byName(a, b);

export const COMPARE: Record<FleetOrder, (a: HostSummary, b: HostSummary) => number> = {
  problems: (a, b) => severityRank(b.severity) - severityRank(a.severity) || byName(a, b),
  name: byName,
  cpu: byNumber((s) => s.cpuPct),
  memory: byNumber((s) => s.memPct),
  disk: byNumber((s) => s.disk?.pct),
  temp: byNumber((s) => s.sensor?.celsius),
  net: byNumber(traffic),
};

/** An order that follows live numbers, so that a list re-sorts only now and then. */
export function isLiveOrder(order: FleetOrder): boolean {
  return order !== "problems" && order !== "name";
}
