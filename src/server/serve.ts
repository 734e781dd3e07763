// Bun.serve composition: the HTTP app, WebSocket routes with auth and Origin checks before the
// upgrade, per-connection message limits, and optional TLS.
import { existsSync } from "node:fs";
import type { Server, ServerWebSocket } from "bun";
import type { Logger } from "../log.ts";
import { PROTOCOL_CAPS, type WsError } from "../protocol/index.ts";
import {
  type AuthPolicy,
  authenticate,
  type Grant,
  offeredProtocols,
  originAllowed,
  WS_PROTOCOL,
} from "./auth.ts";
import { BAD_HOST_MESSAGE, requestUrl } from "./host.ts";
import { type HttpApp, jsonError, type PolicyFor, policyFor, refusalResponse } from "./http.ts";
import {
  MAX_BODY_BYTES,
  MAX_WS_MESSAGE_BYTES,
  TokenBucket,
  WS_BURST,
  WS_MESSAGES_PER_S,
  WS_REFUSALS_BEFORE_CLOSE,
} from "./limits.ts";
import type { OpenSockets } from "./open-sockets.ts";
import { securedStaticRoutes } from "./static.ts";

/** What a WebSocket route sees of one connection. */
export interface WsConnection {
  readonly id: number;
  readonly clientAddress: string;
  /** false when the message was dropped because the peer is not reading (backpressure). */
  send(text: string): boolean;
  /** Bytes queued for this peer and not yet sent: a slow reader has a growing number. */
  bufferedBytes(): number;
  /** A ping carrying `payload`, which the peer echoes in its pong once it has read this far. */
  ping(payload: string): void;
  close(code?: number, reason?: string): void;
  /** Drop the connection at once: no closing handshake, which a peer that stopped reading never completes. */
  terminate(): void;
}

export interface WsHandler {
  open?(conn: WsConnection): void;
  /** A text frame within the size and rate limits; the handler validates its content. */
  message(conn: WsConnection, text: string): void;
  /** A pong with the payload it echoes (up to 125 bytes): the answer to `conn.ping`. */
  pong?(conn: WsConnection, payload: string): void;
  close?(conn: WsConnection): void;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  tls: { cert: string; key: string } | null;
  app: HttpApp;
  /** One policy for every route, or the policy of each path (role both: sender vs receiver routes). */
  policy: AuthPolicy | PolicyFor;
  /** Open WebSockets with their credentials, closed when those end; absent: not tracked. */
  sockets?: OpenSockets;
  /** Origins besides the node's own that may open WebSockets (browsers on other sites). */
  allowedOrigins: readonly string[];
  websockets: Readonly<Record<string, WsHandler>>;
  /** Public static routes Bun serves itself (the web dashboard's HTML bundle, bundled into the binary). */
  staticRoutes?: Readonly<Record<string, Bun.HTMLBundle | Response>>;
  log: Logger;
}

interface SocketData {
  handler: WsHandler;
  conn: WsConnection;
  socket: ServerWebSocket<SocketData> | null;
  bucket: TokenBucket;
  refusedInARow: number;
  grant: Grant;
}

export class ListenError extends Error {}

/**
 * Bun's default, made explicit because routes depend on it: an HTTP request that has not been
 * answered within this is cut, and the client gets an empty reply. Routes that wait for others
 * (a one-off poll round) must answer well within it.
 */
export const HTTP_IDLE_TIMEOUT_S = 10;

export function wsError(
  code: WsError["error"]["code"],
  message: string,
  id: number | null = null,
): string {
  // The schema caps a message: one listing every valid section for five bad ones can pass it.
  const capped =
    message.length > PROTOCOL_CAPS.reasonChars
      ? `${message.slice(0, PROTOCOL_CAPS.reasonChars - 1)}…`
      : message;
  const error: WsError = { id, type: "error", error: { code, message: capped } };
  return JSON.stringify(error);
}

let nextConnectionId = 1;

export function serve(options: ServeOptions): Server<SocketData> {
  const { app, log } = options;
  const policyOf = policyFor(options.policy);
  const secure = options.tls !== null;
  if (options.tls) {
    for (const [key, path] of Object.entries(options.tls)) {
      if (!existsSync(path)) throw new ListenError(`tls.${key}: file not found: ${path}`);
    }
  }

  const upgrade = (
    req: Request,
    server: Server<SocketData>,
    handler: WsHandler,
    path: string,
  ): Response | undefined => {
    const clientAddress = server.requestIP(req)?.address ?? "unknown";
    const decision = authenticate(req, clientAddress, policyOf(path));
    if (!decision.ok) return refusalResponse(decision.refusal);
    if (!originAllowed(req, secure, options.allowedOrigins)) {
      log.warn("websocket refused: foreign origin", { origin: req.headers.get("origin") ?? "" });
      return jsonError(
        403,
        "forbidden",
        "this origin may not open a WebSocket here; list it in dashboard.allowed_origins",
      );
    }
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return jsonError(426, "upgrade_required", "this route speaks WebSocket only");
    }
    const data: SocketData = {
      handler,
      socket: null, // set in open(), once the socket exists
      bucket: new TokenBucket(WS_MESSAGES_PER_S, WS_BURST),
      refusedInARow: 0,
      grant: decision.grant,
      conn: {
        id: nextConnectionId++,
        clientAddress,
        send: (text) => (data.socket ? data.socket.send(text) !== 0 : false),
        bufferedBytes: () => data.socket?.getBufferedAmount() ?? 0,
        ping: (payload) => void data.socket?.ping(payload),
        close: (code, reason) => data.socket?.close(code, reason),
        terminate: () => data.socket?.terminate(),
      },
    };
    const headers: Record<string, string> = {};
    // Echo our protocol (never the token) so browsers that offered protocols accept the socket.
    if (offeredProtocols(req).includes(WS_PROTOCOL))
      headers["sec-websocket-protocol"] = WS_PROTOCOL;
    if (server.upgrade(req, { data, headers })) return undefined;
    return jsonError(400, "bad_request", "WebSocket upgrade failed");
  };

  let server: Server<SocketData>;
  try {
    server = Bun.serve<SocketData>({
      hostname: options.hostname,
      port: options.port,
      tls: options.tls
        ? { cert: Bun.file(options.tls.cert), key: Bun.file(options.tls.key) }
        : undefined,
      // Two nodes on one port would split requests between them at random: refuse the second.
      reusePort: false,
      maxRequestBodySize: MAX_BODY_BYTES,
      idleTimeout: HTTP_IDLE_TIMEOUT_S,
      routes: options.staticRoutes ? securedStaticRoutes(options.staticRoutes) : undefined,
      development: false,
      fetch(req, srv) {
        // A missing or malformed Host is the client's mistake: 400, and no log line per request.
        const path = requestUrl(req)?.pathname;
        if (path === undefined) return jsonError(400, "bad_request", BAD_HOST_MESSAGE);
        const handler = options.websockets[path];
        if (handler) return upgrade(req, srv, handler, path);
        return app.fetch(req, { clientAddress: srv.requestIP(req)?.address ?? "unknown" });
      },
      error(err) {
        log.error("request failed", { error: err.message });
        return jsonError(500, "internal", "internal error; see the node's log");
      },
      websocket: {
        maxPayloadLength: MAX_WS_MESSAGE_BYTES,
        backpressureLimit: 4 * 1024 * 1024,
        // Bun restarts this timer on every frame it sends, so it never fires for a consumer we
        // keep sending to, even one that stopped reading long ago: /api/v1/live pings its
        // consumers itself and drops the silent ones (receiver/live.ts).
        idleTimeout: 120,
        open(ws) {
          ws.data.socket = ws;
          options.sockets?.add(ws.data.conn.id, {
            ended: ws.data.grant.ended,
            close: (code, reason) => ws.close(code, reason),
          });
          ws.data.handler.open?.(ws.data.conn);
        },
        message(ws, message) {
          onMessage(ws, message);
        },
        pong(ws, payload) {
          ws.data.handler.pong?.(ws.data.conn, payload.toString("latin1"));
        },
        close(ws) {
          ws.data.socket = null;
          options.sockets?.delete(ws.data.conn.id);
          ws.data.handler.close?.(ws.data.conn);
        },
      },
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const where = `${options.hostname}:${options.port}`;
    if (/EADDRINUSE|in use/i.test(message))
      throw new ListenError(`cannot listen on ${where}: the address is already in use`);
    if (/EACCES|permission/i.test(message))
      throw new ListenError(`cannot listen on ${where}: permission denied`);
    if (secure)
      throw new ListenError(`cannot start TLS on ${where} with tls.cert/tls.key: ${message}`);
    throw new ListenError(`cannot listen on ${where}: ${message}`);
  }
  return server;
}

function onMessage(ws: ServerWebSocket<SocketData>, message: string | Buffer): void {
  const data = ws.data;
  if (!data.bucket.take()) {
    data.refusedInARow += 1;
    if (data.refusedInARow >= WS_REFUSALS_BEFORE_CLOSE) {
      ws.close(1008, "message rate limit exceeded");
      return;
    }
    // One error per burst is enough to tell the client; answering every dropped message would
    // let a flood amplify itself.
    if (data.refusedInARow === 1) {
      ws.send(
        wsError(
          "rate_limited",
          `more than ${WS_MESSAGES_PER_S} messages per second; messages are being dropped`,
        ),
      );
    }
    return;
  }
  data.refusedInARow = 0;
  if (typeof message !== "string") {
    ws.send(wsError("bad_message", "binary frames are not accepted; send JSON text frames"));
    return;
  }
  data.handler.message(data.conn, message);
}
