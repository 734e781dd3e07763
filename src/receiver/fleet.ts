// The fleet as the receiver knows it: per host its status, facts, last snapshot (kept when the
// host goes away), last error; status changes are reported to a listener (the log).
import type { HostRow } from "../history/recorder.ts";
import type { LinkError } from "../peer/link-error.ts";
import {
  type HostInfo,
  type HostState,
  type HostStatus,
  type Snapshot,
  WATCH_SECTIONS,
} from "../protocol/index.ts";

/** Polls in a row a host may miss before it counts as offline rather than stale. */
const MISSES_BEFORE_OFFLINE = 2;

interface HostRecord {
  id: string;
  url: string;
  status: HostStatus;
  info: HostInfo | null;
  snapshot: Snapshot | null;
  /** Heavy sections (processes, guests, containers) from the last watched poll, kept apart from the fleet view. */
  detail: Snapshot | null;
  /** The last answer whole, heavy sections included: what the alert rules read. */
  full: Snapshot | null;
  lastSeenMs: number | null;
  lastError: string | null;
  misses: number;
  /** The facts came from a previous run: shown, but asked again on the first answer. */
  infoRestored: boolean;
}

export type StatusListener = (
  id: string,
  from: HostStatus,
  to: HostStatus,
  error: string | null,
) => void;

export class Fleet {
  private readonly hosts = new Map<string, HostRecord>();

  constructor(private readonly onStatus: StatusListener = () => {}) {}

  /** Make the host list match the config: new ids are added, gone ones removed, moved ones reset. */
  sync(targets: readonly { id: string; url: string }[]): void {
    const wanted = new Set(targets.map((t) => t.id));
    for (const id of this.hosts.keys()) if (!wanted.has(id)) this.hosts.delete(id);
    for (const { id, url } of targets) {
      const known = this.hosts.get(id);
      if (known && known.url === url) continue;
      this.hosts.set(id, {
        id,
        url,
        status: "offline",
        info: null,
        snapshot: null,
        detail: null,
        full: null,
        lastSeenMs: null,
        lastError: "not polled yet: nobody has watched since the receiver started",
        misses: 0,
        infoRestored: false,
      });
    }
  }

  /**
   * What a previous run recorded: facts, last-known values and when each host was last seen, for
   * hosts that have not answered yet in this run. Their status stays offline until they answer.
   */
  restore(rows: readonly HostRow[]): void {
    for (const row of rows) {
      const host = this.hosts.get(row.id);
      if (!host || host.lastSeenMs !== null) continue;
      host.info = row.info;
      host.infoRestored = true;
      host.snapshot = row.snapshot ?? null;
      host.lastSeenMs = row.lastSeenMs;
      host.lastError = "not polled yet since the receiver started";
    }
  }

  ids(): string[] {
    return [...this.hosts.keys()];
  }

  status(id: string): HostStatus | null {
    return this.hosts.get(id)?.status ?? null;
  }

  hasInfo(id: string): boolean {
    const host = this.hosts.get(id);
    return host?.info != null && !host.infoRestored;
  }

  setInfo(id: string, info: HostInfo): void {
    const host = this.hosts.get(id);
    if (!host) return;
    host.info = info;
    host.infoRestored = false;
  }

  /** A snapshot arrived; `heavy` when it carries sections only watchers get. */
  succeeded(id: string, snapshot: Snapshot, heavy: boolean, nowMs = Date.now()): void {
    const host = this.hosts.get(id);
    if (!host) return;
    host.lastSeenMs = nowMs;
    host.lastError = null;
    host.misses = 0;
    host.full = snapshot;
    if (heavy) {
      host.detail = snapshot;
      // The fleet view stays light: what only watchers asked for (processes, guests, ...) goes to them.
      const light: Snapshot = { ...snapshot };
      const errors = snapshot.errors ? { ...snapshot.errors } : undefined;
      for (const section of WATCH_SECTIONS) {
        delete light[section];
        delete errors?.[section];
      }
      if (errors && Object.keys(errors).length > 0) light.errors = errors;
      else delete light.errors;
      host.snapshot = light;
    } else {
      host.snapshot = snapshot;
    }
    this.setStatus(host, "online");
  }

  failed(id: string, error: LinkError): void {
    const host = this.hosts.get(id);
    if (!host || error.kind === "cancelled") return;
    host.lastError = error.message;
    if (error.kind === "unauthorized" || error.kind === "incompatible") {
      host.misses = 0;
      this.setStatus(host, error.kind);
      return;
    }
    host.misses += 1;
    // Stale is a host that was answering and missed a poll; one that was not answering stays offline.
    const wasAnswering = host.status === "online" || host.status === "stale";
    this.setStatus(host, wasAnswering && host.misses < MISSES_BEFORE_OFFLINE ? "stale" : "offline");
  }

  view(): HostState[] {
    return [...this.hosts.values()].map((h) => ({
      id: h.id,
      url: h.url,
      status: h.status,
      info: h.info,
      snapshot: h.snapshot,
      last_seen_ms: h.lastSeenMs,
      last_error: h.lastError,
    }));
  }

  /**
   * As view(), each host with its last answer whole (heavy sections included, as the alert rules
   * need them); a host not heard from in this run has its last-known values.
   */
  fullView(): HostState[] {
    return this.view().map((h) => ({ ...h, snapshot: this.hosts.get(h.id)?.full ?? h.snapshot }));
  }

  /** The last heavy sections of a host, for its watchers. */
  detail(id: string): Snapshot | null {
    return this.hosts.get(id)?.detail ?? null;
  }

  has(id: string): boolean {
    return this.hosts.has(id);
  }

  private setStatus(host: HostRecord, status: HostStatus): void {
    if (host.status === status) return;
    const from = host.status;
    host.status = status;
    this.onStatus(host.id, from, status, host.lastError);
  }
}
