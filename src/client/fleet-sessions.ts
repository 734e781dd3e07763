// Every host's history for this session, from the live frames: a sample per new snapshot, one gap
// when a host goes away (so that a chart breaks its line there), and the history of a host that
// left the fleet forgotten with it.
import { sensorKey } from "../history/metrics.ts";
import type { HostState, Snapshot } from "../protocol/index.ts";
import { HostHistory, type Sample } from "./session-history.ts";

export function sampleOf(snap: Snapshot): Sample {
  const cpu = snap.cpu ?? null;
  const mem = snap.memory ?? null;
  return {
    tsMs: snap.ts_ms,
    fixed: {
      cpu: cpu?.total_pct ?? null,
      cpu_user: cpu?.user_pct ?? null,
      cpu_system: cpu?.system_pct ?? null,
      cpu_iowait: cpu?.iowait_pct ?? null,
      mem_used: mem?.used_bytes ?? null,
      mem_cached: mem?.cached_bytes ?? null,
      swap_used: mem?.swap_used_bytes ?? null,
    },
    keyed: {
      net_rx: (snap.network ?? []).map((n) => [n.iface, n.rx_bps] as const),
      net_tx: (snap.network ?? []).map((n) => [n.iface, n.tx_bps] as const),
      io_read: (snap.disk_io ?? []).map((d) => [d.device, d.read_bps] as const),
      io_write: (snap.disk_io ?? []).map((d) => [d.device, d.write_bps] as const),
      // Keyed as the history keys them ("coretemp/Package id 0"): one name in both charts.
      temp: (snap.sensors ?? []).map((s) => [sensorKey(s.chip, s.label), s.celsius] as const),
    },
  };
}

export class FleetSessions {
  private readonly histories = new Map<string, HostHistory>();
  private readonly gapped = new Set<string>();

  history(id: string): HostHistory {
    let history = this.histories.get(id);
    if (!history) {
      history = new HostHistory();
      this.histories.set(id, history);
    }
    return history;
  }

  /** A fleet frame at `tsMs` (the receiver's clock). */
  record(hosts: readonly HostState[], tsMs: number): void {
    const present = new Set<string>();
    for (const host of hosts) {
      present.add(host.id);
      this.recordHost(host, tsMs);
    }
    // A host removed from the config takes its history with it.
    for (const id of this.histories.keys()) if (!present.has(id)) this.histories.delete(id);
  }

  private recordHost(host: HostState, tsMs: number): void {
    const history = this.history(host.id);
    const last = history.lastTsMs();
    const snap = host.snapshot;
    if (snap && (last === null || snap.ts_ms > last)) {
      history.push(sampleOf(snap));
      this.gapped.delete(host.id);
    } else if (host.status !== "online" && host.status !== "stale" && !this.gapped.has(host.id)) {
      history.pushGap(Math.max(tsMs, (last ?? 0) + 1));
      this.gapped.add(host.id);
    }
  }
}
