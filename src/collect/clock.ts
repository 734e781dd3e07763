// The monotonic clock and the one-off wait used for rates and caches; replaceable in tests.

export interface Clock {
  /** Monotonic milliseconds; only differences between two calls matter. */
  nowMs(): number;
  /** Wait inside a request (the baseline between two readings); never a timer left running. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms) => Bun.sleep(ms),
};

/** A function that calls `read` at most once per `ttlMs` and returns its last value in between. */
export function throttled<T>(clock: Clock, ttlMs: number, read: () => T): () => T {
  let last: { value: T; atMs: number } | undefined;
  return () => {
    const now = clock.nowMs();
    if (!last || now - last.atMs >= ttlMs) last = { value: read(), atMs: now };
    return last.value;
  };
}
