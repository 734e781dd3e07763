// Sample pairs for rates: the 200 ms baseline when there is no recent previous reading.
import { describe, expect, test } from "bun:test";
import { CounterSampler } from "../../../src/collect/sampler.ts";
import { FakeClock } from "./fake-clock.ts";

const timing = { baselineMs: 200, maxSampleAgeMs: 10_000 };

describe("CounterSampler", () => {
  test("the first pair is a fresh baseline: read, wait once, read", async () => {
    const clock = new FakeClock();
    let counter = 0;
    const sampler = new CounterSampler(() => ++counter, clock, timing);
    expect(await sampler.pair()).toEqual({ prev: 1, cur: 2, elapsedMs: 200 });
    expect(clock.sleeps).toEqual([200]);
  });

  test("a recent previous reading is reused: no wait", async () => {
    const clock = new FakeClock();
    let counter = 0;
    const sampler = new CounterSampler(() => ++counter, clock, timing);
    await sampler.pair();
    clock.advance(1_000);
    expect(await sampler.pair()).toEqual({ prev: 2, cur: 3, elapsedMs: 1_000 });
    expect(clock.sleeps).toEqual([200]);
  });

  test("a previous reading older than the maximum age is dropped for a new baseline", async () => {
    const clock = new FakeClock();
    let counter = 0;
    const sampler = new CounterSampler(() => ++counter, clock, timing);
    await sampler.pair();
    clock.advance(3_600_000); // an hour of idle
    expect(await sampler.pair()).toEqual({ prev: 3, cur: 4, elapsedMs: 200 });
    expect(clock.sleeps).toEqual([200, 200]);
  });
});
