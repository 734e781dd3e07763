// The per-section cache: TTL, one shared in-flight read, timeouts, cached failures.
import { describe, expect, test } from "bun:test";
import type { MaybePromise } from "../../../src/collect/maybe.ts";
import { type Outcome, SectionCache } from "../../../src/collect/section-cache.ts";
import { FakeClock } from "./fake-clock.ts";

function counting<T>(make: (n: number) => Promise<T>) {
  const calls = { n: 0 };
  const read = () => {
    calls.n++;
    return make(calls.n);
  };
  return { calls, read };
}

/** The value of an outcome, or its error thrown, as the tests below expect it. */
async function settledValue<T>(outcome: MaybePromise<Outcome<T>>): Promise<T> {
  const settled = await outcome;
  if (settled.ok) return settled.value;
  throw settled.error;
}

describe("SectionCache", () => {
  test("serves the cached value within the TTL, reads again after it", async () => {
    const clock = new FakeClock();
    const { calls, read } = counting(async (n) => n);
    const cache = new SectionCache("cpu", read, { ttlMs: 500, timeoutMs: 1_000, clock });
    expect(await settledValue(cache.get())).toBe(1);
    clock.advance(499);
    expect(await settledValue(cache.get())).toBe(1);
    clock.advance(1);
    expect(await settledValue(cache.get())).toBe(2);
    expect(calls.n).toBe(2);
  });

  test("timeout 0 (a synchronous reader) arms no timer: a slow read still answers", async () => {
    const clock = new FakeClock();
    const cache = new SectionCache("cpu", () => Bun.sleep(30).then(() => "late"), {
      ttlMs: 0,
      timeoutMs: 0,
      clock,
    });
    expect(await settledValue(cache.get())).toBe("late");
  });

  test("concurrent requests share one in-flight read", async () => {
    const clock = new FakeClock();
    let release: (v: string) => void = () => {};
    const { calls, read } = counting(() => new Promise<string>((r) => (release = r)));
    const cache = new SectionCache("processes", read, { ttlMs: 0, timeoutMs: 1_000, clock });
    const a = settledValue(cache.get());
    const b = settledValue(cache.get());
    const c = settledValue(cache.get());
    release("once");
    expect(await Promise.all([a, b, c])).toEqual(["once", "once", "once"]);
    expect(calls.n).toBe(1);
  });

  test("a read that outlives the timeout rejects, and is not started again while it hangs", async () => {
    const clock = new FakeClock();
    let release: (v: number) => void = () => {};
    const { calls, read } = counting((n) =>
      n === 1 ? new Promise<number>((r) => (release = r)) : Promise.resolve(n),
    );
    const cache = new SectionCache("sensors", read, { ttlMs: 0, timeoutMs: 20, clock });
    await expect(settledValue(cache.get())).rejects.toThrow("sensors timed out after 20 ms");
    await expect(settledValue(cache.get())).rejects.toThrow("timed out");
    expect(calls.n).toBe(1);
    release(7);
    await Bun.sleep(0);
    clock.advance(1);
    // The hung read came back; once its value is stale, the next request starts a fresh one.
    expect(await settledValue(cache.get())).toBe(2);
    expect(calls.n).toBe(2);
  });

  test("a failure is served for the TTL too, then retried", async () => {
    const clock = new FakeClock();
    const { calls, read } = counting(async (n) => {
      if (n === 1) throw new Error("ENOENT: no such file");
      return n;
    });
    const cache = new SectionCache("network", read, { ttlMs: 100, timeoutMs: 1_000, clock });
    await expect(settledValue(cache.get())).rejects.toThrow("ENOENT");
    await expect(settledValue(cache.get())).rejects.toThrow("ENOENT");
    expect(calls.n).toBe(1);
    clock.advance(100);
    expect(await settledValue(cache.get())).toBe(2);
  });

  test("a synchronous reader is answered at once, without a promise", () => {
    const clock = new FakeClock();
    let n = 0;
    const cache = new SectionCache("memory", () => ++n, { ttlMs: 100, timeoutMs: 0, clock });
    expect(cache.get()).toEqual({ ok: true, value: 1 });
    expect(cache.get()).toEqual({ ok: true, value: 1 });
    clock.advance(100);
    expect(cache.get()).toEqual({ ok: true, value: 2 });
  });

  test("a synchronous reader that throws is a failed outcome, cached for the TTL", () => {
    const clock = new FakeClock();
    let n = 0;
    const cache = new SectionCache(
      "memory",
      () => {
        n++;
        throw new Error("EACCES: permission denied");
      },
      { ttlMs: 100, timeoutMs: 0, clock },
    );
    const outcome = cache.get();
    expect(outcome instanceof Promise).toBe(false);
    expect(outcome).toMatchObject({ ok: false, error: { message: "EACCES: permission denied" } });
    cache.get();
    expect(n).toBe(1);
  });
});
