// The fleet view: the table of hosts (click regions per row) and, when the terminal has room,
// a preview of the selected host's panels under it.

import { COMPARE } from "../../client/fleet-order.ts";
import { summarize } from "../../client/summary.ts";
import type { Trends } from "../../client/trends.ts";
import type { HostState } from "../../protocol/index.ts";
import { type Rect, splitRows } from "../layout.ts";
import { fleetPanel } from "../panels/fleet.ts";
import { hasNothingToShow, noDataPanel } from "../panels/no-data.ts";
import { hostSnapshot, type SourceState } from "../source.ts";
import type { UiState } from "../state.ts";
import { arrangeHostPanels, hostGraphs, hostPanelSpecs, renderPlaced } from "./host-panels.ts";
import { type BoxModel, type HitRegion, inner } from "./model.ts";

/** The preview needs this many rows to be worth showing. */
const PREVIEW_MIN_ROWS = 9;

export function matchesHost(host: HostState, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  // "alert" finds every host with firing alerts; a rule's name finds the hosts it fires for.
  const alerts = host.alerts ?? [];
  const words = [host.id, host.status, host.info?.hostname ?? "", host.info?.os ?? ""];
  if (alerts.length > 0) words.push("alert", ...alerts.map((a) => a.rule));
  return words.some((t) => t.toLowerCase().includes(needle));
}

export interface FleetViewResult {
  boxes: BoxModel[];
  hits: HitRegion[];
  hostIds: string[];
  fleetRows: number;
  /** The host previewed under the table, if there is room for it. */
  previewId: string | null;
}

export function fleetView(
  area: Rect,
  state: SourceState,
  ui: UiState,
  history: Trends,
  nowMs: number,
): FleetViewResult {
  // The web's orders; problems first, the worst first, by default.
  const rows = state.hosts
    .filter((h) => matchesHost(h, ui.fleetFilter))
    .map((host) => ({ host, summary: summarize(host, nowMs) }))
    .sort((a, b) => COMPARE[ui.fleetOrder](a.summary, b.summary));
  const hosts = rows.map((r) => r.host);
  const tableWanted = hosts.length + 3;
  const previewRoom = area.height - Math.max(tableWanted, 6);
  const selected = hosts.find((h) => h.id === ui.selectedId) ?? null;
  const withPreview = previewRoom >= PREVIEW_MIN_ROWS && selected !== null;
  const [tableRect, previewRect] = withPreview
    ? splitRows(area, Math.max(tableWanted, 6))
    : [area, null];
  const body = inner(tableRect);
  const content = fleetPanel(
    {
      rows,
      fleetSize: state.hosts.length,
      selectedId: ui.selectedId,
      offset: ui.fleetOffset,
      filter: ui.fleetFilter,
      order: ui.fleetOrder,
      nowMs,
      datedSinceMs: state.link === "reconnecting" ? state.updatedAtMs : null,
      cpuHistory: (id, columns) =>
        history.graphs(id, { kind: "live", intervalMs: state.intervalMs }).cpu.values(columns),
    },
    { width: body.width, height: body.height },
  );
  const boxes: BoxModel[] = [{ id: "fleet", rect: tableRect, ...content }];
  const hits: HitRegion[] = [];
  content.rowIds.forEach((id, i) => {
    if (id === null) return;
    hits.push({
      rect: { x: body.x, y: body.y + i, width: body.width, height: 1 },
      hit: { kind: "host", id },
    });
  });
  hits.push({ rect: tableRect, hit: { kind: "fleet" } });
  if (
    withPreview &&
    previewRect &&
    selected &&
    hasNothingToShow(selected, hostSnapshot(state, selected))
  ) {
    boxes.push({
      id: "preview-no-data",
      rect: previewRect,
      ...noDataPanel(selected, inner(previewRect)),
    });
  } else if (withPreview && previewRect && selected) {
    const graphs = hostGraphs(history, selected.id, ui, state.intervalMs);
    const specs = hostPanelSpecs(hostSnapshot(state, selected), graphs);
    specs.delete("disk_io");
    const placed = renderPlaced(arrangeHostPanels(previewRect, specs), specs, "preview-");
    for (const box of placed) box.title = `${selected.id} · ${box.title}`;
    boxes.push(...placed);
  }
  return {
    boxes,
    hits,
    hostIds: hosts.map((h) => h.id),
    fleetRows: content.visibleRows,
    previewId: withPreview && selected ? selected.id : null,
  };
}
