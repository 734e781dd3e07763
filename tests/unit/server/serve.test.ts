// The server's auth edges on a real socket (127.0.0.1, port 0): a bad Host is a quiet 400,
// WebSockets close when their session or token ends, a login passes while failures are backed
// off; and, in-process, the login routes and the headers every answer carries.
import { afterAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import type { Server } from "bun";
import { createLogger } from "../../../src/log.ts";
import type { AuthPolicy } from "../../../src/server/auth.ts";
import { createHttpApp } from "../../../src/server/http.ts";
import { AuthBackoff } from "../../../src/server/limits.ts";
import { CREDENTIAL_ENDED_CODE, OpenSockets } from "../../../src/server/open-sockets.ts";
import { serve } from "../../../src/server/serve.ts";
import { addSessionRoutes } from "../../../src/server/session-routes.ts";
import { SessionStore } from "../../../src/server/sessions.ts";

const TOKEN = "dashboard-secret-0123456789abcdef";
const NEW_TOKEN = "dashboard-secret-new-0123456789ab";

interface Node {
  url: string;
  port: number;
  policy: AuthPolicy;
  sessions: SessionStore;
  sockets: OpenSockets;
  logLines: string[];
  server: Server<unknown>;
}

const nodes: Node[] = [];
afterAll(async () => {
  for (const node of nodes) {
    node.sockets.stop();
    await node.server.stop(true);
  }
});

function startNode(): Node {
  const logLines: string[] = [];
  const log = createLogger("debug", (line) => logLines.push(line));
  const sessions = new SessionStore({ secret: TOKEN });
  const policy: AuthPolicy = { token: TOKEN, backoff: new AuthBackoff(), sessions };
  const sockets = new OpenSockets();
  sessions.onEnded(() => sockets.sweep());
  const app = createHttpApp(policy, log);
  addSessionRoutes(app, policy, false, []);
  app.get("/api/v1/hosts", (c) => c.json({ hosts: [] }));
  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: null,
    app,
    policy,
    sockets,
    allowedOrigins: [],
    websockets: { "/api/v1/live": { message: (conn, text) => conn.send(text) } },
    log,
  }) as unknown as Server<unknown>;
  const node = {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port ?? 0,
    policy,
    sessions,
    sockets,
    logLines,
    server,
  };
  nodes.push(node);
  return node;
}

/** One raw HTTP/1.1 request, so the Host header can be anything (fetch always sends a good one). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(`${head}\r\n\r\n`));
    socket.on("data", (d) => {
      out += d;
    });
    socket.on("close", () => resolve(out));
    setTimeout(() => socket.destroy(), 2000);
  });
}

async function login(node: Node, token = TOKEN): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${node.url}/api/v1/session`, {
    method: "POST",
    body: JSON.stringify({ token }),
  });
  return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

/** Opens a WebSocket and resolves with its close code once the server closes it. */
async function openSocket(
  node: Node,
  headers: Record<string, string>,
): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}/api/v1/live`, { headers } as never);
  const closed = new Promise<number>((resolve) => {
    ws.onclose = (event) => resolve(event.code);
  });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("websocket refused"));
  });
  return { ws, closed };
}

describe("a bad Host header", () => {
  test("missing, empty or malformed: 400 for every kind of route, and no log line", async () => {
    const node = startNode();
    for (const path of ["/healthz", "/api/v1/hosts", "/api/v1/live", "/nowhere"]) {
      for (const host of ["Host: ", "Host: a b", "Host: [bad", "Host: evil.example:99999"]) {
        const answer = await rawRequest(
          node.port,
          `GET ${path} HTTP/1.1\r\n${host}\r\nConnection: close`,
        );
        expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
        expect(answer).toContain("valid Host header");
      }
      const http10 = await rawRequest(node.port, `GET ${path} HTTP/1.0`);
      expect(http10.split("\r\n")[0]).toMatch(/ 400 /);
    }
    expect(node.logLines.filter((l) => / (error|warn) /.test(l))).toEqual([]);
  });
});

describe("WebSockets end with their credential", () => {
  test("a socket opened with a session closes when that session logs out", async () => {
    const node = startNode();
    const { cookie } = await login(node);
    expect(cookie).toStartWith("__Host-hwm_session=");
    const { closed } = await openSocket(node, { cookie });
    const other = await openSocket(node, { authorization: `Bearer ${TOKEN}` });
    await fetch(`${node.url}/api/v1/session`, { method: "DELETE", headers: { cookie } });
    expect(await closed).toBe(CREDENTIAL_ENDED_CODE);
    // A socket opened with the token is not affected by somebody's logout.
    expect(node.sockets.size).toBe(1);
    other.ws.close();
  });

  test("a socket opened with a session closes when the session reaches its end", async () => {
    const node = startNode();
    let nowMs = Date.now();
    const sessions = new SessionStore({ secret: TOKEN, lifetimeMs: 60_000, now: () => nowMs });
    node.policy.sessions = sessions;
    const { id } = sessions.create();
    const { closed } = await openSocket(node, { cookie: `__Host-hwm_session=${id}` });
    expect(node.sockets.sweep()).toBe(0);
    nowMs += 60_001;
    expect(node.sockets.sweep()).toBe(1);
    expect(await closed).toBe(CREDENTIAL_ENDED_CODE);
  });

  test("a new token on reload: the old one is refused, the new one accepted, old sockets close", async () => {
    const node = startNode();
    const old = await openSocket(node, { authorization: `Bearer ${TOKEN}` });
    const { cookie } = await login(node);
    const bySession = await openSocket(node, { cookie });
    // What node.ts does on a reload that changed the secret.
    node.policy.token = NEW_TOKEN;
    node.sessions.setSecret(NEW_TOKEN);
    node.sockets.sweep();
    expect(await old.closed).toBe(CREDENTIAL_ENDED_CODE);
    expect(await bySession.closed).toBe(CREDENTIAL_ENDED_CODE);
    const hosts = (token: string) =>
      fetch(`${node.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${token}` } });
    expect((await hosts(TOKEN)).status).toBe(401);
    expect((await hosts(NEW_TOKEN)).status).toBe(200);
    expect((await login(node, TOKEN)).status).toBe(401);
    expect((await login(node, NEW_TOKEN)).status).toBe(200);
    expect((await fetch(`${node.url}/api/v1/hosts`, { headers: { cookie } })).status).toBe(401);
  });
});

describe("login", () => {
  test("the right secret logs in while failed logins from the same address are backed off", async () => {
    const node = startNode();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(node, `guess-guess-guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const right = await login(node);
    expect(right.status).toBe(200);
    expect(
      (await fetch(`${node.url}/api/v1/hosts`, { headers: { cookie: right.cookie } })).status,
    ).toBe(200);
    expect((await login(node, "guess-guess-guess-8")).status).toBe(429);
  });

  test("the cookie is __Host- on https and on loopback, a plain one on http to a LAN address", async () => {
    const app = createHttpApp({ token: TOKEN, backoff: new AuthBackoff() }, createLogger("error"));
    const policy: AuthPolicy = {
      token: TOKEN,
      backoff: new AuthBackoff(),
      sessions: new SessionStore({ secret: TOKEN }),
    };
    addSessionRoutes(app, policy, false, []);
    const cookieFor = async (url: string) => {
      const res = await app.request(url, {
        method: "POST",
        headers: { host: new URL(url).host },
        body: JSON.stringify({ token: TOKEN }),
      });
      expect(res.status).toBe(200);
      return res.headers.get("set-cookie") ?? "";
    };
    expect(await cookieFor("http://127.0.0.1:7070/api/v1/session")).toMatch(
      /^__Host-hwm_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=2592000$/,
    );
    expect(await cookieFor("http://localhost:7070/api/v1/session")).toStartWith("__Host-");
    const lan = await cookieFor("http://192.168.1.5:7070/api/v1/session");
    expect(lan).toStartWith("hwm_session=");
    expect(lan).not.toContain("Secure");
    policy.tls = true;
    expect(await cookieFor("https://nas.lan:7070/api/v1/session")).toStartWith("__Host-");
  });

  test("API answers may not be framed and can run nothing", async () => {
    const app = createHttpApp({ token: null, backoff: new AuthBackoff() }, createLogger("error"));
    const res = await app.request("http://127.0.0.1/healthz");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
