// The host view: the host's panels and its process table (below them, or beside them on a
// wide terminal), with the click regions of the table's header and body.

import type { HostGraphs } from "../../client/host-trends.ts";
import type { Snapshot } from "../../protocol/index.ts";
import { columns, type Rect, splitRows } from "../layout.ts";
import { processesPanel } from "../panels/processes.ts";
import type { UiState } from "../state.ts";
import { arrangeHostPanels, hostPanelSpecs, renderPlaced } from "./host-panels.ts";
import { type BoxModel, type HitRegion, inner } from "./model.ts";

export interface HostViewResult {
  boxes: BoxModel[];
  hits: HitRegion[];
  dropped: string[];
  procRows: number;
  procTotal: number;
}

export function hostView(
  area: Rect,
  snapshot: Snapshot | null,
  ui: UiState,
  graphs: HostGraphs,
): HostViewResult {
  let procRect: Rect;
  let upper: Rect;
  if (area.width >= 140) {
    const [left, right] = columns(area, [0.58, 0.42]);
    upper = left ?? area;
    procRect = right ?? area;
  } else {
    const procHeight = Math.max(6, Math.min(Math.round(area.height * 0.42), area.height - 8));
    [upper, procRect] = splitRows(area, area.height - procHeight);
  }
  const specs = hostPanelSpecs(snapshot, graphs);
  const stacked = arrangeHostPanels(upper, specs);
  const boxes = renderPlaced(stacked, specs, "");
  const hits: HitRegion[] = [];
  let procRows = 0;
  let procTotal = 0;
  if (procRect.height >= 3) {
    const body = inner(procRect);
    const content = processesPanel(
      {
        processes: snapshot?.processes,
        sort: ui.sort,
        filter: ui.procFilter,
        offset: ui.procOffset,
      },
      { width: body.width, height: body.height },
    );
    boxes.push({ id: "processes", rect: procRect, title: content.title, lines: content.lines });
    for (const span of content.columns) {
      if (!span.key) continue;
      hits.push({
        rect: { x: body.x + span.start, y: body.y, width: span.end - span.start, height: 1 },
        hit: { kind: "sort", key: span.key },
      });
    }
    hits.push({ rect: procRect, hit: { kind: "processes" } });
    procRows = content.visibleRows;
    procTotal = content.total;
  }
  return { boxes, hits, dropped: stacked.dropped, procRows, procTotal };
}
