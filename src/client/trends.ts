// The graphs' data per host: CPU total and each interface's rates, appended once per new snapshot
// (by its timestamp), filled in front from the node's recorded history when a host is first
// shown, bounded, forgotten when a host leaves the fleet. Drawn at one of two scales: one column
// per live interval, or the last hour spread over the graph's width.

import type { HistoryResponse, HostState } from "../protocol/index.ts";
import { rangeOf } from "./ranges.ts";
import { Series, type SeriesLimits } from "./series.ts";

/** Live points kept per series, one per interval (the widest graph's columns, and then some). */
export const HISTORY_LENGTH = 300;
/** The recorded scale: the last hour, as the web dashboard's range of that name. */
export const RECORDED_RANGE = rangeOf("1h");
/** Metrics asked of the node's history: every series this file keeps. */
export const RECORDED_METRICS = ["cpu.total_pct", "network[*].rx_bps", "network[*].tx_bps"];

const LIVE_ONLY: SeriesLimits = { finePoints: HISTORY_LENGTH, foldMs: 0, keepMs: 0 };
/**
 * A host with recorded history keeps its live points for the hour too, folded into 10 s spans
 * past the newest HISTORY_LENGTH: the hour graph is at least 10 s a column up to 360 columns.
 */
const WITH_RECORDED: SeriesLimits = {
  finePoints: HISTORY_LENGTH,
  foldMs: 10_000,
  keepMs: RECORDED_RANGE.spanMs + 60_000,
};

const CPU = "cpu.total_pct";
const RX = { prefix: "network[", suffix: "].rx_bps" };
const TX = { prefix: "network[", suffix: "].tx_bps" };

/** The interface of "network[eth0].rx_bps" for a family; null when the name is of another. */
function keyOf(name: string, family: { prefix: string; suffix: string }): string | null {
  if (!name.startsWith(family.prefix) || !name.endsWith(family.suffix)) return null;
  const key = name.slice(family.prefix.length, name.length - family.suffix.length);
  return key === "" ? null : key;
}

interface HostHistory {
  tsMs: number;
  cpuPct: Series;
  /** Per interface: received and sent bytes per second. */
  rxBps: Map<string, Series>;
  txBps: Map<string, Series>;
  /** The node's history answered with points for this host. */
  recorded: boolean;
}

export type GraphScale =
  /** One column per live interval; recorded points before the live ones held for their step. */
  | { kind: "live"; intervalMs: number }
  /** The last hour (before the newest point) over the graph's width. */
  | { kind: "recorded"; spanMs: number };

/** One graph's values for a number of columns, and the time those columns span. */
export interface Trend {
  values(columns: number): readonly (number | null)[];
  spanMs(columns: number): number;
}

/** A host's graphs at one scale. */
export interface HostGraphs {
  cpu: Trend;
  rx(iface: string): Trend;
  tx(iface: string): Trend;
}

const EMPTY = new Series(LIVE_ONLY);

export class Trends {
  private readonly hosts = new Map<string, HostHistory>();

  /** Add a host's snapshot unless it was seen already; returns whether it was new. */
  record(host: Pick<HostState, "id" | "snapshot" | "last_seen_ms">, intervalMs: number): boolean {
    const snapshot = host.snapshot;
    if (!snapshot) return false;
    let entry = this.hosts.get(host.id);
    if (entry && snapshot.ts_ms <= entry.tsMs) return false;
    if (!entry) {
      entry = this.entry();
      this.hosts.set(host.id, entry);
    }
    entry.tsMs = snapshot.ts_ms;
    // On the receiver's clock, as the recorded history is: the two then meet without overlap.
    const atMs = host.last_seen_ms ?? snapshot.ts_ms;
    if (snapshot.cpu !== undefined)
      entry.cpuPct.append(atMs, snapshot.cpu?.total_pct ?? null, intervalMs);
    for (const net of snapshot.network ?? []) {
      this.series(entry, entry.rxBps, net.iface).append(atMs, net.rx_bps, intervalMs);
      this.series(entry, entry.txBps, net.iface).append(atMs, net.tx_bps, intervalMs);
    }
    return true;
  }

  /** Put the node's recorded history in front of what was seen live. */
  seed(answer: HistoryResponse): void {
    const named = Object.entries(answer.series).filter(([, points]) => points.length > 0);
    if (named.length === 0) return;
    let entry = this.hosts.get(answer.host);
    if (!entry) {
      entry = this.entry();
      this.hosts.set(answer.host, entry);
    }
    entry.recorded = true;
    for (const series of this.all(entry)) series.setLimits(WITH_RECORDED);
    for (const [name, recorded] of named) {
      const rx = keyOf(name, RX);
      const tx = keyOf(name, TX);
      const series =
        name === CPU
          ? entry.cpuPct
          : rx !== null
            ? this.series(entry, entry.rxBps, rx)
            : tx !== null
              ? this.series(entry, entry.txBps, tx)
              : null;
      series?.seed(recorded, answer.step_ms);
    }
  }

  /** Whether the host's graphs can show the recorded hour. */
  hasRecorded(id: string): boolean {
    return this.hosts.get(id)?.recorded ?? false;
  }

  /** Forget hosts that are no longer in the fleet. */
  keep(ids: Iterable<string>): void {
    const wanted = new Set(ids);
    for (const id of this.hosts.keys()) if (!wanted.has(id)) this.hosts.delete(id);
  }

  /** The host's graphs at a scale. */
  graphs(id: string, scale: GraphScale): HostGraphs {
    const entry = this.hosts.get(id);
    // The recorded scale ends at the host's newest point: the receiver's clock, not ours.
    let anchorMs = 0;
    if (entry) for (const s of this.all(entry)) anchorMs = Math.max(anchorMs, s.newestMs ?? 0);
    const trend = (series: Series | undefined): Trend => {
      const s = series ?? EMPTY;
      if (scale.kind === "live") {
        return {
          values: (columns) => s.perInterval(columns, scale.intervalMs),
          spanMs: (columns) => columns * scale.intervalMs,
        };
      }
      return {
        values: (columns) =>
          s.perColumn(columns, Math.ceil(scale.spanMs / Math.max(1, columns)), anchorMs),
        spanMs: () => scale.spanMs,
      };
    };
    return {
      cpu: trend(entry?.cpuPct),
      rx: (iface) => trend(entry?.rxBps.get(iface)),
      tx: (iface) => trend(entry?.txBps.get(iface)),
    };
  }

  private entry(): HostHistory {
    return {
      tsMs: 0,
      cpuPct: new Series(LIVE_ONLY),
      rxBps: new Map(),
      txBps: new Map(),
      recorded: false,
    };
  }

  private series(entry: HostHistory, map: Map<string, Series>, iface: string): Series {
    let series = map.get(iface);
    if (!series) {
      series = new Series(entry.recorded ? WITH_RECORDED : LIVE_ONLY);
      map.set(iface, series);
    }
    return series;
  }

  private *all(entry: HostHistory): Iterable<Series> {
    yield entry.cpuPct;
    yield* entry.rxBps.values();
    yield* entry.txBps.values();
  }
}
