// Network: per-interface byte counters from /proc/net/dev, rates from two readings.
import type { NetworkIface } from "../../protocol/index.ts";
import { counterRate } from "../rates.ts";
import { lineEnd, uintColumns } from "./text.ts";

export interface IfaceCounters {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

/**
 * /proc/net/dev: two header lines, then `iface: rx_bytes packets errs drop fifo frame compressed
 * multicast tx_bytes ...`. Old kernels glue large counters to the colon ("eth0:123"), so the
 * name is cut at the colon rather than at whitespace. Loopback is left out; everything else
 * (veth, bridges, bonds, taps) stays: on a Proxmox host those are the guests' traffic.
 */
export function parseNetDev(text: string): IfaceCounters[] {
  const out: IfaceCounters[] = [];
  const afterHeader = lineEnd(text, lineEnd(text, 0) + 1) + 1;
  for (let start = afterHeader, end = 0; start < text.length; start = end + 1) {
    end = lineEnd(text, start);
    const colon = text.indexOf(":", start);
    if (colon < 0 || colon > end) continue;
    const iface = text.slice(start, colon).trim();
    if (iface === "lo" || iface === "") continue;
    const cols = uintColumns(text, colon + 1, end);
    const rxBytes = cols[0] ?? Number.NaN;
    const txBytes = cols[8] ?? Number.NaN;
    if (!Number.isFinite(rxBytes) || !Number.isFinite(txBytes)) continue;
    out.push({ iface, rxBytes, txBytes });
  }
  return out;
}

/** One entry per interface of `cur`; an interface new since `prev`, or a counter reset, gives null rates. */
export function networkRates(
  prev: readonly IfaceCounters[],
  cur: readonly IfaceCounters[],
  elapsedMs: number,
): NetworkIface[] {
  const before = new Map(prev.map((n) => [n.iface, n]));
  return cur.map((n) => {
    const p = before.get(n.iface);
    return {
      iface: n.iface,
      rx_bps: counterRate(p?.rxBytes, n.rxBytes, elapsedMs),
      tx_bps: counterRate(p?.txBytes, n.txBytes, elapsedMs),
      rx_total_bytes: n.rxBytes,
      tx_total_bytes: n.txBytes,
    };
  });
}
