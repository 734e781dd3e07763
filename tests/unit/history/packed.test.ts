// The bytes of a stored point: raw values and rollups (shared count, or one per metric when
// metrics came or went) read back as written; bytes that do not fit their layout are refused.
import { describe, expect, test } from "bun:test";
import { encodeRaw, StepAggregate, viewPoint } from "../../../src/history/packed.ts";

const read = (data: Uint8Array, n: number, raw: boolean) => {
  const view = viewPoint(data, n, raw);
  return {
    valid: view.valid,
    values: Array.from({ length: n }, (_, i) => [view.mean(i), view.max(i), view.count(i)]),
  };
};

describe("packed points", () => {
  test("raw values read back as Float32", () => {
    const data = encodeRaw([1.5, 12.3, 2 ** 40], 3);
    expect(data.byteLength).toBe(12);
    const { valid, values } = read(data, 3, true);
    expect(valid).toBe(true);
    expect(values).toEqual([
      [1.5, 1.5, 1],
      [Math.fround(12.3), Math.fround(12.3), 1],
      [2 ** 40, 2 ** 40, 1],
    ]);
  });

  test("a rollup whose metrics all have the same count stores it once", () => {
    const names = ["a", "b"];
    const step = new StepAggregate();
    step.add(names, viewPoint(encodeRaw([1, 10], 2), 2, true));
    step.add(names, viewPoint(encodeRaw([3, 30], 2), 2, true));
    const { names: layout, data } = step.encode();
    expect(layout).toEqual(["a", "b"]);
    expect(data.byteLength).toBe(4 * (1 + 2 * 2));
    expect(read(data, 2, false)).toEqual({
      valid: true,
      values: [
        [2, 3, 2],
        [20, 30, 2],
      ],
    });
  });

  test("metrics that come and go keep their own counts, and the next tier weighs by them", () => {
    const first = new StepAggregate();
    first.add(["a"], viewPoint(encodeRaw([4], 1), 1, true));
    first.add(["a", "b"], viewPoint(encodeRaw([8, 100], 2), 2, true));
    first.add(["a"], viewPoint(encodeRaw([6], 1), 1, true));
    const one = first.encode();
    expect(one.names).toEqual(["a", "b"]);
    expect(one.data.byteLength).toBe(4 * (1 + 3 * 2));
    expect(read(one.data, 2, false).values).toEqual([
      [6, 8, 3],
      [100, 100, 1],
    ]);
    // The next tier: a step of mean 6 over 3 points and one of mean 0 over 1 point is 4.5.
    const second = new StepAggregate();
    second.add(one.names, viewPoint(one.data, 2, false));
    const other = new StepAggregate();
    other.add(["a"], viewPoint(encodeRaw([0], 1), 1, true));
    const two = other.encode();
    second.add(two.names, viewPoint(two.data, 1, false));
    expect(read(second.encode().data, 2, false).values).toEqual([
      [4.5, 8, 4],
      [100, 100, 1],
    ]);
  });

  test("values that are not finite are left out, with their metric if nothing else is left", () => {
    const step = new StepAggregate();
    step.add(["a", "b"], viewPoint(encodeRaw([Number.NaN, 5], 2), 2, true));
    const { names, data } = step.encode();
    expect(names).toEqual(["b"]);
    expect(read(data, 1, false).values).toEqual([[5, 5, 1]]);
  });

  test("bytes that do not fit the layout are refused", () => {
    expect(viewPoint(encodeRaw([1, 2], 2), 3, true).valid).toBe(false);
    expect(viewPoint(new Uint8Array(7), 1, true).valid).toBe(false);
    const { data } = (() => {
      const s = new StepAggregate();
      s.add(["a", "b"], viewPoint(encodeRaw([1, 2], 2), 2, true));
      return s.encode();
    })();
    expect(viewPoint(data, 2, false).valid).toBe(true);
    expect(viewPoint(data, 3, false).valid).toBe(false);
    expect(viewPoint(new Uint8Array(12), 1, false).valid).toBe(false);
  });
});
