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
