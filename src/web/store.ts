// The dashboard's state: the latest fleet frame, each host's history for the session, the heavy
// sections of the host being watched, what the receiver offers (history, alerts) and the fleet's
// recorded sparklines. Fed by the live connection and the history routes; views subscribe.
import type { FleetSparks } from "../client/fleet-history.ts";
import { GuestHistory } from "../client/guest-history.ts";
import type { HostTrends } from "../client/host-trends.ts";
import { Trends } from "../client/trends.ts";
import type {
  Features,
  FleetMessage,
  HostDetailMessage,
  HostState,
  Snapshot,
} from "../protocol/index.ts";

export interface HostDetail {
  id: string;
  tsMs: number;
  snapshot: Snapshot;
}

export class FleetStore {
  hosts: HostState[] = [];
  /** The receiver's clock at the last frame (the clock of last_seen_ms). */
  tsMs = 0;
  intervalMs = 1000;
  /** This browser's clock when the last frame arrived; 0 before the first. */
  receivedAtMs = 0;
  /** The live link is lost: what is shown is the last frame, growing older. */
  linkDown = false;
  detail: HostDetail | null = null;
  /** A receiver too old to say offers neither history nor alerts. */
  features: Features = { history: null, alerts: false };
  /** The fleet's CPU over the last day, from the history routes; null until read (or with history off). */
  sparks: FleetSparks | null = null;
  private byId = new Map<string, HostState>();
  private readonly trends = new Trends();
  /** The watched host's guests' and containers' CPU, for the sparklines of their tables. */
  readonly guestHistory = new GuestHistory();
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  history(id: string): HostTrends {
    return this.trends.host(id);
  }

  /** The receiver's clock now, as far as this browser can tell: it keeps running while no frame comes. */
  receiverNowMs(): number {
    return this.receivedAtMs === 0
      ? this.tsMs
      : this.tsMs + Math.max(0, Date.now() - this.receivedAtMs);
  }

  setLinkDown(down: boolean): void {
    if (down === this.linkDown) return;
    this.linkDown = down;
    this.notify();
  }

  host(id: string): HostState | undefined {
    return this.byId.get(id);
  }

  applyFleet(frame: FleetMessage): void {
    this.intervalMs = frame.interval_ms;
    this.setHosts(frame.hosts, frame.ts_ms);
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
    this.guestHistory.record(message.id, message.snapshot);
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
    this.trends.update(hosts, tsMs, this.intervalMs);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
