// POST/DELETE /api/v1/session: a browser trades the token for a session cookie, and back.
import * as v from "valibot";
import { decode } from "../protocol/index.ts";
import { type AuthPolicy, originAllowed, tokensEqual } from "./auth.ts";
import { errorBody, type HttpApp, jsonError } from "./http.ts";
import { clearedSessionCookie, sessionCookie, sessionIdFrom } from "./sessions.ts";

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
    const waitMs = policy.backoff.retryAfterMs(address);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      return c.json(
        errorBody("rate_limited", `too many failed attempts: try again in ${retryAfterS} s`),
        429,
        {
          "retry-after": String(retryAfterS),
        },
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(400, "bad_request", 'send JSON: {"token":"..."}');
    }
    const login = decode(LoginSchema, body);
    if (!login.ok) return jsonError(400, "bad_request", `${login.error} (send {"token":"..."})`);
    if (policy.token !== null && !tokensEqual(login.value.token, policy.token)) {
      policy.backoff.fail(address);
      return jsonError(401, "unauthorized", "wrong token");
    }
    policy.backoff.succeed(address);
    c.header("set-cookie", sessionCookie(sessions.create(), secure));
    return c.json({ ok: true });
  });

  app.delete("/api/v1/session", (c) => {
    const id = sessionIdFrom(c.req.raw);
    if (id) sessions.delete(id);
    c.header("set-cookie", clearedSessionCookie(secure));
    return c.json({ ok: true });
  });
}
