// WS /api/v1/live: the consumers. The first one starts polling, the last one leaving stops it;
// every round goes out as one fleet frame (serialised once), plus detail for a watched host.
// Consumers are pinged, and one that stops answering counts as gone, as if it had closed.
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

/** Every consumer gets a ping this often (its payload: a number the pong must echo). */
export const PING_EVERY_MS = 5_000;
/**
 * A consumer that has shown no sign of reading for this long is dropped. A connection can die
 * without a close: a stopped process, a sleeping laptop or a dead NAT leaves the socket open for
 * up to the kernel's retransmission timeout (about 15 minutes), and the fleet would be polled
 * for nobody all that time. Signs of reading: a pong echoing one of our pings (a ping queues
 * behind the frames, so its echo proves they were read), or fewer bytes unsent than at the last
 * ping (a slow reader far behind, whose pong is still on its way). Checked at each ping, so a
 * frozen consumer goes at most SILENT_LIMIT_MS + PING_EVERY_MS (20 s) after it stopped.
 */
export const SILENT_LIMIT_MS = 15_000;

interface Consumer {
  conn: WsConnection;
  watch: { host: string; sections: readonly Section[] } | null;
  dropped: number;
  /** The number of the last ping sent. */
  pingSeq: number;
  /** When the consumer connected or last showed it reads (see SILENT_LIMIT_MS). */
  answeredMs: number;
  /** Its unsent bytes at the last ping. */
  bufferedBytes: number;
}

export interface LiveSource {
  view(): HostState[];
  detail(id: string): FleetMessage["hosts"][number]["snapshot"];
  has(id: string): boolean;
  intervalMs: number;
}

export class Consumers {
  private readonly consumers = new Map<number, Consumer>();
  private pinger: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly source: LiveSource,
    /** Called with the number of consumers whenever it changes. */
    private readonly onDemand: (count: number) => void,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
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

  /**
   * Drop the consumers silent for over SILENT_LIMIT_MS, ping the others. Runs every
   * PING_EVERY_MS while anyone is connected.
   */
  heartbeat(nowMs = this.clock()): void {
    for (const consumer of [...this.consumers.values()]) {
      const bufferedBytes = consumer.conn.bufferedBytes();
      if (bufferedBytes < consumer.bufferedBytes) consumer.answeredMs = nowMs;
      consumer.bufferedBytes = bufferedBytes;
      const silentMs = nowMs - consumer.answeredMs;
      if (silentMs > SILENT_LIMIT_MS) {
        this.drop(consumer, silentMs);
        continue;
      }
      consumer.pingSeq += 1;
      consumer.conn.ping(String(consumer.pingSeq));
    }
  }

  /** Stop pinging (the node is shutting down); connections close with the server. */
  stop(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }

  handler(): WsHandler {
    return {
      open: (conn) => {
        this.consumers.set(conn.id, {
          conn,
          watch: null,
          dropped: 0,
          pingSeq: 0,
          answeredMs: this.clock(),
          bufferedBytes: 0,
        });
        this.log.debug("consumer connected", {
          consumers: this.consumers.size,
          from: conn.clientAddress,
        });
        if (!this.pinger) {
          this.pinger = setInterval(() => this.heartbeat(), PING_EVERY_MS);
          // The server keeps a node alive; pings alone must not keep a test process running.
          this.pinger.unref();
        }
        this.onDemand(this.consumers.size);
      },
      message: (conn, text) => this.onMessage(conn, text),
      pong: (conn, payload) => this.onPong(conn, payload),
      close: (conn) => {
        const consumer = this.consumers.get(conn.id);
        // A dropped consumer has been counted out already; its close comes later.
        if (!consumer) return;
        this.remove(consumer);
        this.log.debug("consumer left", {
          consumers: this.consumers.size,
          dropped_frames: consumer.dropped,
        });
        this.onDemand(this.consumers.size);
      },
    };
  }

  private remove(consumer: Consumer): void {
    this.consumers.delete(consumer.conn.id);
    if (this.consumers.size === 0) this.stop();
  }

  /** Count a silent consumer out now, and cut its connection rather than wait for a close it cannot send. */
  private drop(consumer: Consumer, silentMs: number): void {
    this.remove(consumer);
    this.log.warn("consumer dropped: it answered no ping", {
      from: consumer.conn.clientAddress,
      silent_ms: silentMs,
      buffered_bytes: consumer.bufferedBytes,
      consumers: this.consumers.size,
    });
    consumer.conn.terminate();
    this.onDemand(this.consumers.size);
  }

  /** Only an echo of a ping we sent counts: an unsolicited pong proves nothing about reading. */
  private onPong(conn: WsConnection, payload: string): void {
    const consumer = this.consumers.get(conn.id);
    if (!consumer || !/^[1-9][0-9]{0,15}$/.test(payload)) return;
    const seq = Number(payload);
    if (seq <= consumer.pingSeq) consumer.answeredMs = this.clock();
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
