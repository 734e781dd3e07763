// Pairs of counter readings for rates: keeps the previous raw reading of one section and takes
// a short fresh baseline when there is none or it is too old.
import type { Clock } from "./clock.ts";

export interface SamplePair<T> {
  prev: T;
  cur: T;
  /** Wall time between the two readings, from the sender's own clock. */
  elapsedMs: number;
}

export interface SamplerTiming {
  baselineMs: number;
  maxSampleAgeMs: number;
}

export class CounterSampler<T> {
  readonly #read: () => T | Promise<T>;
  readonly #clock: Clock;
  readonly #timing: SamplerTiming;
  #last: { raw: T; atMs: number } | undefined;

  constructor(read: () => T | Promise<T>, clock: Clock, timing: SamplerTiming) {
    this.#read = read;
    this.#clock = clock;
    this.#timing = timing;
  }

  /**
   * The previous reading and a new one. Without a recent previous reading (first request, or a
   * request after a long idle) it reads, waits baselineMs once, and reads again, so the rates
   * describe the last moment rather than the hours since the previous request.
   */
  async pair(): Promise<SamplePair<T>> {
    let prev = this.#last;
    if (!prev || this.#clock.nowMs() - prev.atMs > this.#timing.maxSampleAgeMs) {
      prev = await this.#take();
      await this.#clock.sleep(this.#timing.baselineMs);
    }
    const cur = await this.#take();
    this.#last = cur;
    return { prev: prev.raw, cur: cur.raw, elapsedMs: cur.atMs - prev.atMs };
  }

  async #take(): Promise<{ raw: T; atMs: number }> {
    const raw = await this.#read();
    return { raw, atMs: this.#clock.nowMs() };
  }
}
