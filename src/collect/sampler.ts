// Pairs of counter readings for rates: keeps the previous raw reading of one section and takes
// a short fresh baseline when there is none or it is too old.
import type { Clock } from "./clock.ts";
import { andThen, type MaybePromise } from "./maybe.ts";

export interface SamplePair<T> {
  prev: T;
  cur: T;
  /** Wall time between the two readings, from the sender's own clock. */
  elapsedMs: number;
}

interface Reading<T> {
  raw: T;
  atMs: number;
}

export interface SamplerTiming {
  baselineMs: number;
  maxSampleAgeMs: number;
}

export class CounterSampler<T> {
  readonly #read: () => MaybePromise<T>;
  readonly #clock: Clock;
  readonly #timing: SamplerTiming;
  #last: Reading<T> | undefined;

  constructor(read: () => MaybePromise<T>, clock: Clock, timing: SamplerTiming) {
    this.#read = read;
    this.#clock = clock;
    this.#timing = timing;
  }

  /**
   * The previous reading and a new one: at once when there is a recent previous reading and the
   * reader is synchronous. Without one (first request, or a request after a long idle) it reads,
   * waits baselineMs once, and reads again, so the rates describe the last moment rather than
   * the hours since the previous request.
   */
  pair(): MaybePromise<SamplePair<T>> {
    const prev = this.#last;
    if (!prev || this.#clock.nowMs() - prev.atMs > this.#timing.maxSampleAgeMs) {
      return this.#pairAfterBaseline();
    }
    return andThen(this.#take(), (cur) => this.#pair(prev, cur));
  }

  /**
   * The previous reading and a new one when the previous is recent; else the new one alone
   * (prev null), at once, for a reader that has a fair answer without a pair (processes: CPU
   * since each one started, as ps shows it) rather than one from a short baseline.
   */
  pairOrFirst(): MaybePromise<SamplePair<T> | { prev: null; cur: T; elapsedMs: 0 }> {
    const prev = this.#last;
    if (!prev || this.#clock.nowMs() - prev.atMs > this.#timing.maxSampleAgeMs) {
      return andThen(this.#take(), (cur) => {
        this.#last = cur;
        return { prev: null, cur: cur.raw, elapsedMs: 0 as const };
      });
    }
    return andThen(this.#take(), (cur) => this.#pair(prev, cur));
  }

  async #pairAfterBaseline(): Promise<SamplePair<T>> {
    const prev = await this.#take();
    await this.#clock.sleep(this.#timing.baselineMs);
    return this.#pair(prev, await this.#take());
  }

  #pair(prev: Reading<T>, cur: Reading<T>): SamplePair<T> {
    this.#last = cur;
    return { prev: prev.raw, cur: cur.raw, elapsedMs: cur.atMs - prev.atMs };
  }

  #take(): MaybePromise<Reading<T>> {
    return andThen(this.#read(), (raw) => ({ raw, atMs: this.#clock.nowMs() }));
  }
}
