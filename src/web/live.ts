// The page's WS /api/v1/live: the shared live client (client/live.ts) over the browser's
// WebSocket, kept open by client/link.ts and feeding the store. Before each reconnect it asks
// whether the login still holds: a session that ended shows the login, not endless retries.
// Closing the tab closes the socket, so the receiver stops polling.
import { type LinkState as CoreLinkState, Link, type OpenSocket } from "../client/link.ts";
import { LIVE_PATH, LiveClient } from "../client/live.ts";
import { sessionAlive } from "./api.ts";
import type { FleetStore } from "./store.ts";

export type LinkState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; retryAtMs: number; reason: string }
  | { kind: "expired" };

const EXPIRED = "the session has expired";

/** The browser's WebSocket to `path` on the page's own origin. */
function browserSocket(location: Location): OpenSocket {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return (path, events) => {
    const socket = new WebSocket(`${scheme}//${location.host}${path}`);
    socket.onopen = () => events.onOpen();
    socket.onmessage = (event) => events.onMessage(String(event.data));
    // A browser says nothing of why a WebSocket failed; the receiver may be restarting.
    socket.onclose = () => events.onClose("the connection to the receiver was lost");
    return {
      send: (text) => socket.send(text),
      close: () => {
        socket.onopen = socket.onmessage = socket.onclose = null;
        if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN)
          socket.close();
      },
    };
  };
}

export class LiveConnection {
  private readonly live: LiveClient;
  private readonly link: Link;

  constructor(
    location: Location,
    private readonly store: FleetStore,
    onState: (state: LinkState) => void,
  ) {
    this.live = new LiveClient({
      onFleet: (frame) => store.applyFleet(frame),
      onDetail: (detail) => store.applyDetail(detail),
      onError: (error) => console.warn(`hwm live: ${error.error.code}: ${error.error.message}`),
    });
    this.link = new Link({
      open: browserSocket(location),
      prepare: async (attempt) =>
        attempt > 0 && !(await sessionAlive())
          ? { reason: EXPIRED, final: true }
          : { path: LIVE_PATH, session: this.live.session() },
      intervalMs: () => store.intervalMs,
      onState: (state: CoreLinkState) =>
        onState(state.kind === "ended" ? { kind: "expired" } : state),
    });
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  /** Ask for the heavy sections of one host (null: none). Kept across reconnects. */
  watch(id: string | null): void {
    if (id === this.live.watched) return;
    if (id === null) this.store.clearDetail();
    this.live.watch(id);
  }
}
