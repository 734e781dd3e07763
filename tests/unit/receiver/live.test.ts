// Consumers: demand counting, watch requests, and slow readers getting frames dropped, not queued.
import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../../src/log.ts";
import type { HostState } from "../../../src/protocol/index.ts";
import { Consumers, MAX_BUFFERED_BYTES } from "../../../src/receiver/live.ts";
import type { WsConnection } from "../../../src/server/serve.ts";

function fakeConn(id: number, buffered = 0): WsConnection & { sent: string[] } {
  const sent: string[] = [];
  return {
    id,
    clientAddress: "127.0.0.1",
    sent,
    send: (t) => sent.push(t) > 0,
    bufferedBytes: () => buffered,
    close() {},
  };
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

function setup() {
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
    expect([...consumers.heavy()]).toEqual([["a", ["processes"]]]);
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
});
