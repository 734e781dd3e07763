// Builds the whole ScreenModel from the source state, the interaction state and the size: the
// view in the middle, header and status around it, the help overlay on top.
import type { Trends } from "../../client/trends.ts";
import { HELP_HEIGHT, HELP_WIDTH, helpPanel } from "../panels/help.ts";
import { hasNothingToShow, noDataPanel } from "../panels/no-data.ts";
import { hostSnapshot, type SourceState } from "../source.ts";
import type { ScreenFacts, UiState } from "../state.ts";
import { seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { fleetHeader, hostHeader, type Notice, statusLine } from "./chrome.ts";
import { fleetView } from "./fleet-view.ts";
import { hostGraphs } from "./host-panels.ts";
import { hostView } from "./host-view.ts";
import { inner, type ScreenModel } from "./model.ts";

/** Below this the dashboard only says that it needs more room. */
export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 10;

export interface ScreenInput {
  state: SourceState;
  ui: UiState;
  history: Trends;
  width: number;
  height: number;
  nowMs: number;
  notice: Notice | null;
}

export function buildScreen(input: ScreenInput): ScreenModel {
  const { state, ui, history, width, height, nowMs } = input;
  const knownIds = state.hosts.map((h) => h.id);
  const facts: ScreenFacts = {
    kind: state.kind,
    hostIds: knownIds,
    knownIds,
    fleetRows: 0,
    procRows: 0,
    procTotal: 0,
  };
  const base = { width, height, boxes: [], overlay: null, hits: [], facts, graphedId: null };
  if (width < MIN_WIDTH || height < MIN_HEIGHT) {
    return {
      ...base,
      header: [seg(`terminal too small: ${width}x${height}`, COLORS.warn, true)],
      status: [seg("need 80x24; q quits", COLORS.dim)],
    };
  }
  const area = { x: 0, y: 1, width, height: height - 2 };
  const overlay = ui.help
    ? {
        id: "help",
        rect: {
          x: Math.max(0, Math.floor((width - HELP_WIDTH) / 2)),
          y: Math.max(0, Math.floor((height - HELP_HEIGHT) / 2)),
          width: Math.min(width, HELP_WIDTH),
          height: Math.min(height, HELP_HEIGHT),
        },
        ...helpPanel(),
      }
    : null;
  const open = ui.view === "host" ? state.hosts.find((h) => h.id === ui.openId) : undefined;
  if (open && hasNothingToShow(open, hostSnapshot(state, open))) {
    return {
      ...base,
      header: hostHeader(open, nowMs, width),
      status: statusLine(state, ui, input.notice, []),
      boxes: [{ id: "no-data", rect: area, ...noDataPanel(open, inner(area)) }],
      overlay,
      graphedId: open.id,
    };
  }
  if (open) {
    const graphs = hostGraphs(history, open.id, ui, state.intervalMs);
    const view = hostView(area, hostSnapshot(state, open), ui, graphs);
    return {
      ...base,
      header: hostHeader(open, nowMs, width),
      status: statusLine(state, ui, input.notice, view.dropped),
      boxes: view.boxes,
      overlay,
      hits: view.hits,
      facts: { ...facts, procRows: view.procRows, procTotal: view.procTotal },
      graphedId: open.id,
    };
  }
  if (state.kind === "sender" || state.kind === null) {
    // Nothing to show yet: the first answer has not come.
    return {
      ...base,
      header: [seg(" hwm ", COLORS.title, true), seg(` ${state.url}`, COLORS.dim)],
      status: statusLine(state, { ...ui, view: "host" }, input.notice, []),
      overlay,
    };
  }
  const view = fleetView(area, state, ui, history, nowMs);
  return {
    ...base,
    header: fleetHeader(state),
    status: statusLine(state, ui, input.notice, []),
    boxes: view.boxes,
    overlay,
    hits: view.hits,
    facts: { ...facts, hostIds: view.hostIds, fleetRows: view.fleetRows },
    graphedId: view.previewId,
  };
}
