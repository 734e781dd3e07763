// The receiver: links to every configured host (and the local one in role both), the fleet
// store, the demand-driven poller, and what each round feeds: the alert rules, the consumers it
// fans out to, and the history recorder.
import type { Collector } from "../collect/index.ts";
import type { SenderConfig } from "../config/index.ts";
import type { HostRow, Recorder } from "../history/recorder.ts";
import type { Logger } from "../log.ts";
import type { FiringAlert, HostState, Section } from "../protocol/index.ts";
import { safeDeep } from "../safe-text.ts";
import type { WsHandler } from "../server/serve.ts";
import { Fleet } from "./fleet.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, type HostLink, localLink, RemoteLink } from "./link.ts";
import { Consumers } from "./live.ts";
import { Poller } from "./poller.ts";
import { safeLink } from "./safe-link.ts";

export interface ReceiverOptions {
  intervalMs: number;
  /** The receiver's own token: what a sender entry without a token of its own is asked with. */
  token: string | null;
  senders: readonly SenderConfig[];
  /** The largest message taken from a sender (max_message_bytes); default 1 MiB. */
  maxMessageBytes?: number;
  /** Role both: this host, read in-process, under its hostname. */
  local: { id: string; collector: Collector } | null;
  log: Logger;
  /**
   * Poll at this pace while nobody watches (history is recorded, or alert rules need data);
   * null: poll only while someone watches.
   */
  backgroundMs?: number | null;
  /** Records each round (history on, SQLite backend). */
  recorder?: Recorder | null;
  /** Hosts as a previous run left them: last seen, facts, last-known values. */
  restored?: readonly HostRow[];
  alerts?: Alerting | null;
}

/** What the receiver needs of the alert engine. */
export interface Alerting {
  /** After every round, with the fleet as it is now (heavy sections included). */
  evaluate(hosts: readonly HostState[], nowMs: number): void;
  /** Heavy sections (guests, containers) the rules read of this host: asked in every round. */
  sections(hostId: string): readonly Section[];
  firing(hostId: string): FiringAlert[];
}

export class Receiver {
  readonly fleet: Fleet;
  private readonly links = new Map<string, HostLink>();
  private readonly linkKeys = new Map<string, string>();
  private readonly poller: Poller;
  private readonly consumers: Consumers;
  private maxMessageBytes: number;

  constructor(private readonly options: ReceiverOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const { log } = options;
    this.fleet = new Fleet((id, from, to, error) => {
      options.recorder?.statusChanged({ host: id, tsMs: Date.now(), from, to, error });
      const fields = {
        host: id,
        from,
        to,
        error: to === "online" ? undefined : (error ?? undefined),
      };
      if (to === "online") log.info("host status", fields);
      else log.warn("host status", fields);
    });
    this.consumers = new Consumers(
      {
        view: () => this.view(),
        detail: (id) => this.fleet.detail(id),
        has: (id) => this.fleet.has(id),
        intervalMs: options.intervalMs,
      },
      () => this.updatePace(),
      log,
    );
    this.poller = new Poller(
      this.fleet,
      this.links,
      options.intervalMs,
      { heavy: () => this.heavy() },
      () => this.afterRound(),
      log,
    );
    this.setSenders(options.senders);
    // Rows a previous run wrote may predate the text boundary (safe-link.ts).
    if (options.restored) this.fleet.restore(options.restored.map(safeDeep));
    this.updatePace();
  }

  /** Live pace while someone watches; the background pace (or none) otherwise. */
  private updatePace(): void {
    this.poller.setPace(
      this.consumers.count > 0 ? this.options.intervalMs : (this.options.backgroundMs ?? null),
    );
  }

  /** Heavy sections per host: what its watchers asked for, and what the alert rules read of it. */
  private heavy(): Map<string, Section[]> {
    const wanted = this.consumers.heavy();
    const alerts = this.options.alerts;
    if (!alerts) return wanted;
    for (const id of this.links.keys()) {
      const sections = alerts.sections(id);
      if (sections.length === 0) continue;
      wanted.set(id, [...new Set([...(wanted.get(id) ?? []), ...sections])]);
    }
    return wanted;
  }

  /** Alerts first, so the frames carry them; the consumers next; the file last. */
  private afterRound(): void {
    const nowMs = Date.now();
    const { alerts, recorder } = this.options;
    alerts?.evaluate(this.fleet.fullView(), nowMs);
    this.consumers.broadcast();
    recorder?.round(this.fleet.view(), nowMs);
  }

  /** The fleet as consumers see it: with each host's firing alerts when there are rules. */
  view(): HostState[] {
    const hosts = this.fleet.view();
    const alerts = this.options.alerts;
    if (!alerts) return hosts;
    for (const host of hosts) host.alerts = alerts.firing(host.id);
    return hosts;
  }

  /** How often hosts are polled now; null: not at all. */
  get paceMs(): number | null {
    return this.poller.currentPaceMs;
  }

  /**
   * Apply a (re)loaded sender list: new hosts are linked, removed ones dropped, changed ones
   * relinked (a new max_message_bytes relinks every host).
   */
  setSenders(senders: readonly SenderConfig[], maxMessageBytes = this.maxMessageBytes): void {
    this.maxMessageBytes = maxMessageBytes;
    const targets: { id: string; url: string }[] = [];
    const local = this.options.local;
    if (local) targets.push({ id: local.id, url: "local" });
    for (const s of senders) if (s.name !== local?.id) targets.push({ id: s.name, url: s.url });

    const wanted = new Set(targets.map((t) => t.id));
    for (const [id, link] of this.links) {
      if (wanted.has(id)) continue;
      link.close();
      this.links.delete(id);
      this.linkKeys.delete(id);
      this.options.log.info("host removed", { host: id });
    }
    if (local && !this.links.has(local.id)) {
      this.links.set(local.id, safeLink(localLink(local.collector)));
      this.linkKeys.set(local.id, "local");
    }
    for (const s of senders) {
      if (s.name === local?.id) {
        this.options.log.warn("sender skipped: its name is this host's own", { host: s.name });
        continue;
      }
      const target = {
        url: s.url.replace(/\/+$/, ""),
        token: s.token ?? this.options.token,
        fingerprint: s.fingerprint,
        ca: s.ca,
      };
      const key = JSON.stringify({ ...target, maxMessageBytes });
      if (this.linkKeys.get(s.name) === key) continue;
      const isNew = !this.links.has(s.name);
      this.links.get(s.name)?.close();
      this.links.set(s.name, safeLink(new RemoteLink(target, { maxMessageBytes })));
      this.linkKeys.set(s.name, key);
      this.options.log.info(isNew ? "host added" : "host changed", { host: s.name, url: s.url });
    }
    this.fleet.sync(targets);
  }

  liveHandler(): WsHandler {
    return this.consumers.handler();
  }

  /**
   * The fleet for one-off readers; polls once first when nobody is watching and it is old, waiting
   * for that round no longer than `maxWaitMs` (a hung host holds a round for 80 % of an interval):
   * what answers later is in the fleet for the next reader.
   */
  async hosts(maxWaitMs = Number.POSITIVE_INFINITY): Promise<HostState[]> {
    const round = this.poller.refresh();
    if (Number.isFinite(maxWaitMs)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxWaitMs);
      });
      await Promise.race([round, deadline]).finally(() => clearTimeout(timer));
    } else {
      await round;
    }
    return this.view();
  }

  get consumerCount(): number {
    return this.consumers.count;
  }

  stop(): void {
    this.consumers.stop();
    this.poller.stop();
    for (const link of this.links.values()) link.close();
  }
}
