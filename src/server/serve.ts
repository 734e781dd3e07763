// Bun.serve composition: the HTTP app, WebSocket routes with auth and Origin checks before the
// upgrade, per-connection message limits, and optional TLS.
import { existsSync } from "node:fs";
import type { Server, ServerWebSocket } from "bun";
import type { Logger } from "../log.ts";
import type { WsError } from "../protocol/index.ts";
import {
  type AuthPolicy,
  authorize,
  offeredProtocols,
  originAllowed,
  WS_PROTOCOL,
} from "./auth.ts";
import { type HttpApp, jsonError, refusalResponse } from "./http.ts";
import {
  MAX_BODY_BYTES,
  MAX_WS_MESSAGE_BYTES,
  TokenBucket,
  WS_BURST,
  WS_MESSAGES_PER_S,
  WS_REFUSALS_BEFORE_CLOSE,
} from "./limits.ts";

/** What a WebSocket route sees of one connection. */
export interface WsConnection {
  readonly id: number;
  readonly clientAddress: string;
  /** false when the message was dropped because the peer is not reading (backpressure). */
  send(text: string): boolean;
  /** Bytes queued for this peer and not yet sent: a slow reader has a growing number. */
  bufferedBytes(): number;
  close(code?: number, reason?: string): void;
}

export interface WsHandler {
  open?(conn: WsConnection): void;
  /** A text frame within the size and rate limits; the handler validates its content. */
  message(conn: WsConnection, text: string): void;
  close?(conn: WsConnection): void;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  tls: { cert: string; key: string } | null;
  app: HttpApp;
  policy: AuthPolicy;
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
}

export class ListenError extends Error {}

export function wsError(
  code: WsError["error"]["code"],
  message: string,
  id: number | null = null,
): string {
  const error: WsError = { id, type: "error", error: { code, message } };
  return JSON.stringify(error);
}

let nextConnectionId = 1;

export function serve(options: ServeOptions): Server<SocketData> {
  const { app, policy, log } = options;
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
  ): Response | undefined => {
    const clientAddress = server.requestIP(req)?.address ?? "unknown";
    const refusal = authorize(req, clientAddress, policy);
    if (refusal) return refusalResponse(refusal);
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
      conn: {
        id: nextConnectionId++,
        clientAddress,
        send: (text) => (data.socket ? data.socket.send(text) !== 0 : false),
        bufferedBytes: () => data.socket?.getBufferedAmount() ?? 0,
        close: (code, reason) => data.socket?.close(code, reason),
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
      routes: options.staticRoutes ? { ...options.staticRoutes } : undefined,
      development: false,
      fetch(req, srv) {
        const path = new URL(req.url).pathname;
        const handler = options.websockets[path];
        if (handler) return upgrade(req, srv, handler);
        return app.fetch(req, { clientAddress: srv.requestIP(req)?.address ?? "unknown" });
      },
      error(err) {
        log.error("request failed", { error: err.message });
        return jsonError(500, "internal", "internal error; see the node's log");
      },
      websocket: {
        maxPayloadLength: MAX_WS_MESSAGE_BYTES,
        backpressureLimit: 4 * 1024 * 1024,
        idleTimeout: 120,
        open(ws) {
          ws.data.socket = ws;
          ws.data.handler.open?.(ws.data.conn);
        },
        message(ws, message) {
          onMessage(ws, message);
        },
        close(ws) {
          ws.data.socket = null;
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
