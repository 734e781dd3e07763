// WS /api/v1/live: the consumers. The first one starts polling, the last one leaving stops it;
// every round goes out as one fleet frame (serialised once), plus detail for a watched host.
import type { Logger } from "../log.ts";
import {
  type FleetMessage,
  type HostDetailMessage,
  type HostState,
  LiveRequestSchema,
  type Section,
  WATCH_SECTIONS,
} from "../protocol/index.ts";
import { type WsConnection, type WsHandler, wsError } from "../server/serve.ts";
import { readMessage } from "../server/ws-message.ts";

/** A consumer with more than this queued and unsent gets no new frame until it catches up. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

interface Consumer {
  conn: WsConnection;
  watch: { host: string; sections: readonly Section[] } | null;
  dropped: number;
}

export interface LiveSource {
  view(): HostState[];
  detail(id: string): FleetMessage["hosts"][number]["snapshot"];
  has(id: string): boolean;
  intervalMs: number;
}

export class Consumers {
  private readonly consumers = new Map<number, Consumer>();

  constructor(
    private readonly source: LiveSource,
    /** Called with the number of consumers whenever it changes. */
    private readonly onDemand: (count: number) => void,
    private readonly log: Logger,
  ) {}

  get count(): number {
    return this.consumers.size;
  }

  /** Heavy sections per watched host id, for the poller. */
  heavy(): Map<string, Section[]> {
    const wanted = new Map<string, Section[]>();
    for (const { watch } of this.consumers.values()) {
      if (!watch) continue;
      const sections = new Set([...(wanted.get(watch.host) ?? []), ...watch.sections]);
      wanted.set(watch.host, [...sections]);
    }
    return wanted;
  }

  /** Send the fleet as it is now to everyone who can take it. */
  broadcast(): void {
    if (this.consumers.size === 0) return;
    const tsMs = Date.now();
    const frame: FleetMessage = {
      type: "fleet",
      ts_ms: tsMs,
      interval_ms: this.source.intervalMs,
      hosts: this.source.view(),
    };
    const text = JSON.stringify(frame);
    const details = new Map<string, string>();
    for (const consumer of this.consumers.values()) {
      if (consumer.conn.bufferedBytes() > MAX_BUFFERED_BYTES) {
        // A slow reader: skip frames rather than queue them; the next one it gets is current.
        consumer.dropped += 1;
        continue;
      }
      consumer.conn.send(text);
      const host = consumer.watch?.host;
      if (!host) continue;
      let detail = details.get(host);
      if (detail === undefined) {
        const snapshot = this.source.detail(host);
        detail = snapshot
          ? JSON.stringify({
              type: "host",
              ts_ms: tsMs,
              id: host,
              snapshot,
            } satisfies HostDetailMessage)
          : "";
        details.set(host, detail);
      }
      if (detail) consumer.conn.send(detail);
    }
  }

  handler(): WsHandler {
    return {
      open: (conn) => {
        this.consumers.set(conn.id, { conn, watch: null, dropped: 0 });
        this.log.debug("consumer connected", {
          consumers: this.consumers.size,
          from: conn.clientAddress,
        });
        this.onDemand(this.consumers.size);
      },
      message: (conn, text) => this.onMessage(conn, text),
      close: (conn) => {
        const consumer = this.consumers.get(conn.id);
        this.consumers.delete(conn.id);
        this.log.debug("consumer left", {
          consumers: this.consumers.size,
          dropped_frames: consumer?.dropped ?? 0,
        });
        this.onDemand(this.consumers.size);
      },
    };
  }

  private onMessage(conn: WsConnection, text: string): void {
    const consumer = this.consumers.get(conn.id);
    if (!consumer) return;
    const request = readMessage(
      conn,
      text,
      LiveRequestSchema,
      '{"type":"watch","host":ID,"sections":["processes"]}',
    );
    if (!request) return;
    const { host, sections } = request;
    if (host === null) {
      consumer.watch = null;
      return;
    }
    if (!this.source.has(host)) {
      conn.send(wsError("bad_message", `no host ${JSON.stringify(host)} in this fleet`));
      return;
    }
    consumer.watch = {
      host,
      sections: sections && sections.length > 0 ? sections : [...WATCH_SECTIONS],
    };
  }
}
