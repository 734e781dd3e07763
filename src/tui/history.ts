// Recent values per host for the sparklines: CPU total and each interface's rates, appended once
// per new snapshot (by its timestamp), bounded, forgotten when a host leaves the fleet.
import type { Snapshot } from "../protocol/index.ts";

export const HISTORY_LENGTH = 300;

interface HostHistory {
  tsMs: number;
  cpuPct: (number | null)[];
  /** Per interface: received and sent bytes per second. */
  rxBps: Map<string, (number | null)[]>;
  txBps: Map<string, (number | null)[]>;
}

function push(series: (number | null)[], value: number | null, capacity: number): void {
  series.push(value);
  if (series.length > capacity) series.splice(0, series.length - capacity);
}

const EMPTY: readonly (number | null)[] = [];

export class History {
  private readonly hosts = new Map<string, HostHistory>();

  constructor(private readonly capacity = HISTORY_LENGTH) {}

  /** Add a host's snapshot unless it was seen already; returns whether it was new. */
  record(id: string, snapshot: Snapshot | null): boolean {
    if (!snapshot) return false;
    let host = this.hosts.get(id);
    if (host && snapshot.ts_ms <= host.tsMs) return false;
    if (!host) {
      host = { tsMs: 0, cpuPct: [], rxBps: new Map(), txBps: new Map() };
      this.hosts.set(id, host);
    }
    host.tsMs = snapshot.ts_ms;
    if (snapshot.cpu !== undefined)
      push(host.cpuPct, snapshot.cpu?.total_pct ?? null, this.capacity);
    for (const net of snapshot.network ?? []) {
      for (const [map, value] of [
        [host.rxBps, net.rx_bps],
        [host.txBps, net.tx_bps],
      ] as const) {
        let series = map.get(net.iface);
        if (!series) {
          series = [];
          map.set(net.iface, series);
        }
        push(series, value, this.capacity);
      }
    }
    return true;
  }

  /** Forget hosts that are no longer in the fleet. */
  keep(ids: Iterable<string>): void {
    const wanted = new Set(ids);
    for (const id of this.hosts.keys()) if (!wanted.has(id)) this.hosts.delete(id);
  }

  cpu(id: string): readonly (number | null)[] {
    return this.hosts.get(id)?.cpuPct ?? EMPTY;
  }

  rx(id: string, iface: string): readonly (number | null)[] {
    return this.hosts.get(id)?.rxBps.get(iface) ?? EMPTY;
  }

  tx(id: string, iface: string): readonly (number | null)[] {
    return this.hosts.get(id)?.txBps.get(iface) ?? EMPTY;
  }
}
