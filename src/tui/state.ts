// The dashboard's interaction state and how keys and clicks change it, as pure functions:
// views (fleet, host), selection, scrolling, sorting, filters, the help overlay, quitting.
import { FLEET_ORDERS, type FleetOrder } from "../client/fleet-order.ts";
import { DEFAULT_DESCENDING, type ProcessSort, type SortKey } from "./panels/processes.ts";
import type { NodeKind } from "./source.ts";

export interface UiState {
  view: "fleet" | "host";
  /** The highlighted host in the fleet table. */
  selectedId: string | null;
  /** The host shown in the host view. */
  openId: string | null;
  fleetOffset: number;
  procOffset: number;
  sort: ProcessSort;
  /** The fleet table's order: the web's orders, problems first until the user picks another. */
  fleetOrder: FleetOrder;
  fleetFilter: string;
  procFilter: string;
  /** A filter being typed: the draft, and the filter to return to on Esc. */
  editing: { draft: string; before: string } | null;
  /** The graphs' scale: the recorded hour (where the node has one), or one column per interval. */
  graphScale: "recorded" | "live";
  help: boolean;
  quit: boolean;
}

export const INITIAL_UI: UiState = {
  view: "fleet",
  selectedId: null,
  openId: null,
  fleetOffset: 0,
  procOffset: 0,
  sort: { key: "cpu", descending: true },
  fleetOrder: "problems",
  fleetFilter: "",
  procFilter: "",
  editing: null,
  graphScale: "recorded",
  help: false,
  quit: false,
};

/** A key as the terminal reported it (OpenTUI's KeyEvent has these fields). */
export interface KeyInput {
  name: string;
  ctrl: boolean;
  meta: boolean;
  sequence: string;
}

/** What the screen looks like now, which keys need (the last model the app drew). */
export interface ScreenFacts {
  kind: NodeKind | null;
  /** Host ids in table order, after the filter. */
  hostIds: readonly string[];
  /** Every host id of the fleet, filtered or not. */
  knownIds: readonly string[];
  fleetRows: number;
  procRows: number;
  procTotal: number;
}

const SORT_BY_KEY: Readonly<Record<string, SortKey>> = { c: "cpu", m: "mem", p: "pid", n: "name" };

const ORDERS = Object.keys(FLEET_ORDERS) as FleetOrder[];

/** The fleet's next order, after the last one the first again. */
export function nextFleetOrder(order: FleetOrder): FleetOrder {
  return ORDERS[(ORDERS.indexOf(order) + 1) % ORDERS.length] ?? "problems";
}

export function sortBy(ui: UiState, key: SortKey): UiState {
  const descending = ui.sort.key === key ? !ui.sort.descending : DEFAULT_DESCENDING[key];
  return { ...ui, sort: { key, descending }, procOffset: 0 };
}

/** Keep the selection on a visible host and the host view on an existing one. */
export function reconcile(ui: UiState, facts: ScreenFacts): UiState {
  let next = ui;
  if (facts.kind === "sender") {
    const only = facts.hostIds[0] ?? null;
    if (ui.view !== "host" || ui.openId !== only) next = { ...next, view: "host", openId: only };
    return next;
  }
  if (next.view === "host" && (!next.openId || !facts.knownIds.includes(next.openId))) {
    next = { ...next, view: "fleet", openId: null };
  }
  if (!next.selectedId || !facts.hostIds.includes(next.selectedId)) {
    const first = facts.hostIds[0] ?? null;
    if (first !== next.selectedId) next = { ...next, selectedId: first };
  }
  return next;
}

function moveSelection(ui: UiState, facts: ScreenFacts, delta: number | "first" | "last"): UiState {
  const ids = facts.hostIds;
  if (ids.length === 0) return ui;
  const at = ui.selectedId ? ids.indexOf(ui.selectedId) : -1;
  const index =
    delta === "first"
      ? 0
      : delta === "last"
        ? ids.length - 1
        : Math.max(0, Math.min(ids.length - 1, Math.max(0, at) + delta));
  const rows = Math.max(1, facts.fleetRows);
  let offset = ui.fleetOffset;
  if (index < offset) offset = index;
  if (index >= offset + rows) offset = index - rows + 1;
  return { ...ui, selectedId: ids[index] ?? null, fleetOffset: offset };
}

function scrollProcesses(
  ui: UiState,
  facts: ScreenFacts,
  delta: number | "first" | "last",
): UiState {
  const max = Math.max(0, facts.procTotal - facts.procRows);
  const target = delta === "first" ? 0 : delta === "last" ? max : ui.procOffset + delta;
  return { ...ui, procOffset: Math.max(0, Math.min(max, target)) };
}

export function openHost(ui: UiState, id: string | null): UiState {
  if (!id) return ui;
  return { ...ui, view: "host", openId: id, selectedId: id, procOffset: 0, procFilter: "" };
}

function editFilter(ui: UiState, key: KeyInput): UiState {
  const editing = ui.editing;
  if (!editing) return ui;
  const apply = (draft: string): UiState =>
    ui.view === "fleet"
      ? { ...ui, fleetFilter: draft, fleetOffset: 0 }
      : { ...ui, procFilter: draft, procOffset: 0 };
  if (key.name === "escape") return { ...apply(editing.before), editing: null };
  if (key.name === "return" || key.name === "enter") return { ...ui, editing: null };
  if (key.name === "backspace") {
    const draft = editing.draft.slice(0, -1);
    return { ...apply(draft), editing: { ...editing, draft } };
  }
  const char = key.sequence;
  if (char.length === 1 && char >= " " && char !== "\u007f" && !key.ctrl && !key.meta) {
    const draft = (editing.draft + char).slice(0, 64);
    return { ...apply(draft), editing: { ...editing, draft } };
  }
  return ui;
}

export function onKey(ui: UiState, key: KeyInput, facts: ScreenFacts): UiState {
  if (key.ctrl && key.name === "c") return { ...ui, quit: true };
  if (ui.help) return { ...ui, help: false };
  if (ui.editing) return editFilter(ui, key);
  const inFleet = ui.view === "fleet";
  const page = Math.max(1, (inFleet ? facts.fleetRows : facts.procRows) - 1);
  const move = (delta: number | "first" | "last") =>
    inFleet ? moveSelection(ui, facts, delta) : scrollProcesses(ui, facts, delta);
  switch (key.name) {
    case "q":
      return { ...ui, quit: true };
    case "?":
      return { ...ui, help: true };
    case "g":
      return { ...ui, graphScale: ui.graphScale === "recorded" ? "live" : "recorded" };
    case "/": {
      // A new filter starts empty (the list shows everything while it is typed); Esc gives the
      // old one back.
      const before = inFleet ? ui.fleetFilter : ui.procFilter;
      const cleared = inFleet
        ? { fleetFilter: "", fleetOffset: 0 }
        : { procFilter: "", procOffset: 0 };
      return { ...ui, ...cleared, editing: { draft: "", before } };
    }
    case "s":
      return inFleet ? { ...ui, fleetOrder: nextFleetOrder(ui.fleetOrder), fleetOffset: 0 } : ui;
    case "up":
    case "k":
      return move(-1);
    case "down":
    case "j":
      return move(1);
    case "pageup":
      return move(-page);
    case "pagedown":
      return move(page);
    case "home":
      return move("first");
    case "end":
      return move("last");
    case "return":
    case "enter":
      return inFleet ? openHost(ui, ui.selectedId) : ui;
    case "escape":
      if (inFleet) return ui.fleetFilter ? { ...ui, fleetFilter: "", fleetOffset: 0 } : ui;
      if (ui.procFilter) return { ...ui, procFilter: "", procOffset: 0 };
      return facts.kind === "sender" ? ui : { ...ui, view: "fleet" };
  }
  const sortKey = SORT_BY_KEY[key.name];
  if (sortKey && !inFleet && !key.ctrl && !key.meta) return sortBy(ui, sortKey);
  return ui;
}

/** Where a click or wheel landed, as the screen model describes it. */
export type Hit =
  | { kind: "sort"; key: SortKey }
  | { kind: "host"; id: string }
  | { kind: "processes" }
  | { kind: "fleet" };

export function onClick(ui: UiState, hit: Hit): UiState {
  if (ui.help) return { ...ui, help: false };
  if (hit.kind === "sort") return sortBy(ui, hit.key);
  if (hit.kind === "host") {
    return ui.selectedId === hit.id ? openHost(ui, hit.id) : { ...ui, selectedId: hit.id };
  }
  return ui;
}

export function onWheel(ui: UiState, hit: Hit, down: boolean, facts: ScreenFacts): UiState {
  const delta = down ? 3 : -3;
  if (hit.kind === "processes" || hit.kind === "sort") return scrollProcesses(ui, facts, delta);
  if (hit.kind === "fleet" || hit.kind === "host") {
    const max = Math.max(0, facts.hostIds.length - facts.fleetRows);
    return { ...ui, fleetOffset: Math.max(0, Math.min(max, ui.fleetOffset + delta)) };
  }
  return ui;
}
