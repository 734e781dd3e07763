// Network panel: per interface, received and sent bytes per second with a sparkline of each
// (their span in the title).

import type { Trend } from "../../client/trends.ts";
import * as u from "../../client/units.ts";
import type { NetworkIface } from "../../protocol/index.ts";
import { fit, type Line, seg, sparkline } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export interface NetHistory {
  rx(iface: string): Trend;
  tx(iface: string): Trend;
}

export function networkPanel(
  ifaces: NetworkIface[] | null | undefined,
  history: NetHistory,
  size: Size,
): PanelContent {
  const title = "network";
  if (!ifaces) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (ifaces.length === 0) return { title, lines: [[seg("no interfaces", COLORS.dim)]] };
  const rates = 2 * 14;
  const longest = Math.max(...ifaces.map((n) => n.iface.length));
  const nameWidth = Math.min(longest, 12, Math.max(3, size.width - rates));
  const sparkRoom = size.width - nameWidth - rates - 1;
  const each =
    sparkRoom >= 13 ? Math.floor((sparkRoom - 1) / 2) : sparkRoom >= 4 ? sparkRoom - 1 : 0;
  const lines = ifaces.map((n, i): Line => {
    // Lines past the panel's height are only counted: their graphs would be drawn for nothing.
    if (i >= size.height) return [];
    const line: Line = [
      seg(fit(n.iface, nameWidth)),
      seg(" ↓", COLORS.rx),
      seg(fit(u.rate(n.rx_bps), 12, "right"), COLORS.rx),
      seg(" ↑", COLORS.tx),
      seg(fit(u.rate(n.tx_bps), 12, "right"), COLORS.tx),
    ];
    if (each > 0) {
      line.push(seg(" "), seg(sparkline(history.rx(n.iface).values(each), each), COLORS.rx));
    }
    if (sparkRoom >= 13) {
      line.push(seg(" "), seg(sparkline(history.tx(n.iface).values(each), each), COLORS.tx));
    }
    return line;
  });
  const first = ifaces[0];
  const span = each > 0 && first ? ` · ${u.span(history.rx(first.iface).spanMs(each))}` : "";
  return listed(`network (bytes/s)${span}`, lines, size.height);
}
