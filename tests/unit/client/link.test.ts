// The live connection both dashboards use, against a real WebSocket server on loopback port 0
// speaking as a receiver: frames checked against the protocol's schemas, the watch sent on every
// new connection, reconnects after a growing pause, a frame over the cap refused, a link that
// must not be retried ended. The socket is hwm's bounded client, as in `hwm tui`.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { Server, ServerWebSocket } from "bun";
import {
  BACKOFF,
  backoffMs,
  Link,
  type LinkOptions,
  type LinkState,
  silenceLimitMs,
} from "../../../src/client/link.ts";
import { LIVE_PATH, LiveClient } from "../../../src/client/live.ts";
import { boundedSocket } from "../../../src/peer/open-socket.ts";
import type { FleetMessage, HostDetailMessage } from "../../../src/protocol/index.ts";
import { connectNode } from "../../../src/tui/ws-source.ts";
import { fleetHosts, NOW_MS } from "../tui/fixtures.ts";

/** What the server does with the next connection: a list of frames to send on open. */
let script: (string | { closeAfterMs: number })[] = [];
const watches: unknown[] = [];
const sockets = new Set<ServerWebSocket<undefined>>();
let server: Server<undefined>;
let url = "";

const fleet = (tsMs = NOW_MS): string =>
  JSON.stringify({ type: "fleet", ts_ms: tsMs, interval_ms: 1000, hosts: fleetHosts(tsMs) });

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req, srv) {
      const { pathname } = new URL(req.url);
      if (pathname === "/api/v1/hosts")
        return Response.json({ ts_ms: NOW_MS, hosts: fleetHosts() });
      if (pathname === LIVE_PATH)
        return srv.upgrade(req) ? undefined : new Response("no", { status: 400 });
      return new Response("not found", { status: 404 });
    },
    websocket: {
      open(ws) {
        sockets.add(ws);
        for (const step of script) {
          if (typeof step === "string") ws.send(step);
          else setTimeout(() => ws.close(1011, "restarting"), step.closeAfterMs);
        }
      },
      message(_ws, text) {
        watches.push(JSON.parse(String(text)));
      },
      close(ws) {
        sockets.delete(ws);
      },
    },
  });
  url = `http://127.0.0.1:${server.port}`;
});

const links: { stop(): void }[] = [];
afterEach(() => {
  for (const link of links.splice(0)) link.stop();
  watches.length = 0;
  script = [];
});
afterAll(() => server.stop(true));

interface Followed {
  link: Link;
  live: LiveClient;
  states: LinkState[];
  frames: FleetMessage[];
  details: HostDetailMessage[];
}

function follow(maxMessageBytes = 1024 * 1024, prepare?: LinkOptions["prepare"]): Followed {
  const states: LinkState[] = [];
  const frames: FleetMessage[] = [];
  const details: HostDetailMessage[] = [];
  const live = new LiveClient({
    onFleet: (f) => frames.push(f),
    onDetail: (d) => details.push(d),
  });
  const link = new Link({
    open: boundedSocket({
      target: { url, token: null, fingerprint: null, ca: null },
      maxMessageBytes,
      timeoutMs: 2000,
      words: () => ({ peer: "receiver", pin: "--fingerprint", ca: null }),
    }),
    prepare: prepare ?? (async () => ({ path: LIVE_PATH, session: live.session() })),
    intervalMs: () => 1000,
    onState: (s) => states.push(s),
    random: () => 0.5,
  });
  links.push(link);
  link.start();
  return { link, live, states, frames, details };
}

/** Waits (bounded) for a condition that the server or the link makes true. */
async function until(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(10);
  }
}

describe("back-off", () => {
  test("doubles from 500 ms to a 10 s cap, with a quarter's jitter either way", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffMs(1, () => 0)).toBe(BACKOFF.firstMs * 0.75);
    expect(backoffMs(30, () => 1)).toBe(BACKOFF.maxMs * 1.25);
  });

  test("silence ends a link after four intervals, never under 5 s", () => {
    expect(silenceLimitMs(500)).toBe(5000);
    expect(silenceLimitMs(2000)).toBe(8000);
  });
});

describe("the live connection", () => {
  test("frames are validated and delivered; the watch goes out on open", async () => {
    script = [fleet()];
    const f = follow();
    f.live.watch("pve-web");
    await until(() => f.frames.length === 1);
    expect(f.states.map((s) => s.kind)).toEqual(["connecting", "live"]);
    expect(f.frames[0]?.hosts.map((h) => h.id)).toEqual(["pve-web", "dns", "backup-nas"]);
    await until(() => watches.length > 0);
    expect(watches.at(-1)).toEqual({
      type: "watch",
      host: "pve-web",
      sections: ["processes", "guests", "containers"],
    });
  });

  test("details of another host than the watched one are not delivered", async () => {
    const detail = (id: string) =>
      JSON.stringify({
        type: "host",
        ts_ms: NOW_MS,
        id,
        snapshot: fleetHosts()[0]?.snapshot,
      });
    script = [detail("dns"), detail("pve-web"), fleet()];
    const f = follow();
    f.live.watch("pve-web");
    await until(() => f.frames.length === 1);
    expect(f.details.map((d) => d.id)).toEqual(["pve-web"]);
  });

  test("a frame that does not fit the schema drops the link, says where, and is retried", async () => {
    const bad = JSON.parse(fleet());
    bad.hosts[0].status = "sleeping";
    script = [JSON.stringify(bad)];
    const f = follow();
    await until(() => f.states.some((s) => s.kind === "reconnecting"));
    const reconnecting = f.states.find((s) => s.kind === "reconnecting");
    expect(reconnecting).toMatchObject({ attempt: 1 });
    expect(reconnecting?.kind === "reconnecting" && reconnecting.reason).toContain(
      "hosts.0.status",
    );
    expect(f.frames).toEqual([]);
    // Tried again after the first pause.
    await until(() => f.states.filter((s) => s.kind === "live").length >= 2, 3000);
  });

  test("a lost connection comes back by itself and sends the watch again", async () => {
    script = [fleet(), { closeAfterMs: 50 }];
    const f = follow();
    f.live.watch("dns");
    await until(() => f.states.filter((s) => s.kind === "live").length >= 2, 4000);
    await until(() => watches.length >= 2);
    expect(watches.slice(0, 2)).toEqual([
      { type: "watch", host: "dns", sections: ["processes", "guests", "containers"] },
      { type: "watch", host: "dns", sections: ["processes", "guests", "containers"] },
    ]);
    const lost = f.states.find((s) => s.kind === "reconnecting");
    expect(lost?.kind === "reconnecting" && lost.reason).toContain("closed");
  });

  test("a frame over the cap closes the connection before it is held, and says so", async () => {
    script = [JSON.stringify({ type: "fleet", pad: "x".repeat(100_000) })];
    const f = follow(65_536);
    await until(() => f.states.some((s) => s.kind === "reconnecting"));
    const lost = f.states.find((s) => s.kind === "reconnecting");
    expect(lost?.kind === "reconnecting" && lost.reason).toContain("over 65536 bytes");
    expect(f.frames).toEqual([]);
  });

  test("a link that must not be retried ends, and tries nothing more", async () => {
    let asked = 0;
    const f = follow(65_536, async () => {
      asked++;
      return { reason: "the session has expired", final: true };
    });
    await until(() => f.states.some((s) => s.kind === "ended"));
    await Bun.sleep(700);
    expect(asked).toBe(1);
    expect(f.states.at(-1)).toEqual({ kind: "ended", reason: "the session has expired" });
  });

  test("a node that cannot be reached is said in words, not the runtime's", async () => {
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const port = closed.port;
    closed.stop(true);
    const source = connectNode({
      url: `http://127.0.0.1:${port}`,
      token: null,
      fingerprint: null,
      intervalMs: 1000,
    });
    links.push({ stop: () => source.close() });
    await until(() => source.state.problem !== null);
    expect(source.state.problem).toBe(
      `connection refused: nothing listens on 127.0.0.1:${port} (is hwm running there?)`,
    );
  });
});

describe("hwm tui's cap", () => {
  test("a receiver's frame over --max-message-bytes is refused and named in the status", async () => {
    script = [JSON.stringify({ type: "fleet", pad: "x".repeat(100_000) })];
    const source = connectNode({
      url,
      token: null,
      fingerprint: null,
      intervalMs: 1000,
      maxMessageBytes: 65_536,
    });
    links.push({ stop: () => source.close() });
    await until(() => source.state.problem?.includes("over 65536 bytes") ?? false);
    expect(source.state.problem).toContain("(--max-message-bytes)");
    expect(source.state.kind).toBe("receiver");
    expect(source.state.link).not.toBe("live");
  });
});
