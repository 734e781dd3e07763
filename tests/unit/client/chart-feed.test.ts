// A chart feed: the request each view makes, the frames that arrive while the history is on its
// way (kept, without duplicates), a zoomed view that ignores frames, failures, and disposal.
import { describe, expect, test } from "bun:test";
import type { ApiTarget } from "../../../src/client/api.ts";
import { ChartFeed, type ChartView } from "../../../src/client/chart-feed.ts";
import { historyResponse, MINUTE, points, SECOND, snapshot, T0 } from "./fixtures.ts";

const METRICS = ["cpu.total_pct", "network[*].rx_bps"];

/** A receiver that answers when the test says so. */
function deferred(body: unknown, status = 200) {
  const asked: URL[] = [];
  let answer: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const target: ApiTarget = {
    baseUrl: "http://receiver",
    fetch: async (url, init) => {
      asked.push(new URL(url));
      await answered;
      init.signal?.throwIfAborted();
      return new Response(JSON.stringify(body), { status });
    },
  };
  return { target, asked, answer };
}

function feed(target: ApiTarget, view: ChartView, onChange = () => {}) {
  return new ChartFeed({
    target,
    host: "pve-web",
    view,
    metrics: METRICS,
    liveIntervalMs: SECOND,
    onChange,
  });
}

const LIVE_HISTORY = historyResponse(
  { "cpu.total_pct": points(T0 - 60 * SECOND, 10 * SECOND, 7, () => 5) },
  { fromMs: T0 - 15 * MINUTE, toMs: T0, stepMs: 10 * SECOND },
);

describe("chart feed", () => {
  test("Live: the last 15 minutes at the live interval; frames that came meanwhile continue it", async () => {
    const receiver = deferred(LIVE_HISTORY);
    let changes = 0;
    const live = feed(receiver.target, { kind: "range", range: "live" }, () => changes++);
    const started = live.start();
    // Frames while the history is on its way: one the history also has, two after it.
    live.frame(snapshot(T0, 50), "online");
    live.frame(snapshot(T0 + SECOND, 60), "online");
    live.frame(snapshot(T0 + SECOND, 60), "online");
    live.frame(snapshot(T0 + 2 * SECOND, 70), "online");
    expect(live.state.kind).toBe("loading");
    receiver.answer();
    await started;
    expect(changes).toBe(1);
    const params = receiver.asked[0]?.searchParams;
    expect(params?.get("from")).toBe(`-${15 * MINUTE}ms`);
    expect(params?.get("to")).toBe("now");
    expect(params?.get("step")).toBe("1000");
    expect(params?.get("metrics")).toBe(METRICS.join(","));
    if (live.state.kind !== "ready") throw new Error(live.state.kind);
    const { series } = live.state;
    expect(series.timesMs.slice(-3)).toEqual([T0, T0 + SECOND, T0 + 2 * SECOND]);
    expect(series.series.get("cpu.total_pct")?.slice(-3)).toEqual([5, 60, 70]);
    expect(series.series.get("cpu.total_pct")).not.toContain(null);
    expect(series.series.get("network[eth0].rx_bps")?.at(-1)).toBe(1000);
    // Then every new frame, and a host going away breaks the line.
    live.frame(snapshot(T0 + 3 * SECOND, 80), "online");
    live.frame(snapshot(T0 + 3 * SECOND, 80), "offline");
    expect(series.series.get("cpu.total_pct")?.slice(-2)).toEqual([80, null]);
  });

  test("live points go at the receiver's last-seen time, the clock history is recorded on", async () => {
    const receiver = deferred(LIVE_HISTORY);
    const live = feed(receiver.target, { kind: "range", range: "live" });
    const started = live.start();
    receiver.answer();
    await started;
    // The sender's clock is an hour behind; the receiver saw the answer at T0 + 1 s.
    live.frame(snapshot(T0 - 3_600_000, 42), "online", T0 + SECOND);
    if (live.state.kind !== "ready") throw new Error(live.state.kind);
    expect(live.state.series.timesMs.at(-1)).toBe(T0 + SECOND);
    expect(live.state.series.series.get("cpu.total_pct")?.at(-1)).toBe(42);
  });

  test("a range reads its span at its step", async () => {
    const receiver = deferred(
      historyResponse({}, { fromMs: T0 - 86_400_000, toMs: T0, stepMs: 300_000 }),
    );
    const day = feed(receiver.target, { kind: "range", range: "24h" });
    receiver.answer();
    await day.start();
    expect(receiver.asked[0]?.searchParams.get("from")).toBe("-86400000ms");
    expect(receiver.asked[0]?.searchParams.get("step")).toBe("300000");
    expect(day.state.kind).toBe("ready");
  });

  test("a zoom reads exactly its window at a finer step and ignores live frames", async () => {
    const receiver = deferred(
      historyResponse(
        { "cpu.total_pct": points(T0, 2 * SECOND, 5, () => 1) },
        { fromMs: T0, toMs: T0 + 10 * MINUTE, stepMs: 2 * SECOND },
      ),
    );
    const zoom = feed(receiver.target, { kind: "zoom", fromMs: T0 + 0.4, toMs: T0 + 10 * MINUTE });
    receiver.answer();
    await zoom.start();
    const params = receiver.asked[0]?.searchParams;
    expect([params?.get("from"), params?.get("to"), params?.get("step")]).toEqual([
      String(T0),
      String(T0 + 10 * MINUTE),
      "2000",
    ]);
    if (zoom.state.kind !== "ready") throw new Error(zoom.state.kind);
    const length = zoom.state.series.length;
    zoom.frame(snapshot(T0 + 11 * MINUTE, 50), "online");
    expect(zoom.state.series.length).toBe(length);
    expect(zoom.live).toBe(false);
  });

  test("history off: the feed fails with the receiver's reason", async () => {
    const receiver = deferred(
      { error: { code: "not_found", message: "history is off on this receiver" } },
      404,
    );
    const off = feed(receiver.target, { kind: "range", range: "live" });
    receiver.answer();
    await off.start();
    expect(off.state).toEqual({
      kind: "failed",
      error: { kind: "http", status: 404, message: "history is off on this receiver" },
    });
  });

  test("a feed disposed before its answer stays quiet", async () => {
    const receiver = deferred(LIVE_HISTORY);
    let changes = 0;
    const gone = feed(receiver.target, { kind: "range", range: "live" }, () => changes++);
    const started = gone.start();
    gone.dispose();
    receiver.answer();
    await started;
    expect(changes).toBe(0);
    expect(gone.state.kind).toBe("loading");
  });
});

describe("chart feed after a cut-off", () => {
  test("frames missing for a while, the host not away: the history is read again, no hole left", async () => {
    const answers = [
      LIVE_HISTORY,
      historyResponse(
        { "cpu.total_pct": points(T0 - 60 * SECOND, 10 * SECOND, 13, () => 7) },
        { fromMs: T0 - 15 * MINUTE, toMs: T0 + 60 * SECOND, stepMs: 10 * SECOND },
      ),
    ];
    let reads = 0;
    let changed: () => void = () => {};
    const target: ApiTarget = {
      baseUrl: "",
      fetch: async () => new Response(JSON.stringify(answers[reads++])),
    };
    const live = new ChartFeed({
      target,
      host: "pve-web",
      view: { kind: "range", range: "live" },
      metrics: METRICS,
      liveIntervalMs: SECOND,
      onChange: () => changed(),
    });
    await live.start();
    live.frame(snapshot(T0 + SECOND, 50), "online");
    // A minute without frames (this page was cut off), then frames again.
    const reread = new Promise<void>((resolve) => {
      changed = resolve;
    });
    live.frame(snapshot(T0 + 61 * SECOND, 60), "online");
    live.frame(snapshot(T0 + 62 * SECOND, 61), "online");
    await reread;
    expect(reads).toBe(2);
    if (live.state.kind !== "ready") throw new Error(live.state.kind);
    const column = live.state.series.series.get("cpu.total_pct") ?? [];
    expect(column).not.toContain(null);
    expect(column.slice(-3)).toEqual([7, 60, 61]);
  });

  test("a host that was away is not read again: its hole is real", async () => {
    let reads = 0;
    const target: ApiTarget = {
      baseUrl: "",
      fetch: async () => {
        reads++;
        return new Response(JSON.stringify(LIVE_HISTORY));
      },
    };
    const live = feed(target, { kind: "range", range: "live" });
    await live.start();
    live.frame(snapshot(T0 + SECOND, 50), "online");
    live.frame(snapshot(T0 + SECOND, 50), "offline");
    live.frame(snapshot(T0 + 120 * SECOND, 60), "online");
    expect(reads).toBe(1);
    if (live.state.kind !== "ready") throw new Error(live.state.kind);
    expect(live.state.series.series.get("cpu.total_pct")?.slice(-3)).toEqual([50, null, 60]);
  });
});

describe("chart feed after a failure", () => {
  test("an answer that may pass (503) is asked again; history off (404) is not", async () => {
    for (const [status, tries] of [
      [503, 2],
      [404, 1],
    ] as const) {
      const answers = [
        new Response(JSON.stringify({ error: { message: "busy" } }), { status }),
        new Response(JSON.stringify(LIVE_HISTORY)),
      ];
      let reads = 0;
      const target: ApiTarget = { baseUrl: "", fetch: async () => answers[reads++] as Response };
      const changes: string[] = [];
      const watched = new ChartFeed({
        target,
        host: "pve-web",
        view: { kind: "range", range: "live" },
        metrics: METRICS,
        liveIntervalMs: SECOND,
        retryMs: 20,
        onChange: () => changes.push(watched.state.kind),
      });
      await watched.start();
      await Bun.sleep(80);
      watched.dispose();
      expect(reads).toBe(tries);
      expect(changes).toEqual(tries === 2 ? ["failed", "ready"] : ["failed"]);
    }
  });
});
