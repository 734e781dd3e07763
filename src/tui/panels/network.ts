// Network panel: per interface, received and sent bytes per second with a sparkline of each, all
// on one scale (its top and the graphs' span in the title); given more rows, graphs of the host's
// total received and sent. As on the web's chart, bridge ports (a guest's tap, a container's
// veth) and interfaces idle since boot are left out, and the total counts links, not bridges.

import type { Trend } from "../../client/host-trends.ts";
import { countedIn, ifaceRole } from "../../client/network-lines.ts";
import * as u from "../../client/units.ts";
import type { NetworkIface } from "../../protocol/index.ts";
import { fit, graph, type Line, peak, seg, sparkline, sumAligned } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export interface NetHistory {
  rx(iface: string): Trend;
  tx(iface: string): Trend;
}

/** Rows the totals' graphs need to be worth drawing: a label and a graph row, each way. */
const TOTALS_MIN_ROWS = 4;

/** The host's totals, each way: a label with its own scale, then its graph. */
function totals(
  ifaces: readonly NetworkIface[],
  history: NetHistory,
  size: Size,
  rows: number,
): Line[] {
  const lines: Line[] = [];
  const ways = [
    { mark: "↓ received", color: COLORS.rx, trend: (iface: string) => history.rx(iface) },
    { mark: "↑ sent", color: COLORS.tx, trend: (iface: string) => history.tx(iface) },
  ];
  ways.forEach(({ mark, color, trend }, i) => {
    const graphRows = Math.floor(rows / 2) - 1 + (i === 0 ? 0 : rows % 2);
    const values = sumAligned(ifaces.map((n) => trend(n.iface).values(size.width)));
    const top = peak(values);
    lines.push([seg(`${mark}, total · max ${u.rate(top)}`, color)]);
    for (const row of graph(values, size.width, graphRows, top)) lines.push([seg(row, color)]);
  });
  return lines;
}

export function networkPanel(
  all: NetworkIface[] | null | undefined,
  history: NetHistory,
  size: Size,
): PanelContent {
  const title = "network";
  if (!all) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  const ifaces = all.filter(
    (n) => ifaceRole(n.iface) !== "port" && n.rx_total_bytes + n.tx_total_bytes > 0,
  );
  if (ifaces.length === 0) return { title, lines: [[seg("no interfaces in use", COLORS.dim)]] };
  const rates = 2 * 14;
  const longest = Math.max(...ifaces.map((n) => n.iface.length));
  const nameWidth = Math.min(longest, 12, Math.max(3, size.width - rates));
  const sparkRoom = size.width - nameWidth - rates - 1;
  const each =
    sparkRoom >= 13 ? Math.floor((sparkRoom - 1) / 2) : sparkRoom >= 4 ? sparkRoom - 1 : 0;
  // Lines past the panel's height are only counted: their graphs would be read for nothing.
  const shown = ifaces.slice(0, Math.max(0, size.height));
  const rx = shown.map((n) => (each > 0 ? history.rx(n.iface).values(each) : []));
  const tx = shown.map((n) => (sparkRoom >= 13 ? history.tx(n.iface).values(each) : []));
  // One scale for every sparkline, so that a glance compares interfaces and directions.
  const top = peak(...rx, ...tx);
  const lines = ifaces.map((n, i): Line => {
    if (i >= shown.length) return [];
    const line: Line = [
      seg(fit(n.iface, nameWidth)),
      seg(" ↓", COLORS.rx),
      seg(fit(u.rate(n.rx_bps), 12, "right"), COLORS.rx),
      seg(" ↑", COLORS.tx),
      seg(fit(u.rate(n.tx_bps), 12, "right"), COLORS.tx),
    ];
    if (each > 0) line.push(seg(" "), seg(sparkline(rx[i] ?? [], each, top), COLORS.rx));
    if (sparkRoom >= 13) line.push(seg(" "), seg(sparkline(tx[i] ?? [], each, top), COLORS.tx));
    return line;
  });
  const first = ifaces[0];
  const scale =
    each > 0 && first
      ? ` · ${u.span(history.rx(first.iface).spanMs(each))} · max ${u.rate(top)}`
      : "";
  const spare = size.height - ifaces.length;
  const counted = new Set(countedIn(ifaces.map((n) => n.iface)));
  const inTotal = ifaces.filter((n) => counted.has(n.iface));
  if (spare >= TOTALS_MIN_ROWS) lines.push(...totals(inTotal, history, size, spare));
  return listed(`network${scale}`, lines, size.height);
}
