// Sensors panel: every temperature, packed into columns, coloured against its high and
// critical marks; also the hottest reading, which the CPU panel repeats.

import * as u from "../../client/units.ts";
import type { Sensor } from "../../protocol/index.ts";
import { fit, type Line, seg, temperatureColor } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

const CELL_MIN = 18;

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
  const columns = Math.max(1, Math.floor((width + 1) / (CELL_MIN + 8)));
  return Math.max(1, Math.ceil((sensors?.length ?? 0) / columns));
}

export function sensorsPanel(sensors: Sensor[] | null | undefined, size: Size): PanelContent {
  const title = "sensors";
  if (!sensors) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (sensors.length === 0) return { title, lines: [[seg("no temperature sensors", COLORS.dim)]] };
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
