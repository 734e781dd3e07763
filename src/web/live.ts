// WS /api/v1/live: one connection per tab, reconnecting with backoff; watches the host on
// screen for its processes. Closing the tab closes the socket, so the receiver stops polling.
import type { FleetMessage, HostDetailMessage, LiveError, LiveRequest } from "../protocol/index.ts";
import { sessionAlive } from "./api.ts";
import type { FleetStore } from "./store.ts";

export type LinkState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; retryAtMs: number }
  | { kind: "expired" };

type LiveMessage = FleetMessage | HostDetailMessage | LiveError;

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** Silence longer than this many intervals means a dead link, even if TCP has not noticed. */
const SILENT_INTERVALS = 4;
const MIN_SILENCE_MS = 5000;

export function liveUrl(location: Location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/v1/live`;
}

export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private lastMessageMs = 0;
  private watching: string | null = null;
  private stopped = true;

  constructor(
    private readonly url: string,
    private readonly store: FleetStore,
    private readonly onState: (state: LinkState) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
    this.watchdog = setInterval(() => this.checkSilence(), 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    this.drop();
  }

  /** Ask for the heavy sections of one host (null: none). Kept across reconnects. */
  watch(id: string | null): void {
    if (id === this.watching) return;
    this.watching = id;
    if (id === null) this.store.clearDetail();
    this.sendWatch();
  }

  private connect(): void {
    this.onState(this.attempt === 0 ? { kind: "connecting" } : this.reconnectingState(0));
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.lastMessageMs = Date.now();
    socket.onopen = () => {
      this.attempt = 0;
      this.lastMessageMs = Date.now();
      this.onState({ kind: "live" });
      this.sendWatch();
    };
    socket.onmessage = (event) => {
      this.lastMessageMs = Date.now();
      this.dispatch(String(event.data));
    };
    socket.onclose = () => {
      if (this.socket === socket) void this.lost();
    };
  }

  private dispatch(text: string): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
    } catch {
      return;
    }
    if (message.type === "fleet") this.store.applyFleet(message);
    else if (message.type === "host") {
      if (message.id === this.watching) this.store.applyDetail(message);
    } else if (message.type === "error") {
      console.warn(`hwm live: ${message.error.code}: ${message.error.message}`);
    }
  }

  private sendWatch(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const request: LiveRequest =
      this.watching === null
        ? { type: "watch", host: null }
        : { type: "watch", host: this.watching, sections: ["processes"] };
    socket.send(JSON.stringify(request));
  }

  /** The socket is gone: a stale session ends here; anything else is retried with backoff. */
  private async lost(): Promise<void> {
    this.drop();
    if (this.stopped) return;
    this.attempt++;
    const delayMs =
      Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.attempt - 1)) *
      (0.75 + Math.random() / 2);
    this.onState(this.reconnectingState(delayMs));
    if (!(await sessionAlive())) {
      this.stop();
      this.onState({ kind: "expired" });
      return;
    }
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delayMs);
  }

  private reconnectingState(delayMs: number): LinkState {
    return { kind: "reconnecting", attempt: this.attempt, retryAtMs: Date.now() + delayMs };
  }

  private checkSilence(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const limitMs = Math.max(MIN_SILENCE_MS, SILENT_INTERVALS * this.store.intervalMs);
    if (Date.now() - this.lastMessageMs > limitMs) void this.lost();
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN)
      socket.close();
  }
}
