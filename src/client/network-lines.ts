// Which network interfaces a chart draws: the host's total, then its busiest interfaces in the
// window. Bridge ports (a guest's tap, a container's veth, Proxmox's firewall plumbing) carry
// traffic that the bridge and the physical link count again, so they are never drawn nor added;
// an interface idle since boot, or idle in the window, takes no line. The sender does not say what
// is a bridge or a port, so names decide (the same names Proxmox, Docker and libvirt give them).
import { type Columns, columnOf, columnSum, keysOf, withKey } from "./columns.ts";

/** "link": the machine's own (a NIC, a bond, a tunnel); "bridge"; "port": a bridge's member. */
export type IfaceRole = "link" | "bridge" | "port";

/** vmbr0, vmbr0.100, br-3f2a…, br0, docker0, virbr0, lxcbr0. */
const BRIDGE = /^(vmbr|br-|br\d|docker\d|virbr|lxcbr)/;
/** tap100i0, veth100i0, vethab12…, fwpr100p0, fwln100i0, fwbr100i0. */
const PORT = /^(tap|veth|fwpr|fwln|fwbr)/;

export function ifaceRole(iface: string): IfaceRole {
  if (PORT.test(iface)) return "port";
  if (BRIDGE.test(iface)) return "bridge";
  return "link";
}

/**
 * What a host's total adds up, of interfaces that are not ports: its links, or on a host whose
 * only traffic is on bridges, the bridges (their sum is the best total there is).
 */
export function countedIn(ifaces: readonly string[]): string[] {
  const links = ifaces.filter((iface) => ifaceRole(iface) === "link");
  return links.length > 0 ? links : [...ifaces];
}

/** Interfaces drawn beside the total. */
export const TOP_IFACES = 3;

const RX = "network[].rx_bps";
const TX = "network[].tx_bps";

export interface NetworkLines {
  /** The sum of every link (not bridges, not ports) per row; null where none has a value. */
  totalRx: (number | null)[];
  totalTx: (number | null)[];
  /** The busiest links and bridges in the window, busiest first, at most TOP_IFACES. */
  ifaces: string[];
  /** What the total adds up: the links, or the bridges on a host with no link in use. */
  counted: string[];
}

function sumColumns(columns: Columns, family: string, keys: readonly string[]): (number | null)[] {
  const out = new Array<number | null>(columns.timesMs.length).fill(null);
  for (const key of keys) {
    const column = columnOf(columns, withKey(family, key));
    for (let i = 0; i < out.length; i++) {
      const value = column[i];
      if (value != null) out[i] = (out[i] ?? 0) + value;
    }
  }
  return out;
}

/**
 * The network chart's lines from these columns. `totalsBytes`: each interface's bytes since boot
 * (rx + tx) from the latest snapshot, when there is one; 0 there means idle since boot.
 */
export function networkLines(
  columns: Columns,
  totalsBytes: ReadonlyMap<string, number> | null,
): NetworkLines {
  const keys = [...new Set([...keysOf(columns, RX), ...keysOf(columns, TX)])];
  const active = keys
    .filter((key) => ifaceRole(key) !== "port" && totalsBytes?.get(key) !== 0)
    .map((key) => ({
      key,
      windowBytes:
        columnSum(columnOf(columns, withKey(RX, key))) +
        columnSum(columnOf(columns, withKey(TX, key))),
      totalBytes: totalsBytes?.get(key) ?? 0,
    }))
    .filter((k) => k.windowBytes > 0)
    .sort(
      (a, b) =>
        b.windowBytes - a.windowBytes || b.totalBytes - a.totalBytes || a.key.localeCompare(b.key),
    );
  const counted = countedIn(active.map((k) => k.key));
  // A single counted interface is the total: drawing it again would only hide the total's line.
  const ifaces = active
    .map((k) => k.key)
    .filter((key) => counted.length !== 1 || key !== counted[0])
    .slice(0, TOP_IFACES);
  return {
    totalRx: sumColumns(columns, RX, counted),
    totalTx: sumColumns(columns, TX, counted),
    ifaces,
    counted,
  };
}
