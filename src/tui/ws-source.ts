// The dashboard's DataSource over the network: asks GET /api/v1/hosts what the node is, then
// follows a receiver's WS /api/v1/live (fleet frames pushed, `watch` for processes) or asks a
// sender's WS /api/v1/ws for a snapshot every interval. Reconnects by itself with back-off.
// Asks a receiver for a host's recorded history when the dashboard wants it.
import { type ApiResult, fetchHostHistory, type HistoryQuery } from "../client/api.ts";
import {
  decode,
  FleetMessageSchema,
  type HistoryResponse,
  HostDetailMessageSchema,
  type HostInfo,
  type HostState,
  HostsResponseSchema,
  type Snapshot,
  WsResponseSchema,
} from "../protocol/index.ts";
import { type SenderTls, senderTls } from "../receiver/tls.ts";
import { type DataSource, initialState, type SourceState } from "./source.ts";

export interface ConnectOptions {
  /** Base URL of the node: http(s)://host:port. */
  url: string;
  token: string | null;
  /** Pin the node's certificate ("sha256:…") instead of trusting the system CAs. */
  fingerprint: string | null;
  /** How often a sender is asked (a receiver pushes at its own interval). */
  intervalMs: number;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** How long a fleet frame waits for the watched host's detail that follows it. */
const DETAIL_WAIT_MS = 100;

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class NodeSource implements DataSource {
  state: SourceState;
  private readonly listeners = new Set<() => void>();
  private readonly headers: Record<string, string>;
  private socket: WebSocket | null = null;
  private closed = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  /** Re-armed by every message: silence for this long means a dead link. */
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * A fleet frame that arrived while a host is watched: that host's detail follows it at once,
   * so the two are told as one change (one redraw, not two); this bounds the wait.
   */
  private heldTimer: ReturnType<typeof setTimeout> | null = null;
  private watching: string | null = null;
  private nextId = 1;
  private snapshotRequest: { id: number; sentMs: number } | null = null;
  private info: HostInfo | null = null;
  /** The TLS options of the current connection, for the history requests beside it. */
  private tls: SenderTls | undefined;

  constructor(private readonly options: ConnectOptions) {
    this.state = initialState(options.url, options.intervalMs);
    this.headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    void this.connect();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  watch(hostId: string | null): void {
    if (hostId === this.watching) return;
    this.watching = hostId;
    if (this.state.kind !== "receiver") return;
    this.update({ detail: null });
    this.sendWatch();
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
    this.closed = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "dashboard closed");
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

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.pollTimer, this.stallTimer, this.heldTimer]) {
      if (timer) clearTimeout(timer);
    }
    this.retryTimer = this.pollTimer = this.stallTimer = this.heldTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { url, token, fingerprint } = this.options;
    let tls: SenderTls | undefined;
    let res: Response;
    try {
      tls = await senderTls({ url, token, fingerprint, ca: null }, REQUEST_TIMEOUT_MS);
      res = await fetch(`${url}/api/v1/hosts`, {
        headers: this.headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        tls,
      } as RequestInit);
    } catch (err) {
      return this.lost(
        err instanceof Error && err.name === "TimeoutError" ? "no answer" : describe(err),
      );
    }
    if (this.closed) return;
    this.tls = tls;
    const session = this.state.session + 1;
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer();
      return this.lost(`the node refused the token (HTTP ${res.status}): use --token or HWM_TOKEN`);
    }
    if (res.status === 404) {
      await res.arrayBuffer();
      this.update({ kind: "sender", features: null, session });
      return this.open("/api/v1/ws", tls);
    }
    if (res.status !== 200) {
      await res.arrayBuffer();
      return this.lost(`HTTP ${res.status} from ${url}/api/v1/hosts`);
    }
    const decoded = decode(HostsResponseSchema, await res.json().catch(() => null));
    if (!decoded.ok) return this.lost(`not an hwm node (or another version): ${decoded.error}`);
    this.update({
      kind: "receiver",
      hosts: decoded.value.hosts,
      features: decoded.value.features ?? null,
      session,
    });
    return this.open("/api/v1/live", tls);
  }

  private open(path: string, tls: SenderTls | undefined): void {
    if (this.closed) return;
    const wsUrl = `${this.options.url.replace(/^http/, "ws")}${path}`;
    const socket = new WebSocket(wsUrl, { headers: this.headers, tls } as unknown as string[]);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.update({ link: "live", problem: null });
      this.armStall();
      if (this.state.kind === "sender") {
        socket.send(JSON.stringify({ id: this.nextId++, type: "info" }));
        this.poll();
      } else {
        this.sendWatch();
      }
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.onMessage(String(event.data));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.lost(event.reason ? `closed: ${event.reason}` : "connection lost");
    };
  }

  /** A failed attempt or a lost link: say why, then try again after a growing pause. */
  private lost(reason: string): void {
    if (this.closed) return;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.snapshotRequest = null;
    const hosts =
      this.state.kind === "sender"
        ? this.state.hosts.map((h): HostState => ({ ...h, status: "offline", last_error: reason }))
        : this.state.hosts;
    this.update({
      link: this.state.link === "connecting" ? "connecting" : "reconnecting",
      problem: reason,
      hosts,
    });
    const capMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => void this.connect(), capMs * (0.75 + Math.random() * 0.5));
  }

  private armStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    const interval = this.state.intervalMs;
    this.stallTimer = setTimeout(
      () =>
        this.lost(`no data for ${Math.round(Math.max(REQUEST_TIMEOUT_MS, 3 * interval) / 1000)} s`),
      Math.max(REQUEST_TIMEOUT_MS, 3 * interval),
    );
  }

  private sendWatch(): void {
    if (this.state.kind !== "receiver" || this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(
      JSON.stringify(
        this.watching === null
          ? { type: "watch", host: null }
          : { type: "watch", host: this.watching, sections: ["processes"] },
      ),
    );
  }

  /** Ask a sender for a snapshot; the answer schedules the next one, one interval after this. */
  private poll(): void {
    this.pollTimer = null;
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const id = this.nextId++;
    this.snapshotRequest = { id, sentMs: Date.now() };
    socket.send(JSON.stringify({ id, type: "snapshot" }));
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.lost("the node sent something that is not JSON");
      return;
    }
    this.armStall();
    if (this.state.kind === "sender") {
      this.onSenderMessage(json);
      return;
    }
    const type = typeof json === "object" && json !== null && "type" in json ? json.type : null;
    if (type === "fleet") {
      const fleet = decode(FleetMessageSchema, json);
      if (!fleet.ok) {
        this.lost(`unexpected fleet frame: ${fleet.error}`);
        return;
      }
      this.state = { ...this.state, hosts: fleet.value.hosts, intervalMs: fleet.value.interval_ms };
      if (this.watching === null) this.notify();
      else this.heldTimer ??= setTimeout(() => this.notify(), DETAIL_WAIT_MS);
    } else if (type === "host") {
      const detail = decode(HostDetailMessageSchema, json);
      if (detail.ok && detail.value.id === this.watching) {
        this.update({ detail: { id: detail.value.id, snapshot: detail.value.snapshot } });
      }
    }
  }

  private onSenderMessage(json: unknown): void {
    const response = decode(WsResponseSchema, json);
    if (!response.ok) {
      this.lost(`unexpected answer: ${response.error}`);
      return;
    }
    const message = response.value;
    if (message.type === "error") {
      this.update({ problem: `the node answered ${message.error.code}: ${message.error.message}` });
      return;
    }
    if (message.type === "info") {
      this.info = message.data;
      const host = this.state.hosts[0];
      if (host)
        this.update({ hosts: [{ ...host, id: message.data.hostname, info: message.data }] });
      return;
    }
    const request = this.snapshotRequest;
    if (!request || message.id !== request.id) return;
    this.snapshotRequest = null;
    this.update({ hosts: [this.senderHost(message.data)], problem: null });
    const delayMs = Math.max(0, request.sentMs + this.options.intervalMs - Date.now());
    this.pollTimer = setTimeout(() => this.poll(), delayMs);
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
