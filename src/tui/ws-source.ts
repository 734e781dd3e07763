// The dashboard's DataSource over the network: before each connection, asks GET /api/v1/hosts
// what the node is, then follows a receiver's live stream or polls a sender (client/live.ts,
// client/sender.ts) over one link that reconnects by itself (client/link.ts), through hwm's own
// bounded WebSocket client. Asks a receiver for a host's recorded history when the dashboard
// wants it.
import { type ApiResult, fetchHostHistory, type HistoryQuery } from "../client/api.ts";
import { Link, type LinkState, type Prepared } from "../client/link.ts";
import { LIVE_PATH, LiveClient } from "../client/live.ts";
import { SENDER_PATH, SenderClient } from "../client/sender.ts";
import { connectFailure, type PeerWords } from "../peer/link-error.ts";
import { boundedSocket, DASHBOARD_MESSAGE_BYTES } from "../peer/open-socket.ts";
import { type SenderTls, senderTls } from "../peer/tls.ts";
import {
  decode,
  type HistoryResponse,
  type HostInfo,
  type HostState,
  HostsResponseSchema,
  type Snapshot,
} from "../protocol/index.ts";
import { type DataSource, initialState, type NodeKind, type SourceState } from "./source.ts";

export interface ConnectOptions {
  /** Base URL of the node: http(s)://host:port. */
  url: string;
  token: string | null;
  /** Pin the node's certificate ("sha256:…") instead of trusting the system CAs. */
  fingerprint: string | null;
  /** How often a sender is asked (a receiver pushes at its own interval). */
  intervalMs: number;
  /** The largest message taken from the node; a larger one closes the connection. */
  maxMessageBytes?: number;
}

const REQUEST_TIMEOUT_MS = 5_000;
/**
 * The other end in messages: "node" until it says what it is, then "receiver" or "sender". Its
 * certificate is trusted with hwm tui's flag; it takes no CA file.
 */
function nodeWords(kind: NodeKind | null): PeerWords {
  return { peer: kind ?? "node", pin: "--fingerprint", ca: null };
}
/** How long a fleet frame waits for the watched host's detail that follows it. */
const DETAIL_WAIT_MS = 100;

export class NodeSource implements DataSource {
  state: SourceState;
  private readonly listeners = new Set<() => void>();
  private readonly headers: Record<string, string>;
  private readonly link: Link;
  private readonly live: LiveClient;
  private readonly sender: SenderClient;
  private info: HostInfo | null = null;
  /** The TLS options of the last answer from the node, for the history requests beside it. */
  private tls: SenderTls | undefined;
  /**
   * A fleet frame that arrived while a host is watched: that host's detail follows it at once,
   * so the two are told as one change (one redraw, not two); this bounds the wait.
   */
  private heldTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ConnectOptions) {
    this.state = initialState(options.url, options.intervalMs);
    this.headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.live = new LiveClient({
      onFleet: (frame) => {
        this.state = {
          ...this.state,
          hosts: frame.hosts,
          intervalMs: frame.interval_ms,
          updatedAtMs: Date.now(),
          nodeTsMs: frame.ts_ms,
        };
        if (this.live.watched === null) this.notify();
        else this.heldTimer ??= setTimeout(() => this.notify(), DETAIL_WAIT_MS);
      },
      onDetail: (detail) => this.update({ detail: { id: detail.id, snapshot: detail.snapshot } }),
    });
    this.sender = new SenderClient(
      {
        onInfo: (info) => {
          this.info = info;
          const host = this.state.hosts[0];
          if (host) this.update({ hosts: [{ ...host, id: info.hostname, info }] });
        },
        onSnapshot: (snapshot) =>
          this.update({
            hosts: [this.senderHost(snapshot)],
            problem: null,
            updatedAtMs: Date.now(),
            nodeTsMs: Date.now(),
          }),
        onError: (error) =>
          this.update({ problem: `the sender answered ${error.code}: ${error.message}` }),
      },
      options.intervalMs,
    );
    this.link = new Link({
      open: boundedSocket({
        target: {
          url: options.url,
          token: options.token,
          fingerprint: options.fingerprint,
          ca: null,
        },
        maxMessageBytes: options.maxMessageBytes ?? DASHBOARD_MESSAGE_BYTES,
        timeoutMs: REQUEST_TIMEOUT_MS,
        words: () => nodeWords(this.state.kind),
      }),
      prepare: () => this.probe(),
      intervalMs: () => this.state.intervalMs,
      onState: (link) => this.onLink(link),
    });
    this.link.start();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  watch(hostId: string | null): void {
    if (hostId === this.live.watched) return;
    this.live.watch(hostId);
    if (this.state.kind === "receiver") this.update({ detail: null });
  }

  history(
    hostId: string,
    query: HistoryQuery,
    timeoutMs: number,
  ): Promise<ApiResult<HistoryResponse>> {
    if (this.state.kind !== "receiver" || !this.state.features?.history) {
      return Promise.resolve({
        ok: false,
        error: { kind: "http", status: 404, message: "this node keeps no history" },
      });
    }
    return fetchHostHistory(
      {
        baseUrl: this.options.url,
        init: { headers: this.headers, tls: this.tls } as RequestInit,
        timeoutMs,
      },
      hostId,
      query,
    );
  }

  close(): void {
    this.link.stop();
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    this.listeners.clear();
  }

  private update(patch: Partial<SourceState>): void {
    this.state = { ...this.state, ...patch };
    this.notify();
  }

  private notify(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    for (const listener of this.listeners) listener();
  }

  private onLink(link: LinkState): void {
    if (link.kind === "live") this.update({ link: "live", problem: null });
    else if (link.kind === "reconnecting") {
      // A sender's one host cannot be read now: it shows as offline, with the reason.
      const hosts =
        this.state.kind === "sender"
          ? this.state.hosts.map(
              (h): HostState => ({ ...h, status: "offline", last_error: link.reason }),
            )
          : this.state.hosts;
      this.update({
        link: this.state.link === "connecting" ? "connecting" : "reconnecting",
        problem: link.reason,
        hosts,
      });
    }
  }

  /** What the node is, asked before each connection: a receiver's fleet, or a sender. */
  private async probe(): Promise<Prepared> {
    const { url, token, fingerprint } = this.options;
    let res: Response;
    try {
      this.tls = await senderTls({ url, token, fingerprint, ca: null }, REQUEST_TIMEOUT_MS);
      res = await fetch(`${url}/api/v1/hosts`, {
        headers: this.headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        tls: this.tls,
      } as RequestInit);
    } catch (err) {
      return { reason: this.unreachable(err), final: false };
    }
    const session = this.state.session + 1;
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer();
      return {
        reason: `the ${nodeWords(this.state.kind).peer} refused the token (HTTP ${res.status}): use --token-file or HWM_TOKEN`,
        final: false,
      };
    }
    if (res.status === 404) {
      await res.arrayBuffer();
      this.update({ kind: "sender", features: null, session });
      return { path: SENDER_PATH, session: this.sender.session() };
    }
    if (res.status !== 200) {
      await res.arrayBuffer();
      return { reason: `HTTP ${res.status} from ${url}/api/v1/hosts`, final: false };
    }
    const decoded = decode(HostsResponseSchema, await res.json().catch(() => null));
    if (!decoded.ok) {
      return { reason: `not an hwm node (or another version): ${decoded.error}`, final: false };
    }
    this.update({
      kind: "receiver",
      hosts: decoded.value.hosts,
      features: decoded.value.features ?? null,
      session,
    });
    return { path: LIVE_PATH, session: this.live.session() };
  }

  /** A failed request in words: never the runtime's own message about a socket. */
  private unreachable(err: unknown): string {
    if (err instanceof Error && err.name === "TimeoutError") {
      return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
    }
    // The pinned fingerprint's own check says what is wrong already.
    if (err instanceof Error && err.name === "LinkError") return err.message;
    const words = nodeWords(this.state.kind);
    return connectFailure(err, new URL(this.options.url).host, REQUEST_TIMEOUT_MS, words).message;
  }

  private senderHost(snapshot: Snapshot): HostState {
    return {
      id: this.info?.hostname ?? snapshot.host,
      url: this.options.url,
      status: "online",
      info: this.info,
      snapshot,
      last_seen_ms: Date.now(),
      last_error: null,
    };
  }
}

export function connectNode(options: ConnectOptions): DataSource {
  return new NodeSource(options);
}
