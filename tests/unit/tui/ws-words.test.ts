// The network source names the other end as what it is: a receiver that refuses the live stream
// or closes it is "the receiver", a sender that refuses its socket is "the sender"; neither is
// ever called the other. Real HTTP servers on loopback port 0 play each.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { DataSource, SourceState } from "../../../src/tui/source.ts";
import { connectNode } from "../../../src/tui/ws-source.ts";
import { fleetHosts } from "./fixtures.ts";

const servers: Server<undefined>[] = [];
const sources: DataSource[] = [];

/** A node on loopback: a receiver (GET /api/v1/hosts answers) or a sender (404 there). */
function node(kind: "receiver" | "sender", socket: "refuse" | "close"): string {
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req, srv) {
      const { pathname } = new URL(req.url);
      if (pathname === "/api/v1/hosts" && kind === "receiver") {
        return Response.json({ ts_ms: Date.now(), hosts: fleetHosts() });
      }
      if (pathname === "/api/v1/live" || pathname === "/api/v1/ws") {
        if (socket === "refuse") return new Response("busy", { status: 503 });
        return srv.upgrade(req) ? undefined : new Response("upgrade failed", { status: 400 });
      }
      return new Response("not found", { status: 404 });
    },
    websocket: {
      open(ws) {
        ws.close(1011, "shutting down");
      },
      message() {},
    },
  });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

afterAll(() => {
  for (const source of sources) source.close();
  for (const server of servers) server.stop(true);
});

function problemOf(url: string): Promise<string> {
  const source = connectNode({ url, token: null, fingerprint: null, intervalMs: 1000 });
  sources.push(source);
  return new Promise((resolve, reject) => {
    const done = (s: SourceState) => s.problem !== null;
    const timer = setTimeout(() => reject(new Error("no problem reported in 5 s")), 5000);
    const stop = source.onChange(() => {
      if (!done(source.state)) return;
      clearTimeout(timer);
      stop();
      resolve(source.state.problem ?? "");
    });
  });
}

describe("the other end in the status bar's words", () => {
  let receiverRefuses = "";
  let receiverCloses = "";
  let senderRefuses = "";
  beforeAll(async () => {
    [receiverRefuses, receiverCloses, senderRefuses] = await Promise.all([
      problemOf(node("receiver", "refuse")),
      problemOf(node("receiver", "close")),
      problemOf(node("sender", "refuse")),
    ]);
  });

  test("a receiver is the receiver", () => {
    expect(receiverRefuses).toBe("the receiver failed to answer (HTTP 503)");
    expect(receiverCloses).toBe("the receiver closed the connection (1011: shutting down)");
  });

  test("a sender is the sender", () => {
    expect(senderRefuses).toBe("the sender failed to answer (HTTP 503)");
  });
});
