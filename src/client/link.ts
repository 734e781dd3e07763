// One WebSocket to a node, kept open for a dashboard: opened through whatever socket the platform
// has (the browser's, or hwm's bounded client in a terminal), opened again after a growing,
// jittered pause when it is lost or falls silent, and ended for good when a retry cannot help (a
// login that expired). It speaks no protocol: each connection's Session does (live.ts, sender.ts).

/** A socket as the platform gives it. */
export interface PeerSocket {
  send(text: string): void;
  close(): void;
}

export interface SocketEvents {
  onOpen(): void;
  onMessage(text: string): void;
  /** Once, when the socket did not open or closed; `reason` is in words for the user. */
  onClose(reason: string): void;
}

/** Opens a WebSocket to `path` on the node. */
export type OpenSocket = (path: string, events: SocketEvents) => PeerSocket;

/** What one connection speaks. */
export interface Session {
  /** The socket is open; `send` writes to it. */
  opened(send: (text: string) => void): void;
  /** A message arrived: null when understood, else why the link is dropped (and retried). */
  message(text: string): string | null;
  /** The socket is gone: stop what was started for it. */
  closed(): void;
}

/** Where to connect and what to speak there; or why not now (`final`: never again). */
export type Prepared = { path: string; session: Session } | { reason: string; final: boolean };

export type LinkState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; retryAtMs: number; reason: string }
  | { kind: "ended"; reason: string };

/** The pause before attempt N (1, 2, …): doubling from 500 ms up to 10 s, ±25 % jitter. */
export const BACKOFF = { firstMs: 500, maxMs: 10_000 } as const;

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const capMs = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capMs * (0.75 + random() / 2));
}

/** Silence longer than this many of the node's intervals is a dead link, whatever TCP thinks. */
export const SILENT_INTERVALS = 4;
export const MIN_SILENCE_MS = 5000;

export function silenceLimitMs(intervalMs: number): number {
  return Math.max(MIN_SILENCE_MS, SILENT_INTERVALS * intervalMs);
}

export interface LinkOptions {
  open: OpenSocket;
  /** Before every attempt (0 for the first): where to connect, or why not. */
  prepare(attempt: number): Promise<Prepared>;
  /** The node's interval now: the silence that ends a link follows it. */
  intervalMs(): number;
  onState(state: LinkState): void;
  random?: () => number;
}

export class Link {
  private socket: PeerSocket | null = null;
  private session: Session | null = null;
  private attempt = 0;
  private running = false;
  /** Bumped by every attempt and stop: an answer for an older one is ignored. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Why the last attempt failed, shown while the next one is under way. */
  private why = "";
  state: LinkState = { kind: "connecting" };

  constructor(private readonly options: LinkOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.close();
  }

  /** Drop the open connection and try again after the usual pause. */
  drop(reason: string): void {
    if (this.socket) this.lost(reason);
  }

  private setState(state: LinkState): void {
    this.state = state;
    this.options.onState(state);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState(
      this.attempt === 0
        ? { kind: "connecting" }
        : { kind: "reconnecting", attempt: this.attempt, retryAtMs: Date.now(), reason: this.why },
    );
    const prepared = await this.options.prepare(this.attempt);
    if (generation !== this.generation || !this.running) return;
    if ("reason" in prepared) {
      if (prepared.final) {
        this.running = false;
        this.setState({ kind: "ended", reason: prepared.reason });
      } else this.retry(prepared.reason);
      return;
    }
    const session = prepared.session;
    let open = false;
    const socket = this.options.open(prepared.path, {
      onOpen: () => {
        if (this.socket !== socket) return;
        open = true;
        this.attempt = 0;
        this.setState({ kind: "live" });
        this.armSilence();
        session.opened((text) => {
          if (this.socket === socket) socket.send(text);
        });
      },
      onMessage: (text) => {
        if (this.socket !== socket) return;
        this.armSilence();
        const problem = session.message(text);
        if (problem !== null) this.lost(problem);
      },
      onClose: (reason) => {
        if (this.socket !== socket) return;
        this.lost(open ? reason : reason || "could not connect");
      },
    });
    this.socket = socket;
    this.session = session;
  }

  private lost(reason: string): void {
    this.close();
    if (this.running) this.retry(reason);
  }

  private retry(reason: string): void {
    this.why = reason;
    this.attempt++;
    const delayMs = backoffMs(this.attempt, this.options.random);
    this.setState({
      kind: "reconnecting",
      attempt: this.attempt,
      retryAtMs: Date.now() + delayMs,
      reason,
    });
    const generation = ++this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (generation === this.generation && this.running) void this.connect();
    }, delayMs);
  }

  private armSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    const limitMs = silenceLimitMs(this.options.intervalMs());
    this.silenceTimer = setTimeout(
      () => this.drop(`no data for ${Math.round(limitMs / 1000)} s`),
      limitMs,
    );
  }

  private close(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
    const socket = this.socket;
    const session = this.session;
    this.socket = null;
    this.session = null;
    session?.closed();
    socket?.close();
  }
}
