// The HTTP application every role shares: health check, auth in front of data routes, body
// limits, JSON errors. Roles add their routes to it; it is built without listening, for tests.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../log.ts";
import { type AuthPolicy, authorize, type Refusal } from "./auth.ts";
import { requestUrl } from "./host.ts";
import { MAX_BODY_BYTES } from "./limits.ts";

/** What the server passes with every request (Bun.serve knows the peer address, Hono does not). */
export interface HttpBindings {
  clientAddress: string;
}
export type HttpApp = Hono<{ Bindings: HttpBindings }>;

export function errorBody(
  code: string,
  message: string,
): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function refusalResponse(refusal: Refusal): Response {
  const code = { 400: "bad_request", 401: "unauthorized", 403: "forbidden", 429: "rate_limited" }[
    refusal.status
  ];
  return Response.json(errorBody(code, refusal.message), {
    status: refusal.status,
    headers: refusal.headers,
  });
}

/**
 * Which credential a path takes. In role both a node has two kinds of routes: its sender's,
 * asked with the fleet token, and its receiver's, opened with the dashboard's own secret.
 */
export type PolicyFor = (path: string) => AuthPolicy;

export function policyFor(policy: AuthPolicy | PolicyFor): PolicyFor {
  return typeof policy === "function" ? policy : () => policy;
}

export function createHttpApp(policies: AuthPolicy | PolicyFor, log: Logger): HttpApp {
  const policyOf = policyFor(policies);
  const app: HttpApp = new Hono<{ Bindings: HttpBindings }>();

  app.use(async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    // JSON and text only: nothing here may run, load anything, or be framed.
    if (!c.res.headers.has("content-security-policy"))
      c.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          errorBody("too_large", `request body over the limit of ${MAX_BODY_BYTES} bytes`),
          413,
        ),
    }),
  );

  app.get("/healthz", (c) => c.text("ok"));

  const guard = async (
    c: { req: { raw: Request }; env: HttpBindings | undefined },
    next: () => Promise<void>,
  ) => {
    const path = requestUrl(c.req.raw)?.pathname ?? "";
    const refusal = authorize(c.req.raw, c.env?.clientAddress ?? "unknown", policyOf(path));
    if (refusal) {
      log.debug("request refused", { path, status: refusal.status });
      return refusalResponse(refusal);
    }
    await next();
  };
  app.use("/api/*", (c, next) => (c.req.path === "/api/v1/session" ? next() : guard(c, next)));
  app.use("/metrics", guard);

  app.notFound((c) =>
    c.json(errorBody("not_found", `no route ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError((err, c) => {
    log.error("request failed", { path: c.req.path, error: err.message });
    return c.json(errorBody("internal", "internal error; see the node's log"), 500);
  });
  return app;
}

/** A JSON error response with the given HTTP status. */
export function jsonError(status: ContentfulStatusCode, code: string, message: string): Response {
  return Response.json(errorBody(code, message), { status });
}
