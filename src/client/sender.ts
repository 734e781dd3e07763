// A single sender's WS /api/v1/ws as a dashboard attached to it speaks: its HostInfo once per
// connection, then a snapshot every interval (the next asked one interval after the last was, not
// after its answer, so that a slow answer does not stretch the pace); every answer checked against
// the protocol's schemas.
import {
  decode,
  type HostInfo,
  type Snapshot,
  type WsError,
  WsResponseSchema,
} from "../protocol/index.ts";
import type { Session } from "./link.ts";

export const SENDER_PATH = "/api/v1/ws";

export interface SenderEvents {
  onInfo(info: HostInfo): void;
  onSnapshot(snapshot: Snapshot): void;
  /** The sender answered a request with an error (it keeps the connection). */
  onError(error: WsError["error"]): void;
}

export class SenderClient {
  constructor(
    private readonly events: SenderEvents,
    /** How often the sender is asked. */
    private readonly intervalMs: number,
  ) {}

  /** What one connection to /api/v1/ws speaks. */
  session(): Session {
    let nextId = 1;
    let send: ((text: string) => void) | null = null;
    let pending: { id: number; sentMs: number } | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = () => {
      timer = null;
      if (!send) return;
      pending = { id: nextId++, sentMs: Date.now() };
      send(JSON.stringify({ id: pending.id, type: "snapshot" }));
    };
    return {
      opened: (write) => {
        send = write;
        write(JSON.stringify({ id: nextId++, type: "info" }));
        poll();
      },
      message: (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return "the sender sent something that is not JSON";
        }
        const response = decode(WsResponseSchema, json);
        if (!response.ok)
          return `the sender sent an answer this dashboard cannot read: ${response.error}`;
        const message = response.value;
        if (message.type === "info") this.events.onInfo(message.data);
        else if (message.type === "error") this.events.onError(message.error);
        else if (pending?.id === message.id) this.events.onSnapshot(message.data);
        // The answer to the snapshot asked (or an error instead): the next one is due.
        if (pending && message.type !== "info" && message.id === pending.id) {
          const { sentMs } = pending;
          pending = null;
          timer = setTimeout(poll, Math.max(0, sentMs + this.intervalMs - Date.now()));
        }
        return null;
      },
      closed: () => {
        send = null;
        pending = null;
        if (timer) clearTimeout(timer);
        timer = null;
      },
    };
  }
}
