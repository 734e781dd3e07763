// Network panel: per interface, received and sent bytes per second with a sparkline of each.

import type { NetworkIface } from "../../protocol/index.ts";
import { formatRate } from "../format.ts";
import { fit, type Line, seg, sparkline } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export interface NetHistory {
  rx(iface: string): readonly (number | null)[];
  tx(iface: string): readonly (number | null)[];
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
  const lines = ifaces.map((n): Line => {
    const line: Line = [
      seg(fit(n.iface, nameWidth)),
      seg(" ↓", COLORS.rx),
      seg(fit(formatRate(n.rx_bps), 12, "right"), COLORS.rx),
      seg(" ↑", COLORS.tx),
      seg(fit(formatRate(n.tx_bps), 12, "right"), COLORS.tx),
    ];
    if (sparkRoom >= 13) {
      const each = Math.floor((sparkRoom - 1) / 2);
      line.push(seg(" "), seg(sparkline(history.rx(n.iface), each), COLORS.rx));
      line.push(seg(" "), seg(sparkline(history.tx(n.iface), each), COLORS.tx));
    } else if (sparkRoom >= 4) {
      line.push(seg(" "), seg(sparkline(history.rx(n.iface), sparkRoom - 1), COLORS.rx));
    }
    return line;
  });
  return listed("network (bytes/s)", lines, size.height);
}
