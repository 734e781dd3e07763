// A receiver's line to one host: the remote kind keeps one WebSocket to the sender's /api/v1/ws
// (bounded messages, reconnecting with back-off and jitter, dropped when it stops answering);
// the local kind asks the in-process collector.
import type { Collector } from "../collect/index.ts";
import { LinkError, type RemoteTarget, senderText } from "../peer/link-error.ts";
import { socketTrust } from "../peer/tls.ts";
import { SenderSocket } from "../peer/ws-client.ts";
import {
  decode,
  type HostInfo,
  type Section,
  type Snapshot,
  type WsRequest,
  WsResponseSchema,
} from "../protocol/index.ts";

export { LinkError, type LinkFailure, type RemoteTarget } from "../peer/link-error.ts";

export interface HostLink {
  snapshot(sections: readonly Section[], timeoutMs: number): Promise<Snapshot>;
  info(timeoutMs: number): Promise<HostInfo>;
  /** Drop the connection (nobody is watching); the next request reconnects. */
  close(): void;
}

export function localLink(collector: Collector): HostLink {
  return {
    snapshot: (sections) => collector.snapshot(sections),
    info: () => collector.info(),
    close() {},
  };
}

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** The default of max_message_bytes, for links made without a config (tests, tools). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

export interface RemoteLinkOptions {
  /** The largest message taken from the sender; a larger one closes the connection. */
  maxMessageBytes: number;
}

/**
 * The deepest nesting a sender's message may have. The protocol's deepest value is a process in
 * a snapshot in a response (5 levels); JSON.parse nests without limit, and 800 KB of "[[[[…"
 * costs it 40 MB of arrays before the schema can say no.
 */
const MAX_JSON_DEPTH = 16;

/** True when `text` nests arrays or objects deeper than `max` (strings skipped). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

interface Pending {
  type: WsRequest["type"];
  resolve(value: Snapshot | HostInfo): void;
  reject(error: LinkError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RemoteLink implements HostLink {
  private socket: SenderSocket | null = null;
  private opening: Promise<SenderSocket> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Failures in a row (connection, refusal, unreadable answer); a good answer resets them. */
  private failures = 0;
  private retryAtMs = 0;
  private lastError: LinkError | null = null;
  /** Bumped by close(), so a connection that opens afterwards is dropped rather than kept. */
  private generation = 0;

  constructor(
    readonly target: RemoteTarget,
    private readonly options: RemoteLinkOptions = { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES },
  ) {}

  snapshot(sections: readonly Section[], timeoutMs: number): Promise<Snapshot> {
    return this.request(
      { id: 0, type: "snapshot", sections: [...sections] },
      timeoutMs,
    ) as Promise<Snapshot>;
  }

  info(timeoutMs: number): Promise<HostInfo> {
    return this.request({ id: 0, type: "info" }, timeoutMs) as Promise<HostInfo>;
  }

  close(): void {
    this.generation += 1;
    this.opening = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "nobody is watching");
    this.failAll(new LinkError("cancelled", "connection closed by the receiver"));
  }

  private async request(message: WsRequest, timeoutMs: number): Promise<Snapshot | HostInfo> {
    // A host in back-off (refused us, sent garbage, cannot be reached) is not asked until then:
    // a hostile sender costs a message per back-off period, not one per round.
    if (Date.now() < this.retryAtMs && this.lastError) throw this.lastError;
    const deadlineMs = Date.now() + timeoutMs;
    const socket = await this.connect(timeoutMs);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          const error = new LinkError("timeout", `no answer within ${timeoutMs} ms`);
          reject(error);
          // A connection that stopped answering (a frozen sender, a NAT that forgot us) would
          // swallow every later request too: drop it, so that the next round connects afresh.
          this.drop(socket, error);
        },
        Math.max(1, deadlineMs - Date.now()),
      );
      this.pending.set(id, { type: message.type, resolve, reject, timer });
      socket.send(JSON.stringify({ ...message, id }));
    });
  }

  private connect(timeoutMs: number): Promise<SenderSocket> {
    if (this.socket?.isOpen) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    this.opening = this.open(timeoutMs).then(
      (socket) => {
        this.opening = null;
        return socket;
      },
      (err: unknown) => {
        this.opening = null;
        const error = err instanceof LinkError ? err : new LinkError("offline", String(err));
        // (A connection closed during the upgrade has counted its failure already.)
        if (error.kind !== "cancelled" && error !== this.lastError) this.backOff(error);
        throw error;
      },
    );
    return this.opening;
  }

  private async open(timeoutMs: number): Promise<SenderSocket> {
    const generation = this.generation;
    const url = new URL(`${this.target.url}/api/v1/ws`);
    const headers: Record<string, string> = {};
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    let opened: SenderSocket | null = null;
    const socket = await SenderSocket.open({
      url,
      headers,
      trust: url.protocol === "https:" ? socketTrust(this.target) : null,
      maxMessageBytes: this.options.maxMessageBytes,
      timeoutMs,
      onMessage: (text) => this.onMessage(text),
      onClose: (error) => {
        if (opened && this.socket === opened) this.socket = null;
        this.failAll(error);
        // A sender that broke the protocol or sent too much waits out a back-off.
        if (error.kind === "incompatible") this.backOff(error);
      },
    });
    opened = socket;
    if (generation !== this.generation) {
      // close() ran while we were connecting: nobody wants this connection any more.
      socket.close(1000, "nobody is watching");
      throw new LinkError("cancelled", "connection closed by the receiver");
    }
    // Frames that came with the upgrade answer may have closed it already (a hostile sender).
    if (socket.closedWith) throw socket.closedWith;
    this.socket = socket;
    return socket;
  }

  /**
   * Exponential back-off with full jitter, so a rack of senders rebooting together is not
   * hammered in lockstep; a timeout already cost a whole interval, so it is retried at once; a
   * sender's Retry-After is honoured.
   */
  private backOff(error: LinkError): void {
    this.failures += 1;
    this.lastError = error;
    const capMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
    const waitMs = error.kind === "timeout" ? 0 : Math.random() * capMs;
    this.retryAtMs = Date.now() + Math.max(waitMs, error.retryAfterMs);
  }

  private drop(socket: SenderSocket, error: LinkError): void {
    if (this.socket === socket) this.socket = null;
    socket.abort(error);
  }

  private onMessage(text: string): void {
    const error = this.readMessage(text);
    // A sender that answers garbage is asked again only after a back-off: it costs the receiver
    // the parsing of one message per back-off period, not one per round.
    if (error) this.backOff(error);
  }

  /** Settles the request a message answers; returns the error when it was unreadable. */
  private readMessage(text: string): LinkError | null {
    let json: unknown;
    try {
      if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw new RangeError("nested too deeply");
      json = JSON.parse(text);
    } catch (err) {
      const error = new LinkError(
        "incompatible",
        err instanceof RangeError
          ? `the sender sent JSON nested deeper than ${MAX_JSON_DEPTH} levels`
          : "the sender sent something that is not JSON",
      );
      this.failAll(error);
      return error;
    }
    const decoded = decode(WsResponseSchema, json);
    if (!decoded.ok) {
      const id =
        typeof json === "object" && json !== null && "id" in json ? Number(json.id) : Number.NaN;
      const error = new LinkError(
        "incompatible",
        `unexpected payload from the sender: ${senderText(decoded.error)}`,
      );
      const pending = this.pending.get(id);
      if (pending) this.settle(id, pending, error);
      else this.failAll(error);
      return error;
    }
    const response = decoded.value;
    const pending = response.id === null ? undefined : this.pending.get(response.id);
    if (!pending || response.id === null) return null; // an answer that came after its timeout
    if (response.type === "error") {
      // A well-formed refusal (rate limited, a failed collector) is not garbage: no back-off.
      this.settle(
        response.id,
        pending,
        new LinkError(
          "incompatible",
          `the sender answered ${response.error.code}: ${senderText(response.error.message)}`,
        ),
      );
      return null;
    }
    if (response.type !== pending.type) {
      const error = new LinkError(
        "incompatible",
        `asked for ${pending.type}, got ${response.type}`,
      );
      this.settle(response.id, pending, error);
      return error;
    }
    this.settle(response.id, pending, response.data);
    return null;
  }

  private settle(id: number, pending: Pending, outcome: Snapshot | HostInfo | LinkError): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    if (outcome instanceof LinkError) {
      pending.reject(outcome);
    } else {
      this.failures = 0;
      this.lastError = null;
      this.retryAtMs = 0;
      pending.resolve(outcome);
    }
  }

  private failAll(error: LinkError): void {
    for (const [id, pending] of this.pending) this.settle(id, pending, error);
  }
}
