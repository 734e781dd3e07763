// Help overlay: every key and mouse action of the dashboard, and the units and marks it uses.

import { fit, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent } from "./panel.ts";

export const KEYS: readonly (readonly [string, string])[] = [
  ["↑ ↓  k j", "select a host / scroll the processes"],
  ["PgUp PgDn Home End", "page, first, last"],
  ["Enter  click", "open the selected host (click it again)"],
  ["Esc", "back to the fleet; clears the filter first"],
  ["/", "filter, starting empty (Esc: keep the old)"],
  ["s", "fleet order: problems, name, CPU, memory…"],
  ["c m p n", "sort processes by CPU, memory, PID, name"],
  ["click a header", "sort by that column; again: reverse"],
  ["wheel", "scroll the table under the mouse"],
  ["g", "graphs: the node's recorded hour, or live"],
  ["?", "show or hide this help"],
  ["q  Ctrl+C", "quit"],
];

const NOTES = [
  "Sizes are binary (1 KiB = 1024 B); rates are bytes per second.",
  "CPU% of a process is of one core (200% = two cores busy).",
  "Processes: the node's top by CPU and by memory; rows tied on",
  "CPU are ordered by memory.",
  "▲N: N alerts firing on the host; its view names them.",
  "Graphs: span and top in the panel's title (1h · max 100%).",
];

export const HELP_WIDTH = 64;
export const HELP_HEIGHT = KEYS.length + NOTES.length + 4;

export function helpPanel(): PanelContent {
  const lines: Line[] = KEYS.map(([keys, action]) => [
    seg(fit(keys, 20), COLORS.title, true),
    seg(action),
  ]);
  lines.push([]);
  for (const note of NOTES) lines.push([seg(note, COLORS.dim)]);
  lines.push([seg("press any key to close", COLORS.dim)]);
  return { title: "help — keys", lines };
}
