// Network: per-interface byte counters from /proc/net/dev, rates from two readings.
import { readFileSync } from "node:fs";
import type { NetworkIface } from "../../protocol/index.ts";
import { counterRate } from "../rates.ts";
import { fields } from "./text.ts";

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
  const lines = text.split("\n");
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    if (iface === "lo" || iface === "") continue;
    const cols = fields(line.slice(colon + 1));
    const rxBytes = Number(cols[0]);
    const txBytes = Number(cols[8]);
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

/** The counters of this network namespace's interfaces (with a custom procfs, of the reader's). */
export function readNetDev(procfs: string): IfaceCounters[] {
  return parseNetDev(readFileSync(`${procfs}/net/dev`, "utf8"));
}
