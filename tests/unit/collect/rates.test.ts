// Counter rates and percentages: the arithmetic every rate section shares.
import { describe, expect, test } from "bun:test";
import { counterRate, percentOf, round2 } from "../../../src/collect/rates.ts";

describe("counterRate", () => {
  test("bytes per second over the interval", () => {
    expect(counterRate(1_000, 3_000, 500)).toBe(4_000);
    expect(counterRate(0, 1, 3_000)).toBe(0); // rounds to whole bytes per second
  });

  test("no previous value, a counter that went backwards, or no elapsed time → null", () => {
    expect(counterRate(undefined, 10, 1_000)).toBeNull();
    expect(counterRate(5_000, 10, 1_000)).toBeNull();
    expect(counterRate(10, 20, 0)).toBeNull();
    expect(counterRate(10, 20, Number.NaN)).toBeNull();
  });
});

describe("percentOf", () => {
  test("rounded share, clamped to 0..100", () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(150, 100)).toBe(100);
    expect(percentOf(-5, 100)).toBe(0);
    expect(percentOf(5, 0)).toBe(0);
  });

  test("round2", () => {
    expect(round2(1.005 + 1e-9)).toBe(1.01);
    expect(round2(12.3449)).toBe(12.34);
  });
});
