// Token comparison, credential extraction, the loopback-Host rule and the refusal order.
import { describe, expect, test } from "bun:test";
import {
  type AuthPolicy,
  authenticate,
  authorize,
  isLoopbackHostHeader,
  presentedToken,
  tokensEqual,
} from "../../../src/server/auth.ts";
import { AuthBackoff, TokenBucket } from "../../../src/server/limits.ts";
import { SessionStore } from "../../../src/server/sessions.ts";

const TOKEN = "a-long-enough-shared-secret-0123";
const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("tokensEqual", () => {
  test("equal, different content, different length", () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(`${TOKEN.slice(0, -1)}4`, TOKEN)).toBe(false);
    expect(tokensEqual(TOKEN.slice(0, 5), TOKEN)).toBe(false);
    expect(tokensEqual("", TOKEN)).toBe(false);
  });
});

describe("presentedToken", () => {
  test("bearer header, subprotocol, nothing", () => {
    expect(presentedToken(req("http://x/", { authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(presentedToken(req("http://x/", { authorization: `bearer   ${TOKEN} ` }))).toBe(TOKEN);
    expect(presentedToken(req("http://x/", { authorization: "Basic abc" }))).toBe("");
    expect(
      presentedToken(req("http://x/", { "sec-websocket-protocol": `hwm.v1, hwm.token.${TOKEN}` })),
    ).toBe(TOKEN);
    expect(presentedToken(req("http://x/"))).toBeNull();
  });
});

describe("isLoopbackHostHeader", () => {
  test.each([
    ["127.0.0.1:7070", true],
    ["127.9.8.7", true],
    ["localhost:7070", true],
    ["LOCALHOST", true],
    ["[::1]:7070", true],
    ["0.0.0.0:7070", false],
    ["192.168.1.10:7070", false],
    ["127.0.0.1.evil.example", false],
    ["evil.example", false],
    ["[::2]:7070", false],
  ])("%s → %p", (host, expected) => {
    expect(isLoopbackHostHeader(host)).toBe(expected);
  });
});

describe("authorize", () => {
  test("with a token: missing → 401, wrong → 401, right → allowed", () => {
    const policy = { token: TOKEN, backoff: new AuthBackoff() };
    expect(authorize(req("http://n/api/v1/info"), "10.0.0.1", policy)?.status).toBe(401);
    expect(
      authorize(req("http://n/api/v1/info", { authorization: "Bearer nope" }), "10.0.0.1", policy)
        ?.status,
    ).toBe(401);
    expect(
      authorize(
        req("http://n/api/v1/info", { authorization: `Bearer ${TOKEN}` }),
        "10.0.0.1",
        policy,
      ),
    ).toBeNull();
  });

  test("a token in the query string is refused even when right", () => {
    const policy = { token: TOKEN, backoff: new AuthBackoff() };
    const refusal = authorize(
      req(`http://n/api/v1/info?token=${TOKEN}`, { authorization: `Bearer ${TOKEN}` }),
      "a",
      policy,
    );
    expect(refusal?.status).toBe(400);
  });

  test("without a token: loopback Host only", () => {
    const policy = { token: null, backoff: new AuthBackoff() };
    expect(authorize(req("http://127.0.0.1:7070/api/v1/info"), "127.0.0.1", policy)).toBeNull();
    expect(
      authorize(req("http://evil.example:7070/api/v1/info"), "127.0.0.1", policy)?.status,
    ).toBe(403);
  });

  test("repeated failures from one address back off with 429; the right token always passes", () => {
    let nowMs = 1_000_000;
    const policy = { token: TOKEN, backoff: new AuthBackoff(() => nowMs) };
    const bad = () =>
      authorize(req("http://n/api/v1/info", { authorization: "Bearer guess" }), "10.0.0.9", policy);
    for (let i = 0; i < 5; i++) expect(bad()?.status).toBe(401);
    const blocked = bad();
    expect(blocked?.status).toBe(429);
    expect(Number(blocked?.headers?.["retry-after"])).toBeGreaterThan(0);
    // A guesser (or a client with a stale token) at the same address, a shared NAT say, does not
    // lock the right token out: the receiver polling this sender keeps getting its answers.
    const good = () =>
      authorize(
        req("http://n/api/v1/info", { authorization: `Bearer ${TOKEN}` }),
        "10.0.0.9",
        policy,
      );
    expect(good()).toBeNull();
    // …nor does the right token wipe the guesser's record.
    expect(bad()?.status).toBe(429);
    expect(good()).toBeNull();
    expect(
      authorize(req("http://n/api/v1/info", { authorization: "Bearer guess" }), "10.0.0.10", policy)
        ?.status,
    ).toBe(401);
    nowMs += 11 * 60_000; // quiet long enough to be forgotten
    expect(bad()?.status).toBe(401);
  });

  test("a live session passes while its address is backed off; a missing credential is no failure", () => {
    const sessions = new SessionStore({ secret: TOKEN });
    const policy = { token: TOKEN, backoff: new AuthBackoff(), sessions };
    const { id } = sessions.create();
    for (let i = 0; i < 8; i++)
      authorize(
        req("http://n/api/v1/hosts", { authorization: "Bearer guess" }),
        "10.0.0.9",
        policy,
      );
    const withCookie = req("http://127.0.0.1:7070/api/v1/hosts", {
      host: "127.0.0.1:7070",
      cookie: `__Host-hwm_session=${id}`,
    });
    expect(authorize(withCookie, "10.0.0.9", policy)).toBeNull();
    const backoff = new AuthBackoff();
    for (let i = 0; i < 10; i++)
      expect(
        authorize(req("http://n/api/v1/hosts"), "10.0.0.1", { token: TOKEN, backoff })?.status,
      ).toBe(401);
    expect(backoff.retryAfterMs("10.0.0.1")).toBe(0);
  });

  test("a grant ends when its token is replaced or its session is logged out", () => {
    const sessions = new SessionStore({ secret: TOKEN });
    const policy: AuthPolicy = { token: TOKEN, backoff: new AuthBackoff(), sessions };
    const byToken = authenticate(
      req("http://n/api/v1/live", { authorization: `Bearer ${TOKEN}` }),
      "a",
      policy,
    );
    const { id } = sessions.create();
    const bySession = authenticate(
      req("http://192.168.1.5:7070/api/v1/live", {
        host: "192.168.1.5:7070",
        cookie: `hwm_session=${id}`,
      }),
      "a",
      policy,
    );
    if (!byToken.ok || !bySession.ok) throw new Error("expected both to pass");
    expect(bySession.grant.via).toBe("session");
    expect(byToken.grant.ended()).toBeNull();
    expect(bySession.grant.ended()).toBeNull();
    sessions.delete(id);
    expect(bySession.grant.ended()).toBe("session ended");
    policy.token = "a-new-long-enough-secret-456789";
    expect(byToken.grant.ended()).toBe("token changed");
  });

  test("a plain cookie is not read on https, where only a __Host- one can be ours", () => {
    const sessions = new SessionStore({ secret: TOKEN });
    const policy: AuthPolicy = { token: TOKEN, backoff: new AuthBackoff(), sessions, tls: true };
    const { id } = sessions.create();
    const plain = req("https://nas.lan/api/v1/hosts", {
      host: "nas.lan",
      cookie: `hwm_session=${id}`,
    });
    expect(authorize(plain, "a", policy)?.status).toBe(401);
    const hostCookie = req("https://nas.lan/api/v1/hosts", {
      host: "nas.lan",
      cookie: `hwm_session=planted; __Host-hwm_session=${id}`,
    });
    expect(authorize(hostCookie, "a", policy)).toBeNull();
  });
});

describe("TokenBucket", () => {
  test("allows the burst, then the sustained rate", () => {
    let nowMs = 0;
    const bucket = new TokenBucket(10, 5, () => nowMs);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    nowMs += 100; // one token per 100 ms at 10/s
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    nowMs += 10_000;
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });
});
