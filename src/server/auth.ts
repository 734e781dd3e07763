// Who may ask: bearer tokens compared in constant time, the WebSocket subprotocol token, the
// loopback-Host rule for token-less nodes (DNS rebinding), and the refusal of tokens in URLs.
import type { AuthBackoff } from "./limits.ts";
import { type SessionStore, sessionIdFrom } from "./sessions.ts";

export const WS_PROTOCOL = "hwm.v1";
const WS_TOKEN_PREFIX = "hwm.token.";

export interface Refusal {
  status: 400 | 401 | 403 | 429;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Constant-time: both sides are hashed to 32 bytes and every byte is compared, so neither the
 * content nor the length of the token leaks through timing. (Bun's hasher rather than
 * node:crypto, which a headless node then never loads.)
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = Bun.SHA256.hash(presented) as Uint8Array;
  const b = Bun.SHA256.hash(expected) as Uint8Array;
  let differ = 0;
  for (let i = 0; i < a.length; i++) differ |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return differ === 0;
}

/** The protocols a WebSocket client offered, in order. */
export function offeredProtocols(req: Request): string[] {
  const header = req.headers.get("sec-websocket-protocol");
  if (!header) return [];
  return header
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** The token a request presents: `Authorization: Bearer`, else `hwm.token.<t>` among WS protocols. */
export function presentedToken(req: Request): string | null {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? "";
  }
  const fromProtocol = offeredProtocols(req).find((p) => p.startsWith(WS_TOKEN_PREFIX));
  return fromProtocol ? fromProtocol.slice(WS_TOKEN_PREFIX.length) : null;
}

/** 127.0.0.0/8, ::1 and localhost, with or without a port, IPv6 in brackets. */
export function isLoopbackHostHeader(host: string | null): boolean {
  if (!host) return false;
  let name = host.trim().toLowerCase();
  if (name.startsWith("[")) {
    const end = name.indexOf("]");
    if (end < 0) return false;
    name = name.slice(1, end);
  } else {
    const colon = name.lastIndexOf(":");
    if (colon >= 0) name = name.slice(0, colon);
  }
  if (name === "localhost" || name === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

const TOKEN_PARAMS = ["token", "access_token", "auth", "key"];

export interface AuthPolicy {
  /** null: no token configured, which the CLI allows on loopback addresses only. */
  token: string | null;
  backoff: AuthBackoff;
  /** Browser sessions (receivers); absent on a sender, which only programs talk to. */
  sessions?: SessionStore;
}

/**
 * Decide whether a request for a protected route may proceed. Returns null when it may,
 * otherwise the refusal to send (before any WebSocket upgrade).
 */
export function authorize(req: Request, clientAddress: string, policy: AuthPolicy): Refusal | null {
  const url = new URL(req.url);
  if (TOKEN_PARAMS.some((p) => url.searchParams.has(p))) {
    return {
      status: 400,
      message:
        "tokens are never accepted in URLs (they end up in logs and browser history): send 'Authorization: Bearer <token>' or the WebSocket protocol 'hwm.token.<token>'",
    };
  }
  if (policy.token === null) {
    // Bun builds req.url from the Host header; Requests made in-process may lack the header.
    if (isLoopbackHostHeader(req.headers.get("host") ?? url.host)) return null;
    return {
      status: 403,
      message:
        "this node runs without a token and only answers requests addressed to 127.0.0.1, [::1] or localhost",
    };
  }
  const waitMs = policy.backoff.retryAfterMs(clientAddress);
  if (waitMs > 0) {
    const retryAfterS = Math.ceil(waitMs / 1000);
    return {
      status: 429,
      message: `too many failed attempts from this address: try again in ${retryAfterS} s`,
      headers: { "retry-after": String(retryAfterS) },
    };
  }
  const sessionId = policy.sessions ? sessionIdFrom(req) : null;
  if (sessionId && policy.sessions?.touch(sessionId)) return null;
  const presented = presentedToken(req);
  if (presented === null) {
    return {
      status: 401,
      message: sessionId
        ? "your session has expired: log in again"
        : "authentication required: send 'Authorization: Bearer <token>' or log in",
      headers: { "www-authenticate": 'Bearer realm="hwm"' },
    };
  }
  if (!tokensEqual(presented, policy.token)) {
    policy.backoff.fail(clientAddress);
    return {
      status: 401,
      message: "invalid token",
      headers: { "www-authenticate": 'Bearer realm="hwm", error="invalid_token"' },
    };
  }
  policy.backoff.succeed(clientAddress);
  return null;
}

/** Same origin as the URL the browser used, or one the config allows; absent means a program. */
export function originAllowed(req: Request, secure: boolean, allowed: readonly string[]): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return true;
  const host = req.headers.get("host");
  if (host && origin.toLowerCase() === `${secure ? "https" : "http"}://${host}`.toLowerCase())
    return true;
  return allowed.includes(origin);
}
