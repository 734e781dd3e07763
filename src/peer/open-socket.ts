// The socket a dashboard running in Bun (hwm tui) opens to a node: hwm's own bounded WebSocket
// client (ws-client.ts) with the node's token and TLS trust, so that no message over the cap is
// ever held and every failure is said in words, never as a raw runtime error.
import type { OpenSocket, PeerSocket } from "../client/link.ts";
import type { LinkError, PeerWords, RemoteTarget } from "./link-error.ts";
import { socketTrust } from "./tls.ts";
import { SenderSocket } from "./ws-client.ts";

/** A dashboard's cap when none is given: a receiver's frame for a few hundred hosts fits easily. */
export const DASHBOARD_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface BoundedSocketOptions {
  target: RemoteTarget;
  maxMessageBytes: number;
  /** For the connection and the upgrade together. */
  timeoutMs: number;
  /** Who is at the other end, for the messages: asked at each connection (it may change). */
  words(): PeerWords;
}

export function boundedSocket(options: BoundedSocketOptions): OpenSocket {
  const { target } = options;
  const headers: Record<string, string> = target.token
    ? { authorization: `Bearer ${target.token}` }
    : {};
  return (path, events): PeerSocket => {
    let socket: SenderSocket | null = null;
    let closed = false;
    let ended = false;
    // Frames that came with the upgrade's answer reach us before open() settles: they wait for
    // onOpen, so that the session hears of the connection before its first message.
    let early: string[] | null = [];
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      events.onClose(reason);
    };
    try {
      SenderSocket.open({
        url: new URL(path, target.url),
        headers,
        trust: new URL(target.url).protocol === "https:" ? socketTrust(target) : null,
        maxMessageBytes: options.maxMessageBytes,
        capName: "--max-message-bytes",
        words: options.words(),
        timeoutMs: options.timeoutMs,
        onMessage: (text) => {
          if (early) early.push(text);
          else events.onMessage(text);
        },
        onClose: (error: LinkError) => end(error.message),
      }).then(
        (opened) => {
          if (closed) opened.close(1000, "dashboard closed");
          else {
            socket = opened;
            events.onOpen();
            const waiting = early ?? [];
            early = null;
            for (const text of waiting) if (!ended) events.onMessage(text);
          }
        },
        (err: unknown) => end(err instanceof Error ? err.message : String(err)),
      );
    } catch (err) {
      // socketTrust throws when the CA file cannot be read: a failed attempt like any other.
      queueMicrotask(() => end(err instanceof Error ? err.message : String(err)));
    }
    return {
      send: (text) => socket?.send(text),
      close: () => {
        closed = true;
        ended = true;
        socket?.close(1000, "dashboard closed");
      },
    };
  };
}
