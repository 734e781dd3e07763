// History continued by live frames: no gap and no duplicate where they meet, frames folded into
// the history's steps, holes where the host was away, and a window that slides.
import { describe, expect, test } from "bun:test";
import {
  HostSeries,
  type HostSeriesOptions,
  type LiveSample,
  liveSample,
  metricRefs,
} from "../../../src/client/host-series.ts";
import { historyResponse, MINUTE, points, SECOND, snapshot, T0 } from "./fixtures.ts";

const RAW: HostSeriesOptions = { resolution: "raw", liveIntervalMs: SECOND, spanMs: 15 * MINUTE };
const STEPPED: HostSeriesOptions = {
  resolution: "step",
  liveIntervalMs: SECOND,
  spanMs: 3_600_000,
};

const cpu = (tsMs: number, value: number): LiveSample => ({
  tsMs,
  values: new Map([["cpu.total_pct", value]]),
});

/** Recorded every 10 s for 5 minutes, up to T0. */
function recorded(options = RAW): HostSeries {
  const from = T0 - 5 * MINUTE;
  return HostSeries.fromHistory(
    historyResponse(
      { "cpu.total_pct": points(from + 10 * SECOND, 10 * SECOND, 30, (i) => i) },
      { fromMs: from, toMs: T0 + 400, stepMs: 10 * SECOND },
    ),
    options,
  );
}

describe("history + live, raw (Live)", () => {
  test("frames continue the recorded line: no duplicate of the last point, no gap after it", () => {
    const series = recorded();
    const before = series.length;
    expect(series.timesMs[before - 1]).toBe(T0);
    // The frame the history already holds, then the frames after it.
    expect(series.append(cpu(T0, 99))).toBe(false);
    expect(series.append(cpu(T0 - 5000, 99))).toBe(false);
    for (let i = 1; i <= 5; i++) expect(series.append(cpu(T0 + i * SECOND, 50))).toBe(true);
    expect(series.timesMs.slice(before - 1)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => T0 + i * SECOND),
    );
    expect(series.series.get("cpu.total_pct")?.slice(before - 2)).toEqual([
      28, 29, 50, 50, 50, 50, 50,
    ]);
    expect(series.series.get("cpu.total_pct")).not.toContain(null);
  });

  test("the first frame a whole recording interval after the last point still joins it", () => {
    const series = recorded();
    series.append(cpu(T0 + 10 * SECOND + 300, 1));
    expect(series.series.get("cpu.total_pct")).not.toContain(null);
  });

  test("frames that stop for a while leave a hole", () => {
    const series = recorded();
    series.append(cpu(T0 + SECOND, 1));
    series.append(cpu(T0 + 40 * SECOND, 2));
    const column = series.series.get("cpu.total_pct") ?? [];
    expect(column.slice(-3)).toEqual([1, null, 2]);
  });

  test("a host going away breaks the line once; it continues when the host is back", () => {
    const series = recorded();
    series.append(cpu(T0 + SECOND, 1));
    series.appendGap(T0 + 3 * SECOND);
    series.appendGap(T0 + 4 * SECOND);
    series.append(cpu(T0 + 5 * SECOND, 2));
    expect(series.series.get("cpu.total_pct")?.slice(-3)).toEqual([1, null, 2]);
  });

  test("the window slides: points older than its span fall off", () => {
    const series = recorded({ ...RAW, spanMs: MINUTE });
    expect(series.timesMs[0]).toBeGreaterThanOrEqual(T0 + 400 - MINUTE);
    series.append(cpu(T0 + 30 * SECOND, 1));
    expect(series.timesMs[0]).toBeGreaterThanOrEqual(T0 + 30 * SECOND - MINUTE);
    expect(series.window()).toEqual({ fromMs: T0 + 30 * SECOND - MINUTE, toMs: T0 + 30 * SECOND });
  });

  test("a metric that appears in a frame gets a column, empty before it", () => {
    const series = recorded();
    series.append({ tsMs: T0 + SECOND, values: new Map([["network[eth1].rx_bps", 7]]) });
    const column = series.series.get("network[eth1].rx_bps") ?? [];
    expect(column.length).toBe(series.length);
    expect(column.filter((x) => x !== null)).toEqual([7]);
  });
});

describe("history + live, in steps (1 h and longer)", () => {
  /** Steps of one minute up to the one starting at T0 - 1 min (T0 is a minute boundary). */
  function minutes(agg: "avg" | "max" = "avg"): HostSeries {
    const from = T0 - 60 * MINUTE;
    return HostSeries.fromHistory(
      historyResponse(
        { "cpu.total_pct": points(from, MINUTE, 60, () => 10) },
        { fromMs: from, toMs: T0 + 20 * SECOND, stepMs: MINUTE, agg },
      ),
      STEPPED,
    );
  }

  test("frames inside the last recorded step are already in it; the next ones fold into a new step", () => {
    const series = minutes();
    const before = series.length;
    expect(series.append(cpu(T0 - 10 * SECOND, 99))).toBe(false);
    series.append(cpu(T0 + 5 * SECOND, 20));
    series.append(cpu(T0 + 6 * SECOND, 40));
    expect(series.length).toBe(before + 1);
    expect(series.timesMs[before]).toBe(T0);
    expect(series.series.get("cpu.total_pct")?.[before]).toBe(30);
    // The next minute starts a new point, adjacent to the last: no gap row.
    series.append(cpu(T0 + MINUTE + 1, 50));
    expect(series.timesMs.slice(-2)).toEqual([T0, T0 + MINUTE]);
    expect(series.series.get("cpu.total_pct")).not.toContain(null);
  });

  test("agg=max folds frames into their maximum", () => {
    const series = minutes("max");
    series.append(cpu(T0 + 5 * SECOND, 20));
    series.append(cpu(T0 + 6 * SECOND, 80));
    series.append(cpu(T0 + 7 * SECOND, 40));
    expect(series.series.get("cpu.total_pct")?.at(-1)).toBe(80);
  });

  test("a step with no frames at all is a hole", () => {
    const series = minutes();
    series.append(cpu(T0 + 5 * SECOND, 20));
    series.append(cpu(T0 + 3 * MINUTE + 5, 20));
    expect(series.series.get("cpu.total_pct")?.slice(-3)).toEqual([20, null, 20]);
  });

  test("an empty history: live steps line up on multiples of the step", () => {
    const series = HostSeries.fromHistory(
      historyResponse(
        { "cpu.total_pct": [] },
        { fromMs: T0 - 3_600_000, toMs: T0, stepMs: MINUTE },
      ),
      STEPPED,
    );
    expect(series.firstDataMs()).toBeNull();
    series.append(cpu(T0 + 5 * SECOND, 20));
    expect(series.timesMs).toEqual([T0]);
    expect(series.firstDataMs()).toBe(T0);
  });
});

describe("a zoomed window", () => {
  test("stays where it was put", () => {
    const series = HostSeries.fromHistory(
      historyResponse(
        { "cpu.total_pct": points(T0, 2 * SECOND, 10, () => 1) },
        { fromMs: T0, toMs: T0 + 20 * SECOND, stepMs: 2 * SECOND },
      ),
      { resolution: "step", liveIntervalMs: SECOND, spanMs: null },
    );
    expect(series.window()).toEqual({ fromMs: T0, toMs: T0 + 20 * SECOND });
    expect(series.length).toBe(10);
  });
});

describe("live samples from snapshots", () => {
  test("the named metrics, by the names history uses; null rates left out", () => {
    const refs = metricRefs(["cpu.total_pct", "network[*].rx_bps", "sensors[*].celsius"]);
    const sample = liveSample(snapshot(T0, 42, 1500), refs);
    expect(sample.tsMs).toBe(T0);
    expect([...sample.values]).toEqual([
      ["cpu.total_pct", 42],
      ["network[eth0].rx_bps", 1500],
      ["sensors[coretemp/Package id 0].celsius", 51],
    ]);
  });

  test("an unknown metric name is refused at once", () => {
    expect(() => metricRefs(["cpu.totl_pct"])).toThrow(/unknown metric/);
  });
});
