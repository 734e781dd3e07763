// A receiver's line to one host: the remote kind keeps one WebSocket to the sender's
// /api/v1/ws (reconnecting with back-off and jitter); the local kind asks the in-process collector.
import type { Collector } from "../collect/index.ts";
import {
  decode,
  type HostInfo,
  type Section,
  type Snapshot,
  type WsRequest,
  WsResponseSchema,
} from "../protocol/index.ts";
import { LinkError, type RemoteTarget } from "./link-error.ts";
import { type SenderTls, senderTls } from "./tls.ts";

export { LinkError, type LinkFailure, type RemoteTarget } from "./link-error.ts";

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

interface Pending {
  type: WsRequest["type"];
  resolve(value: Snapshot | HostInfo): void;
  reject(error: LinkError): void;
  timer: ReturnType<typeof setTimeout>;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Why a WebSocket would not open: ask once over plain HTTP, which tells a 401 from a dead host. */
async function diagnose(
  target: RemoteTarget,
  tls: SenderTls | undefined,
  timeoutMs: number,
): Promise<LinkError> {
  try {
    const res = await fetch(`${target.url}/api/v1/info`, {
      headers: target.token ? { authorization: `Bearer ${target.token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
      tls,
    } as RequestInit);
    await res.arrayBuffer();
    if (res.status === 401 || res.status === 403) {
      return new LinkError("unauthorized", `the sender refused our token (HTTP ${res.status})`);
    }
    if (res.status === 404)
      return new LinkError("incompatible", "no hwm sender API at this URL (HTTP 404)");
    return new LinkError("offline", `WebSocket refused (HTTP ${res.status} on /api/v1/info)`);
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") {
      return new LinkError("timeout", `no answer within ${timeoutMs} ms`);
    }
    return new LinkError("offline", `unreachable: ${describe(err)}`);
  }
}

export class RemoteLink implements HostLink {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;
  private retryAtMs = 0;
  private lastError: LinkError | null = null;
  /** Bumped by close(), so a connection that opens afterwards is dropped rather than kept. */
  private generation = 0;

  constructor(readonly target: RemoteTarget) {}

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
    const deadlineMs = Date.now() + timeoutMs;
    const socket = await this.connect(timeoutMs);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(new LinkError("timeout", `no answer within ${timeoutMs} ms`));
        },
        Math.max(1, deadlineMs - Date.now()),
      );
      this.pending.set(id, { type: message.type, resolve, reject, timer });
      socket.send(JSON.stringify({ ...message, id }));
    });
  }

  private connect(timeoutMs: number): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    if (Date.now() < this.retryAtMs && this.lastError) return Promise.reject(this.lastError);
    this.opening = this.open(timeoutMs).then(
      (socket) => {
        this.failures = 0;
        this.lastError = null;
        this.opening = null;
        return socket;
      },
      (err: unknown) => {
        this.opening = null;
        const error = err instanceof LinkError ? err : new LinkError("offline", describe(err));
        if (error.kind === "cancelled") throw error; // our own doing: no back-off
        this.failures += 1;
        this.lastError = error;
        // Exponential back-off with full jitter, so a rack of senders rebooting together is not
        // hammered in lockstep; a timeout already cost a whole interval, so retry it sooner.
        const capMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
        this.retryAtMs = Date.now() + (error.kind === "timeout" ? 0 : Math.random() * capMs);
        throw error;
      },
    );
    return this.opening;
  }

  private async open(timeoutMs: number): Promise<WebSocket> {
    const generation = this.generation;
    const tls = await senderTls(this.target, timeoutMs);
    const wsUrl = `${this.target.url.replace(/^http/, "ws")}/api/v1/ws`;
    const headers: Record<string, string> = {};
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    const socket = new WebSocket(wsUrl, { headers, tls } as unknown as string[]);
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.close();
        reject(new LinkError("timeout", `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.onopen = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (generation !== this.generation) {
          // close() ran while we were connecting: nobody wants this connection any more.
          socket.close(1000, "nobody is watching");
          reject(new LinkError("cancelled", "connection closed by the receiver"));
          return;
        }
        this.socket = socket;
        resolve(socket);
      };
      socket.onerror = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        diagnose(this.target, tls, timeoutMs).then(reject, reject);
      };
      socket.onmessage = (event) => this.onMessage(String(event.data));
      socket.onclose = () => {
        if (this.socket === socket) this.socket = null;
        this.failAll(new LinkError("offline", "the sender closed the connection"));
      };
    });
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.failAll(new LinkError("incompatible", "the sender sent something that is not JSON"));
      return;
    }
    const decoded = decode(WsResponseSchema, json);
    if (!decoded.ok) {
      const id =
        typeof json === "object" && json !== null && "id" in json ? Number(json.id) : Number.NaN;
      const error = new LinkError(
        "incompatible",
        `unexpected payload from the sender: ${decoded.error}`,
      );
      const pending = this.pending.get(id);
      if (pending) this.settle(id, pending, error);
      else this.failAll(error);
      return;
    }
    const response = decoded.value;
    const pending = response.id === null ? undefined : this.pending.get(response.id);
    if (!pending || response.id === null) return; // an answer that came after its timeout
    if (response.type === "error") {
      this.settle(
        response.id,
        pending,
        new LinkError(
          "incompatible",
          `the sender answered ${response.error.code}: ${response.error.message}`,
        ),
      );
    } else if (response.type !== pending.type) {
      this.settle(
        response.id,
        pending,
        new LinkError("incompatible", `asked for ${pending.type}, got ${response.type}`),
      );
    } else {
      this.settle(response.id, pending, response.data);
    }
  }

  private settle(id: number, pending: Pending, outcome: Snapshot | HostInfo | LinkError): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    if (outcome instanceof LinkError) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private failAll(error: LinkError): void {
    for (const [id, pending] of this.pending) this.settle(id, pending, error);
  }
}
