// A receiver's WS /api/v1/live as both dashboards speak it: every frame checked against the
// protocol's schemas before anyone sees it (a frame that does not fit drops the link, which is
// retried, and says why), and the `watch` that asks for one host's heavy sections, kept across
// reconnects and sent again on each new connection.
import {
  decode,
  type FleetMessage,
  FleetMessageSchema,
  type HostDetailMessage,
  HostDetailMessageSchema,
  type LiveError,
  type LiveRequest,
  WATCH_SECTIONS,
  WsErrorSchema,
} from "../protocol/index.ts";
import type { Session } from "./link.ts";

export const LIVE_PATH = "/api/v1/live";

export interface LiveEvents {
  onFleet(frame: FleetMessage): void;
  /** The watched host's heavy sections; only for the host watched now. */
  onDetail(detail: HostDetailMessage): void;
  /** The receiver refused something we sent (it keeps the connection). */
  onError?(error: LiveError): void;
}

const typeOf = (json: unknown): unknown =>
  typeof json === "object" && json !== null && "type" in json ? json.type : null;

export class LiveClient {
  private watching: string | null = null;
  private send: ((text: string) => void) | null = null;

  constructor(private readonly events: LiveEvents) {}

  /** The host whose heavy sections (processes, guests, containers) are wanted; null: none. */
  get watched(): string | null {
    return this.watching;
  }

  watch(id: string | null): void {
    if (id === this.watching) return;
    this.watching = id;
    this.sendWatch();
  }

  /** What one connection to /api/v1/live speaks. */
  session(): Session {
    return {
      opened: (send) => {
        this.send = send;
        this.sendWatch();
      },
      message: (text) => this.receive(text),
      closed: () => {
        this.send = null;
      },
    };
  }

  private sendWatch(): void {
    const request: LiveRequest =
      this.watching === null
        ? { type: "watch", host: null }
        : { type: "watch", host: this.watching, sections: [...WATCH_SECTIONS] };
    this.send?.(JSON.stringify(request));
  }

  private receive(text: string): string | null {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return "the receiver sent something that is not JSON";
    }
    switch (typeOf(json)) {
      case "fleet": {
        const fleet = decode(FleetMessageSchema, json);
        if (!fleet.ok)
          return `the receiver sent a fleet frame this dashboard cannot read: ${fleet.error}`;
        this.events.onFleet(fleet.value);
        return null;
      }
      case "host": {
        const detail = decode(HostDetailMessageSchema, json);
        if (!detail.ok)
          return `the receiver sent host details this dashboard cannot read: ${detail.error}`;
        if (detail.value.id === this.watching) this.events.onDetail(detail.value);
        return null;
      }
      case "error": {
        const error = decode(WsErrorSchema, json);
        if (error.ok) this.events.onError?.(error.value);
        return null;
      }
      default:
        // A newer receiver may say more: what this dashboard does not know, it leaves alone.
        return null;
    }
  }
}
