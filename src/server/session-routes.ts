// POST/DELETE /api/v1/session: a browser trades the login secret for a session cookie, and back.
import * as v from "valibot";
import { decode } from "../protocol/index.ts";
import {
  type AuthPolicy,
  failedAttempt,
  originAllowed,
  secureCookieContext,
  tokensEqual,
} from "./auth.ts";
import { type HttpApp, jsonError, refusalResponse } from "./http.ts";
import { clearedSessionCookie, sessionCookie, sessionIdsFrom } from "./sessions.ts";

const LoginSchema = v.object({ token: v.pipe(v.string(), v.maxLength(1024)) });

export function addSessionRoutes(
  app: HttpApp,
  policy: AuthPolicy,
  secure: boolean,
  allowedOrigins: readonly string[],
): void {
  const sessions = policy.sessions;
  if (!sessions) throw new Error("session routes need a session store");

  // Logging in or out from another site's page (login CSRF) is refused like a foreign WebSocket.
  app.use("/api/v1/session", async (c, next) => {
    if (!originAllowed(c.req.raw, secure, allowedOrigins)) {
      return jsonError(
        403,
        "forbidden",
        "this origin may not log in here; list it in dashboard.allowed_origins",
      );
    }
    await next();
  });

  app.post("/api/v1/session", async (c) => {
    const address = c.env?.clientAddress ?? "unknown";
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(400, "bad_request", 'send JSON: {"token":"..."}');
    }
    const login = decode(LoginSchema, body);
    if (!login.ok) return jsonError(400, "bad_request", `${login.error} (send {"token":"..."})`);
    // The secret is read now, not at start: a reload that replaced it takes effect here too.
    if (policy.token !== null && !tokensEqual(login.value.token, policy.token)) {
      return refusalResponse(
        failedAttempt(policy, address, { status: 401, message: "wrong token" }),
      );
    }
    const { id, expiresAtMs } = sessions.create();
    const secureContext = secureCookieContext(c.req.raw, policy);
    c.header("set-cookie", sessionCookie(id, expiresAtMs - Date.now(), secureContext));
    return c.json({ ok: true, expires_ms: expiresAtMs });
  });

  app.delete("/api/v1/session", (c) => {
    const secureContext = secureCookieContext(c.req.raw, policy);
    for (const id of sessionIdsFrom(c.req.raw, secureContext)) sessions.delete(id);
    c.header("set-cookie", clearedSessionCookie(secureContext));
    return c.json({ ok: true });
  });
}
