// The receiver: links to every configured host (and the local one in role both), the fleet
// store, the demand-driven poller, and the consumers it fans out to.
import type { Collector } from "../collect/index.ts";
import type { SenderConfig } from "../config/types.ts";
import type { Logger } from "../log.ts";
import type { HostState } from "../protocol/index.ts";
import type { WsHandler } from "../server/serve.ts";
import { Fleet } from "./fleet.ts";
import { type HostLink, localLink, RemoteLink } from "./link.ts";
import { Consumers } from "./live.ts";
import { Poller } from "./poller.ts";

export interface ReceiverOptions {
  intervalMs: number;
  /** The receiver's own token: what a sender entry without a token of its own is asked with. */
  token: string | null;
  senders: readonly SenderConfig[];
  /** Role both: this host, read in-process, under its hostname. */
  local: { id: string; collector: Collector } | null;
  log: Logger;
}

export class Receiver {
  readonly fleet: Fleet;
  private readonly links = new Map<string, HostLink>();
  private readonly linkKeys = new Map<string, string>();
  private readonly poller: Poller;
  private readonly consumers: Consumers;

  constructor(private readonly options: ReceiverOptions) {
    const { log } = options;
    this.fleet = new Fleet((id, from, to, error) => {
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
        view: () => this.fleet.view(),
        detail: (id) => this.fleet.detail(id),
        has: (id) => this.fleet.has(id),
        intervalMs: options.intervalMs,
      },
      (count) => (count > 0 ? this.poller.start() : this.poller.stop()),
      log,
    );
    this.poller = new Poller(
      this.fleet,
      this.links,
      options.intervalMs,
      this.consumers,
      () => this.consumers.broadcast(),
      log,
    );
    this.setSenders(options.senders);
  }

  /** Apply a (re)loaded sender list: new hosts are linked, removed ones dropped, changed ones relinked. */
  setSenders(senders: readonly SenderConfig[]): void {
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
      this.links.set(local.id, localLink(local.collector));
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
      const key = JSON.stringify(target);
      if (this.linkKeys.get(s.name) === key) continue;
      const isNew = !this.links.has(s.name);
      this.links.get(s.name)?.close();
      this.links.set(s.name, new RemoteLink(target));
      this.linkKeys.set(s.name, key);
      this.options.log.info(isNew ? "host added" : "host changed", { host: s.name, url: s.url });
    }
    this.fleet.sync(targets);
  }

  liveHandler(): WsHandler {
    return this.consumers.handler();
  }

  /** The fleet for one-off readers; polls once first when nobody is watching and it is old. */
  async hosts(): Promise<HostState[]> {
    await this.poller.refresh();
    return this.fleet.view();
  }

  get consumerCount(): number {
    return this.consumers.count;
  }

  stop(): void {
    this.poller.stop();
    for (const link of this.links.values()) link.close();
  }
}
