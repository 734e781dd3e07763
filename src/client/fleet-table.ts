// The fleet as a table, the same for every dashboard: its columns, what each sorts by, and the
// sort itself (any column, either way, unknown values last). "Problems first" is the status
// column worst first, the very order of the cards' "Problems first".
import { byName } from "./fleet-order.ts";
import { type HostSummary, severityRank } from "./summary.ts";

export const FLEET_COLUMNS = {
  status: "Status",
  name: "Host",
  cpu: "CPU",
  memory: "Memory",
  disk: "Disk",
  netIn: "Net in",
  netOut: "Net out",
  load: "Load",
  gpu: "GPU",
  temp: "Temp",
  uptime: "Uptime",
  updated: "Updated",
} as const;
export type FleetColumn = keyof typeof FLEET_COLUMNS;

export interface FleetSort {
  column: FleetColumn;
  descending: boolean;
}

/** Problems first: the worst state first, then by name. */
export const PROBLEMS_FIRST: FleetSort = { column: "status", descending: true };

/** What a numeric column sorts by; null (unknown) sorts last in either direction. */
const VALUE: Record<Exclude<FleetColumn, "name">, (s: HostSummary) => number | null> = {
  status: (s) => severityRank(s.severity),
  cpu: (s) => s.cpuPct,
  memory: (s) => s.memPct,
  disk: (s) => s.disk?.pct ?? null,
  netIn: (s) => s.net?.rxBps ?? null,
  netOut: (s) => s.net?.txBps ?? null,
  load: (s) => s.load?.avg1 ?? null,
  gpu: (s) => s.gpu?.pct ?? null,
  temp: (s) => s.sensor?.celsius ?? null,
  uptime: (s) => s.uptimeS,
  updated: (s) => s.lastSeenMs,
};

export function compareBy(sort: FleetSort): (a: HostSummary, b: HostSummary) => number {
  if (sort.column === "name") return sort.descending ? (a, b) => byName(b, a) : byName;
  const value = VALUE[sort.column];
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return (sort.descending ? y - x : x - y) || byName(a, b);
  };
}

/** A header clicked: the same column reverses; another starts with names A→Z, numbers largest first. */
export function nextSort(current: FleetSort, column: FleetColumn): FleetSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== "name" };
}

/** A column of live numbers: a list sorted by it re-sorts only now and then. */
export function isLiveColumn(column: FleetColumn): boolean {
  return column !== "status" && column !== "name";
}

export function isFleetSort(x: unknown): x is FleetSort {
  const sort = x as Partial<FleetSort> | null;
  return (
    typeof sort === "object" &&
    sort !== null &&
    typeof sort.column === "string" &&
    sort.column in FLEET_COLUMNS &&
    typeof sort.descending === "boolean"
  );
}
