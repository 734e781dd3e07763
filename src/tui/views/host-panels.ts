// The panels of one host's view and how they are arranged: CPU, memory, disks, disk IO,
// network, sensors and GPUs in columns that depend on the width; processes below or beside.

import type { HostGraphs } from "../../client/host-trends.ts";
import { RECORDED_RANGE, type Trends } from "../../client/trends.ts";
import type { Snapshot } from "../../protocol/index.ts";
import {
  columns,
  merge,
  type PanelRequest,
  type Rect,
  type Stacked,
  splitRows,
  stack,
} from "../layout.ts";
import { cpuMinRows, cpuPanel, cpuRows } from "../panels/cpu.ts";
import { diskIoPanel } from "../panels/disk-io.ts";
import { disksPanel } from "../panels/disks.ts";
import { gpuRows, gpusPanel } from "../panels/gpus.ts";
import { MEMORY_ROWS, memoryPanel } from "../panels/memory.ts";
import { networkPanel } from "../panels/network.ts";
import type { PanelContent, Size } from "../panels/panel.ts";
import { hottest, sensorRows, sensorsPanel } from "../panels/sensors.ts";
import type { UiState } from "../state.ts";
import { GUEST_PANELS, HEALTH_PANELS, insidePanelSpecs } from "./inside-panels.ts";
import { type BoxModel, inner } from "./model.ts";

/** A host's graphs: the recorded hour when the node gave one (and the user did not ask for live). */
export function hostGraphs(
  history: Trends,
  id: string,
  ui: UiState,
  intervalMs: number,
): HostGraphs {
  return history.graphs(
    id,
    ui.graphScale === "recorded" && history.hasRecorded(id)
      ? { kind: "recorded", spanMs: RECORDED_RANGE.spanMs }
      : { kind: "live", intervalMs },
  );
}

export interface PanelSpec {
  id: string;
  priority: number;
  min: number;
  /** Content rows the panel needs at this inner width (instead of a fixed `min`). */
  minRows?(width: number): number;
  grow?: boolean;
  /** Content rows wanted at this inner width. */
  rows(width: number): number;
  render(size: Size): PanelContent;
}

/** A list panel needs two lines to be worth a place (one, when it has one item). */
function listMin(items: number | undefined): number {
  return 2 + Math.max(1, Math.min(2, items ?? 1));
}

/** Every panel that has something to show for this snapshot (no empty GPU or sensor panels). */
export function hostPanelSpecs(
  snapshot: Snapshot | null,
  graphs: HostGraphs,
): Map<string, PanelSpec> {
  const s = snapshot;
  const specs: PanelSpec[] = [
    {
      id: "cpu",
      priority: 0,
      min: 3,
      minRows: (w) => cpuMinRows(s?.cpu, w),
      grow: true,
      rows: (w) => cpuRows(s?.cpu, w),
      render: (size) => cpuPanel(s?.cpu, graphs.cpu, size, hottest(s?.sensors)?.celsius ?? null),
    },
    {
      id: "memory",
      priority: 1,
      min: 4,
      // Rows nobody else wants go to the memory graph (the first to grow in its column).
      grow: true,
      rows: () => MEMORY_ROWS,
      render: (size) => memoryPanel(s?.memory, graphs.memory, size),
    },
    {
      id: "network",
      priority: 2,
      min: listMin(s?.network?.length),
      // Spare rows draw the host's total received and sent.
      grow: true,
      rows: () => Math.max(1, s?.network?.length ?? 1),
      render: (size) => networkPanel(s?.network, graphs, size),
    },
    {
      id: "disks",
      priority: 3,
      min: listMin(s?.disks?.length),
      rows: () => Math.max(1, s?.disks?.length ?? 1),
      render: (size) => disksPanel(s?.disks, size),
    },
  ];
  if (s?.sensors && s.sensors.length > 0) {
    const sensors = s.sensors;
    specs.push({
      id: "sensors",
      priority: 5,
      min: listMin(sensorRows(sensors, 80)),
      rows: (w) => sensorRows(sensors, w),
      render: (size) => sensorsPanel(sensors, graphs.sensor, size),
    });
  }
  if (s?.gpus && s.gpus.length > 0) {
    const gpus = s.gpus;
    specs.push({
      id: "gpus",
      priority: 4,
      min: 3,
      rows: (w) => gpuRows(gpus, w),
      render: (size) => gpusPanel(gpus, graphs.gpu, size),
    });
  }
  specs.push({
    id: "disk_io",
    priority: 6,
    min: listMin(s?.disk_io?.length),
    rows: () => Math.max(1, s?.disk_io?.length ?? 1),
    render: (size) => diskIoPanel(s?.disk_io, size),
  });
  specs.push(...insidePanelSpecs(s));
  return new Map(specs.map((spec) => [spec.id, spec]));
}

function stackSpecs(rect: Rect, ids: readonly string[], specs: Map<string, PanelSpec>): Stacked {
  const requests: PanelRequest[] = [];
  for (const id of ids) {
    const spec = specs.get(id);
    if (!spec) continue;
    const width = Math.max(1, rect.width - 2);
    const want = spec.rows(width) + 2;
    const min = spec.minRows ? spec.minRows(width) + 2 : spec.min;
    requests.push({
      id,
      min: Math.min(min, want),
      want,
      grow: spec.grow,
      priority: spec.priority,
    });
  }
  return stack(rect, requests);
}

/** Every panel but processes, in `rect`: two columns, or CPU across the top of a wide area. */
export function arrangeHostPanels(rect: Rect, specs: Map<string, PanelSpec>): Stacked {
  const cpu = specs.get("cpu");
  if (rect.width >= 90 && cpu && rect.height >= 16) {
    const want = cpu.rows(rect.width - 2) + 2 + 4;
    const cpuHeight = Math.max(5, Math.min(want, Math.round(rect.height * 0.45)));
    const [top, rest] = splitRows(rect, cpuHeight);
    const [left, right] = columns(rest, [0.5, 0.5]);
    if (!left || !right) return { placed: [], dropped: [] };
    return merge([
      stackSpecs(top, ["cpu"], specs),
      stackSpecs(left, ["memory", "disks", "disk_io", ...HEALTH_PANELS], specs),
      stackSpecs(right, ["network", "sensors", "gpus", ...GUEST_PANELS], specs),
    ]);
  }
  const [left, right] = columns(rect, [0.5, 0.5]);
  if (!left || !right) return { placed: [], dropped: [] };
  return merge([
    stackSpecs(left, ["cpu", "network", "disk_io", ...GUEST_PANELS], specs),
    stackSpecs(right, ["memory", "gpus", "disks", "sensors", ...HEALTH_PANELS], specs),
  ]);
}

export function renderPlaced(
  stacked: Stacked,
  specs: Map<string, PanelSpec>,
  prefix: string,
): BoxModel[] {
  const boxes: BoxModel[] = [];
  for (const { id, rect } of stacked.placed) {
    const spec = specs.get(id);
    if (!spec || rect.height < 3) continue;
    const area = inner(rect);
    const content = spec.render({ width: area.width, height: area.height });
    boxes.push({
      id: `${prefix}${id}`,
      rect,
      ...content,
      lines: content.lines.slice(0, area.height),
    });
  }
  return boxes;
}
