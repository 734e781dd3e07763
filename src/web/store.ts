// The dashboard's state: the latest fleet frame, each host's history for the session, the heavy
// sections of the host being watched, what the receiver offers (history, alerts) and the fleet's
// recorded sparklines. Fed by the live connection and the history routes; views subscribe.
import type { FleetSparks } from "../client/fleet-history.ts";
import { sensorKey } from "../history/metrics.ts";
import type {
  Features,
  FleetMessage,
  HostDetailMessage,
  HostState,
  Snapshot,
} from "../protocol/index.ts";
import { HostHistory, type Sample } from "./history.ts";

export interface HostDetail {
  id: string;
  tsMs: number;
  snapshot: Snapshot;
}

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

export class FleetStore {
  hosts: HostState[] = [];
  /** The receiver's clock at the last frame (the clock of last_seen_ms). */
  tsMs = 0;
  intervalMs = 1000;
  /** This browser's clock when the last frame arrived; 0 before the first. */
  receivedAtMs = 0;
  detail: HostDetail | null = null;
  /** A receiver too old to say offers neither history nor alerts. */
  features: Features = { history: null, alerts: false };
  /** The fleet's CPU over the last day, from the history routes; null until read (or with history off). */
  sparks: FleetSparks | null = null;
  private byId = new Map<string, HostState>();
  private readonly histories = new Map<string, HostHistory>();
  private readonly gapped = new Set<string>();
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  history(id: string): HostHistory {
    let history = this.histories.get(id);
    if (!history) {
      history = new HostHistory();
      this.histories.set(id, history);
    }
    return history;
  }

  host(id: string): HostState | undefined {
    return this.byId.get(id);
  }

  applyFleet(frame: FleetMessage): void {
    this.setHosts(frame.hosts, frame.ts_ms);
    this.intervalMs = frame.interval_ms;
    this.notify();
  }

  /** The first picture, from GET /api/v1/hosts, before the live stream starts. */
  seed(hosts: HostState[], tsMs: number, features?: Features): void {
    if (features) this.features = features;
    this.setHosts(hosts, tsMs);
    this.notify();
  }

  setSparks(sparks: FleetSparks): void {
    this.sparks = sparks;
    this.notify();
  }

  /** Alerts firing now, over the whole fleet. */
  firingCount(): number {
    let count = 0;
    for (const host of this.hosts) count += host.alerts?.length ?? 0;
    return count;
  }

  applyDetail(message: HostDetailMessage): void {
    this.detail = { id: message.id, tsMs: message.ts_ms, snapshot: message.snapshot };
    this.notify();
  }

  clearDetail(): void {
    this.detail = null;
  }

  private setHosts(hosts: HostState[], tsMs: number): void {
    this.hosts = hosts;
    this.byId = new Map(hosts.map((h) => [h.id, h]));
    this.tsMs = tsMs;
    this.receivedAtMs = Date.now();
    const present = new Set<string>();
    for (const host of hosts) {
      present.add(host.id);
      this.record(host, tsMs);
    }
    // A host removed from the config takes its history with it.
    for (const id of this.histories.keys()) if (!present.has(id)) this.histories.delete(id);
  }

  private record(host: HostState, tsMs: number): void {
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

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
