// Consumers: demand counting, watch requests, slow readers getting frames dropped, not queued,
// and consumers that answer no ping counted out.
import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../../src/log.ts";
import type { HostState } from "../../../src/protocol/index.ts";
import {
  Consumers,
  MAX_BUFFERED_BYTES,
  PING_EVERY_MS,
  SILENT_LIMIT_MS,
} from "../../../src/receiver/live.ts";
import type { WsConnection } from "../../../src/server/serve.ts";

type FakeConn = WsConnection & {
  sent: string[];
  pings: string[];
  terminated: boolean;
  buffered: number;
};

function fakeConn(id: number, buffered = 0): FakeConn {
  const conn: FakeConn = {
    id,
    clientAddress: "127.0.0.1",
    sent: [],
    pings: [],
    terminated: false,
    buffered,
    send: (t) => conn.sent.push(t) > 0,
    bufferedBytes: () => conn.buffered,
    ping: (payload) => void conn.pings.push(payload),
    close() {},
    terminate() {
      conn.terminated = true;
    },
  };
  return conn;
}

const host: HostState = {
  id: "a",
  url: "http://a",
  status: "online",
  info: null,
  snapshot: null,
  last_seen_ms: 1,
  last_error: null,
};

function setup(clock: () => number = Date.now) {
  const demand: number[] = [];
  const consumers = new Consumers(
    {
      view: () => [host],
      detail: () => ({
        v: 1,
        host: "a",
        ts_ms: 1,
        uptime_s: 1,
        processes: { count: 1, running: 1, top: [] },
      }),
      has: (id) => id === "a",
      intervalMs: 1000,
    },
    (n) => demand.push(n),
    silentLogger,
    clock,
  );
  return { consumers, demand, handler: consumers.handler() };
}

describe("Consumers", () => {
  test("demand follows connections", () => {
    const { demand, handler } = setup();
    const a = fakeConn(1);
    const b = fakeConn(2);
    handler.open?.(a);
    handler.open?.(b);
    handler.close?.(a);
    handler.close?.(b);
    expect(demand).toEqual([1, 2, 1, 0]);
  });

  test("a slow reader is skipped while the others get the frame", () => {
    const { consumers, handler } = setup();
    const fast = fakeConn(1);
    const slow = fakeConn(2, MAX_BUFFERED_BYTES + 1);
    handler.open?.(fast);
    handler.open?.(slow);
    consumers.broadcast();
    consumers.broadcast();
    expect(fast.sent.length).toBe(2);
    expect(slow.sent.length).toBe(0);
    expect(JSON.parse(fast.sent[0] ?? "{}").type).toBe("fleet");
  });

  test("watch adds heavy sections for the poller and detail frames for the watcher", () => {
    const { consumers, handler } = setup();
    const watcher = fakeConn(1);
    const other = fakeConn(2);
    handler.open?.(watcher);
    handler.open?.(other);
    handler.message(watcher, JSON.stringify({ type: "watch", host: "a" }));
    // Without sections: every section only watchers get.
    expect([...consumers.heavy()]).toEqual([["a", ["processes", "guests", "containers"]]]);
    consumers.broadcast();
    expect(watcher.sent.map((t) => JSON.parse(t).type)).toEqual(["fleet", "host"]);
    expect(other.sent.map((t) => JSON.parse(t).type)).toEqual(["fleet"]);
    handler.message(watcher, JSON.stringify({ type: "watch", host: null }));
    expect(consumers.heavy().size).toBe(0);
  });

  test("bad requests get errors naming the problem", () => {
    const { handler } = setup();
    const conn = fakeConn(1);
    handler.open?.(conn);
    handler.message(conn, "nope");
    handler.message(conn, JSON.stringify({ type: "watch", host: "zzz" }));
    handler.message(conn, JSON.stringify({ type: "kill", pid: 1 }));
    const errors = conn.sent.map((t) => JSON.parse(t).error);
    expect(errors.map((e) => e.code)).toEqual(["bad_json", "bad_message", "bad_message"]);
    expect(errors[1].message).toContain('"zzz"');
  });

  test("a consumer that echoes no ping is counted out within the limit; a late answer is no drop", () => {
    let nowMs = 0;
    const { consumers, demand, handler } = setup(() => nowMs);
    const frozen = fakeConn(1);
    const slow = fakeConn(2);
    handler.open?.(frozen);
    handler.open?.(slow);
    let droppedAtMs: number | null = null;
    for (nowMs = PING_EVERY_MS; nowMs <= 60_000; nowMs += PING_EVERY_MS) {
      consumers.heartbeat();
      if (frozen.terminated && droppedAtMs === null) droppedAtMs = nowMs;
      // The slow one answers every third ping only, and an old one at that.
      if (nowMs % (3 * PING_EVERY_MS) === 0) handler.pong?.(slow, slow.pings[0] ?? "");
      // Unsolicited pongs, and pongs for pings never sent, prove nothing.
      handler.pong?.(frozen, "");
      handler.pong?.(frozen, "999");
    }
    expect(droppedAtMs).toBeGreaterThan(SILENT_LIMIT_MS);
    expect(droppedAtMs).toBeLessThanOrEqual(SILENT_LIMIT_MS + PING_EVERY_MS);
    expect(slow.terminated).toBe(false);
    expect(consumers.count).toBe(1);
    expect(demand).toEqual([1, 2, 1]);
    // Its close arriving later counts nothing twice.
    handler.close?.(frozen);
    expect(demand).toEqual([1, 2, 1]);
    // The last one going silent takes the demand to zero: polling stops.
    const stopAtMs = nowMs + SILENT_LIMIT_MS + PING_EVERY_MS;
    for (; nowMs <= stopAtMs; nowMs += PING_EVERY_MS) consumers.heartbeat();
    expect(slow.terminated).toBe(true);
    expect(demand).toEqual([1, 2, 1, 0]);
  });

  test("unsent bytes going down count as reading; staying up does not", () => {
    let nowMs = 0;
    const { consumers, handler } = setup(() => nowMs);
    const draining = fakeConn(1, 3 * MAX_BUFFERED_BYTES);
    const stuck = fakeConn(2, 3 * MAX_BUFFERED_BYTES);
    handler.open?.(draining);
    handler.open?.(stuck);
    for (nowMs = PING_EVERY_MS; nowMs <= 60_000; nowMs += PING_EVERY_MS) {
      // Far behind: its pongs never arrive in time, but it takes a little every few seconds.
      if (nowMs % (2 * PING_EVERY_MS) === 0) draining.buffered -= 1000;
      consumers.heartbeat();
    }
    expect(draining.terminated).toBe(false);
    expect(stuck.terminated).toBe(true);
  });
});
