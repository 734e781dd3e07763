// Sensors panel: every temperature, packed into columns, coloured against its high and
// critical marks; on a wide panel one per line with a sparkline of its history (span and scale
// in the title). Also the hottest reading, which the CPU panel repeats.

import type { Trend } from "../../client/host-trends.ts";
import * as u from "../../client/units.ts";
import type { Sensor } from "../../protocol/index.ts";
import { fit, type Line, peak, seg, sparkline, temperatureColor } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

const CELL_MIN = 18;
/** A sensor with its sparkline takes a line of at least this width. */
const GRAPHED_MIN = CELL_MIN + 6 + 12;

/** A sensor's temperature history. */
export type SensorHistory = (chip: string, label: string) => Trend;

/** One sensor a line, with its graph: a panel this wide has room for it. */
export function graphedSensors(width: number): boolean {
  return width >= GRAPHED_MIN;
}

export function hottest(sensors: Sensor[] | null | undefined): Sensor | null {
  let top: Sensor | null = null;
  for (const s of sensors ?? []) if (!top || s.celsius > top.celsius) top = s;
  return top;
}

function label(sensor: Sensor): string {
  return sensor.label.toLowerCase().startsWith(sensor.chip.toLowerCase())
    ? sensor.label
    : `${sensor.chip} ${sensor.label}`;
}

export function sensorRows(sensors: Sensor[] | null | undefined, width: number): number {
  if (graphedSensors(width)) return Math.max(1, sensors?.length ?? 0);
  const columns = Math.max(1, Math.floor((width + 1) / (CELL_MIN + 8)));
  return Math.max(1, Math.ceil((sensors?.length ?? 0) / columns));
}

/** Every sensor with its sparkline, on one scale: 100 °C, or the hottest reading if higher. */
function graphed(sensors: readonly Sensor[], history: SensorHistory, size: Size): PanelContent {
  const labelWidth = Math.min(CELL_MIN + 6, Math.max(...sensors.map((s) => label(s).length)));
  const graphWidth = size.width - labelWidth - 1 - 6 - 1;
  const shown = sensors.slice(0, size.height);
  const values = shown.map((s) => history(s.chip, s.label).values(graphWidth));
  const top = Math.ceil(Math.max(100, peak(...values)) / 10) * 10;
  const lines = shown.map(
    (sensor, i): Line => [
      seg(fit(label(sensor), labelWidth), COLORS.dim),
      seg(fit(u.celsius(sensor.celsius), 7, "right"), temperatureColor(sensor)),
      seg(" "),
      seg(sparkline(values[i] ?? [], graphWidth, top), temperatureColor(sensor)),
    ],
  );
  const first = shown[0];
  const span = first ? u.span(history(first.chip, first.label).spanMs(graphWidth)) : "";
  return { title: `sensors · ${span} · max ${u.celsius(top)}`, lines };
}

export function sensorsPanel(
  sensors: Sensor[] | null | undefined,
  history: SensorHistory,
  size: Size,
): PanelContent {
  const title = "sensors";
  if (!sensors) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (sensors.length === 0) return { title, lines: [[seg("no temperature sensors", COLORS.dim)]] };
  if (graphedSensors(size.width) && size.height >= sensors.length) {
    return graphed(sensors, history, size);
  }
  const columns = Math.max(
    1,
    Math.min(
      Math.floor((size.width + 1) / (CELL_MIN + 1)),
      Math.ceil(sensors.length / Math.max(1, size.height)),
    ),
  );
  const cell = Math.floor((size.width + 1) / columns) - 1;
  const rows = Math.ceil(sensors.length / columns);
  const shownRows = Math.min(rows, size.height);
  const lines: Line[] = [];
  // Row-major, so that the rows that do not fit hide the last sensors, not each column's tail.
  for (let r = 0; r < shownRows; r++) {
    const line: Line = [];
    for (let c = 0; c < columns; c++) {
      const sensor = sensors[r * columns + c];
      if (!sensor) break;
      if (c > 0) line.push(seg(" "));
      line.push(seg(fit(label(sensor), cell - 6), COLORS.dim));
      line.push(seg(fit(u.celsius(sensor.celsius), 6, "right"), temperatureColor(sensor)));
    }
    lines.push(line);
  }
  if (shownRows < rows)
    lines.push([seg(`+${sensors.length - shownRows * columns} more`, COLORS.dim)]);
  return { title, lines };
}
