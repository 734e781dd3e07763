// History points aligned into chart columns: one time axis, nulls where a series has no value,
// a row of nulls at every hole, and sparse data not mistaken for holes.
import { describe, expect, test } from "bun:test";
import {
  alignSeries,
  columnOf,
  effectiveStepMs,
  keysOf,
  segments,
} from "../../../src/client/columns.ts";
import { MINUTE, points, T0 } from "./fixtures.ts";

describe("alignSeries", () => {
  test("series on one axis, a null where one of them has no point", () => {
    const { columns, stepMs } = alignSeries(
      {
        "cpu.total_pct": points(T0, MINUTE, 3, (i) => 10 * i),
        "network[eth0].rx_bps": [[T0 + MINUTE, 5]],
      },
      MINUTE,
    );
    expect(stepMs).toBe(MINUTE);
    expect(columns.timesMs).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    expect(columns.series.get("cpu.total_pct")).toEqual([0, 10, 20]);
    expect(columns.series.get("network[eth0].rx_bps")).toEqual([null, 5, null]);
  });

  test("a hole of more than one and a half steps becomes a row of nulls, so the line breaks", () => {
    const cpu = [...points(T0, MINUTE, 2, () => 1), ...points(T0 + 5 * MINUTE, MINUTE, 2, () => 2)];
    const { columns } = alignSeries({ "cpu.total_pct": cpu }, MINUTE);
    expect(columns.timesMs).toEqual([
      T0,
      T0 + MINUTE,
      T0 + 2 * MINUTE,
      T0 + 5 * MINUTE,
      T0 + 6 * MINUTE,
    ]);
    expect(columns.series.get("cpu.total_pct")).toEqual([1, 1, null, 2, 2]);
  });

  test("points a little late (rounds drift) are not holes", () => {
    const cpu = [
      [T0, 1],
      [T0 + 10_040, 2],
      [T0 + 19_990, 3],
      [T0 + 30_100, 4],
    ] as const;
    const { columns } = alignSeries({ "cpu.total_pct": [...cpu] }, 10_000);
    expect(columns.series.get("cpu.total_pct")).toEqual([1, 2, 3, 4]);
  });

  test("data sparser than the step asked for (scraped every 15 s, read at 1 s) keeps its line", () => {
    const sparse = points(T0, 15_000, 10, (i) => i);
    expect(
      effectiveStepMs(
        sparse.map((p) => p[0]),
        1000,
      ),
    ).toBe(15_000);
    const { columns } = alignSeries({ "cpu.total_pct": sparse }, 1000);
    expect(columns.series.get("cpu.total_pct")).not.toContain(null);
  });

  test("no points: empty columns, every requested name an empty column", () => {
    const { columns } = alignSeries({ "cpu.total_pct": [] }, MINUTE);
    expect(columns.timesMs).toEqual([]);
    expect(columns.series.get("cpu.total_pct")).toEqual([]);
    expect(columnOf(columns, "memory.used_bytes")).toEqual([]);
  });
});

describe("helpers", () => {
  test("keys of a keyed family, including keys with brackets and slashes", () => {
    const { columns } = alignSeries(
      {
        "network[eth0].rx_bps": [],
        "network[wg0].rx_bps": [],
        "network[eth0].tx_bps": [],
        "sensors[coretemp/Core [0]].celsius": [],
      },
      MINUTE,
    );
    expect(keysOf(columns, "network[].rx_bps")).toEqual(["eth0", "wg0"]);
    expect(keysOf(columns, "sensors[].celsius")).toEqual(["coretemp/Core [0]"]);
    expect(keysOf(columns, "cpu.total_pct")).toEqual([]);
  });

  test("segments split a sparkline at holes", () => {
    const pts = [
      ...points(T0, MINUTE, 3, () => 1),
      ...points(T0 + 10 * MINUTE, MINUTE, 1, () => 2),
    ];
    expect(segments(pts, MINUTE).map((run) => run.length)).toEqual([3, 1]);
    expect(segments([], MINUTE)).toEqual([]);
  });
});
