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

export const COMPARE: Record<FleetOrder, (a: HostSummary, b: HostSummary) => number> = {
  problems: (a, b) => severityRank(b.severity) - severityRank(a.severity) || byName(a, b),
  name: byName,
  cpu: (a, b) => desc(a.cpuPct) - desc(b.cpuPct) || byName(a, b),
  memory: (a, b) => desc(a.memPct) - desc(b.memPct) || byName(a, b),
  disk: (a, b) => desc(a.disk?.pct) - desc(b.disk?.pct) || byName(a, b),
  temp: (a, b) => desc(a.sensor?.celsius) - desc(b.sensor?.celsius) || byName(a, b),
  net: (a, b) => desc(traffic(a)) - desc(traffic(b)) || byName(a, b),
};

/** An order that follows live numbers, so that a list re-sorts only now and then. */
export function isLiveOrder(order: FleetOrder): boolean {
  return order !== "problems" && order !== "name";
}
