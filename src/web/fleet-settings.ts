// How the fleet page is shown, remembered in this browser: cards or table, which hosts, the
// cards' order and the table's sorted column.
import { FLEET_ORDERS, type FleetOrder } from "../client/fleet-order.ts";
import { type FleetSort, isFleetSort, PROBLEMS_FIRST } from "../client/fleet-table.ts";
import type { HostSummary } from "../client/summary.ts";

export const FLEET_VIEWS = { cards: "Cards", table: "Table" } as const;
export type FleetView = keyof typeof FLEET_VIEWS;

export const SHOWS = {
  all: "All hosts",
  problems: "With problems",
  online: "Online",
  down: "Not online",
} as const;
export type ShowKey = keyof typeof SHOWS;

export const SHOW: Record<ShowKey, (s: HostSummary) => boolean> = {
  all: () => true,
  problems: (s) => s.severity !== "fine",
  online: (s) => s.status === "online",
  down: (s) => s.status !== "online",
};

export interface FleetSettings {
  view: FleetView;
  show: ShowKey;
  /** The cards' order. */
  sort: FleetOrder;
  /** The table's sorted column. */
  table: FleetSort;
}

const KEY = "hwm.fleet";
const DEFAULTS: FleetSettings = {
  view: "cards",
  show: "all",
  sort: "problems",
  table: PROBLEMS_FIRST,
};

export function isFleetView(x: unknown): x is FleetView {
  return typeof x === "string" && x in FLEET_VIEWS;
}

export function loadSettings(): FleetSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<FleetSettings>;
    return {
      view: isFleetView(saved.view) ? saved.view : DEFAULTS.view,
      show: saved.show && saved.show in SHOWS ? saved.show : DEFAULTS.show,
      sort: saved.sort && saved.sort in FLEET_ORDERS ? saved.sort : DEFAULTS.sort,
      table: isFleetSort(saved.table) ? saved.table : DEFAULTS.table,
    };
  } catch {
    return DEFAULTS;
  }
}

export function saveSettings(settings: FleetSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage full or refused (private mode): the choice lasts for this page only.
  }
}
