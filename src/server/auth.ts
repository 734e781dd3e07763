// Who may ask: bearer tokens compared in constant time, the WebSocket subprotocol token, session
// cookies, the loopback-Host rule for token-less nodes (DNS rebinding), the refusal of tokens in
// URLs, and the back-off that slows failures down without ever refusing a right credential.
import { BAD_HOST_MESSAGE, isLoopbackHostHeader, requestUrl } from "./host.ts";
import type { AuthBackoff } from "./limits.ts";
import { type SessionStore, sessionIdsFrom } from "./sessions.ts";

export { isLoopbackHostHeader } from "./host.ts";

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

const TOKEN_PARAMS = ["token", "access_token", "auth", "key"];

export interface AuthPolicy {
  /** The secret these routes take; null: none, which the CLI allows on loopback addresses only. */
  token: string | null;
  backoff: AuthBackoff;
  /** Browser sessions (receivers); absent on a sender, which only programs talk to. */
  sessions?: SessionStore;
  /** The node serves https, so its session cookie is always a `__Host-` one. */
  tls?: boolean;
}

/** Whether the browser will keep a Secure (`__Host-`) cookie for this request's page. */
export function secureCookieContext(req: Request, policy: Pick<AuthPolicy, "tls">): boolean {
  return policy.tls === true || isLoopbackHostHeader(req.headers.get("host"));
}

/** How a request got in, kept with a WebSocket so it can be closed when that ends. */
export interface Grant {
  via: "open" | "token" | "session";
  /** null while the credential still holds, else why it no longer does. */
  ended(): string | null;
}

export type Decision = { ok: true; grant: Grant } | { ok: false; refusal: Refusal };

const SESSION_ENDED =
  "your session has expired or was ended (logged out, or the login secret changed): log in again";

function tooManyFailures(waitMs: number): Refusal {
  const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    status: 429,
    message: `too many failed attempts from this address: try again in ${retryAfterS} s`,
    headers: { "retry-after": String(retryAfterS) },
  };
}

/**
 * A failed attempt: counted, and answered 429 once the address is over its allowance. Only
 * failures are slowed: the right credential is checked first and always passes, so neither a
 * guesser nor a misconfigured client behind the same address can lock the right one out.
 */
export function failedAttempt(
  policy: AuthPolicy,
  clientAddress: string,
  refusal: Refusal,
): Refusal {
  const blocked = policy.backoff.retryAfterMs(clientAddress) > 0;
  policy.backoff.fail(clientAddress);
  return blocked ? tooManyFailures(policy.backoff.retryAfterMs(clientAddress)) : refusal;
}

/**
 * Decide whether a request for a protected route may proceed, and with which credential; the
 * refusal is sent before any WebSocket upgrade.
 */
export function authenticate(req: Request, clientAddress: string, policy: AuthPolicy): Decision {
  const url = requestUrl(req);
  if (url === null) return { ok: false, refusal: { status: 400, message: BAD_HOST_MESSAGE } };
  if (TOKEN_PARAMS.some((p) => url.searchParams.has(p))) {
    return {
      ok: false,
      refusal: {
        status: 400,
        message:
          "tokens are never accepted in URLs (they end up in logs and browser history): send 'Authorization: Bearer <token>' or the WebSocket protocol 'hwm.token.<token>'",
      },
    };
  }
  if (policy.token === null) {
    // Bun builds req.url from the Host header; Requests made in-process may lack the header.
    if (isLoopbackHostHeader(req.headers.get("host") ?? url.host)) {
      return {
        ok: true,
        grant: {
          via: "open",
          ended: () => (policy.token === null ? null : "a token is now required"),
        },
      };
    }
    return {
      ok: false,
      refusal: {
        status: 403,
        message:
          "this node runs without a token and only answers requests addressed to 127.0.0.1, [::1] or localhost",
      },
    };
  }
  const { sessions } = policy;
  const sessionIds = sessions ? sessionIdsFrom(req, secureCookieContext(req, policy)) : [];
  const sessionId = sessionIds.find((id) => sessions?.expiry(id) != null);
  if (sessions && sessionId !== undefined) {
    return {
      ok: true,
      grant: {
        via: "session",
        ended: () => (sessions.expiry(sessionId) === null ? "session ended" : null),
      },
    };
  }
  const presented = presentedToken(req);
  if (presented === null) {
    // No credential at all is not a guess: nothing to count.
    return {
      ok: false,
      refusal: {
        status: 401,
        message:
          sessionIds.length > 0
            ? SESSION_ENDED
            : "authentication required: send 'Authorization: Bearer <token>' or log in",
        headers: { "www-authenticate": 'Bearer realm="hwm"' },
      },
    };
  }
  if (!tokensEqual(presented, policy.token)) {
    return {
      ok: false,
      refusal: failedAttempt(policy, clientAddress, {
        status: 401,
        message: "invalid token",
        headers: { "www-authenticate": 'Bearer realm="hwm", error="invalid_token"' },
      }),
    };
  }
  // The back-off is not reset here: another client at this address (a shared NAT) would
  // otherwise wipe a guesser's record with every request of its own.
  return {
    ok: true,
    grant: {
      via: "token",
      ended: () =>
        policy.token !== null && tokensEqual(presented, policy.token) ? null : "token changed",
    },
  };
}

/** authenticate() for plain HTTP routes: the refusal to send, or null to go on. */
export function authorize(req: Request, clientAddress: string, policy: AuthPolicy): Refusal | null {
  const decision = authenticate(req, clientAddress, policy);
  return decision.ok ? null : decision.refusal;
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
