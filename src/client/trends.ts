// The history buffer both dashboards draw from: one HostTrends per host of the fleet, fed by each
// fleet frame (a point per new snapshot, a hole per frame while a host is away), filled in front
// from the node's recorded history when a host is first shown, forgotten when a host leaves.
import type { HistoryResponse, HostState } from "../protocol/index.ts";
import { type GraphScale, type HostGraphs, HostTrends } from "./host-trends.ts";
import { rangeOf } from "./ranges.ts";

/** The recorded scale: the last hour, as the web dashboard's range of that name. */
export const RECORDED_RANGE = rangeOf("1h");
/** Metrics asked of the node's history: what the terminal's graphs draw. */
export const RECORDED_METRICS = [
  "cpu.total_pct",
  "memory.used_pct",
  "network[*].rx_bps",
  "network[*].tx_bps",
  "sensors[*].celsius",
  "gpus[*].util_pct",
];

/** Values that only mean something while the host answers. */
const answering = (host: HostState) => host.status === "online" || host.status === "stale";

export class Trends {
  private readonly hosts = new Map<string, HostTrends>();

  /** One host's history (an empty one for a host not seen yet). */
  host(id: string): HostTrends {
    let host = this.hosts.get(id);
    if (!host) {
      host = new HostTrends();
      this.hosts.set(id, host);
    }
    return host;
  }

  /**
   * A fleet frame at `tsMs` (the receiver's clock): each new snapshot is a point, on the
   * receiver's clock as the recorded history is, so that the two meet without overlap.
   */
  update(hosts: readonly HostState[], tsMs: number, intervalMs: number): void {
    const present = new Set<string>();
    for (const host of hosts) {
      present.add(host.id);
      const snapshot = host.snapshot;
      if (!answering(host)) this.hosts.get(host.id)?.gap(tsMs, intervalMs);
      else if (snapshot) {
        this.host(host.id).record(snapshot, host.last_seen_ms ?? snapshot.ts_ms, intervalMs);
      }
    }
    // A host removed from the config takes its history with it.
    for (const id of this.hosts.keys()) if (!present.has(id)) this.hosts.delete(id);
  }

  /** Put the node's recorded history in front of what was seen live. */
  seed(answer: HistoryResponse): void {
    this.host(answer.host).seed(answer);
  }

  /** Whether the host's graphs can show the recorded hour. */
  hasRecorded(id: string): boolean {
    return this.hosts.get(id)?.recorded ?? false;
  }

  /** The host's graphs at a scale. */
  graphs(id: string, scale: GraphScale): HostGraphs {
    return (this.hosts.get(id) ?? EMPTY).graphs(scale);
  }
}

const EMPTY = new HostTrends();
