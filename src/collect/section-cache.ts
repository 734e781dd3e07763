// One section's cache: serves a reading for its TTL, shares one in-flight read between
// concurrent requests, and bounds every wait with a timeout.
import type { Clock } from "./clock.ts";
import type { MaybePromise } from "./maybe.ts";
import { withTimeout } from "./timeout.ts";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class SectionCache<T> {
  readonly #read: () => MaybePromise<T>;
  readonly #name: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  #last: { outcome: Outcome<T>; atMs: number } | undefined;
  #inFlight: Promise<Outcome<T>> | undefined;

  constructor(
    name: string,
    read: () => MaybePromise<T>,
    opts: { ttlMs: number; timeoutMs: number; clock: Clock },
  ) {
    this.#name = name;
    this.#read = read;
    this.#ttlMs = opts.ttlMs;
    this.#timeoutMs = opts.timeoutMs;
    this.#clock = opts.clock;
  }

  /**
   * The cached outcome while fresh; otherwise the running read, or a new one: at once when the
   * reader answers synchronously, as a promise (never rejected) when it does not. Failures are
   * cached for the TTL too, so a broken section is not hammered. A read that outlives its
   * timeout stays in flight: later requests wait on it (and time out) instead of piling up new
   * reads.
   */
  get(): MaybePromise<Outcome<T>> {
    const last = this.#last;
    if (last && this.#clock.nowMs() - last.atMs < this.#ttlMs) return last.outcome;
    if (!this.#inFlight) {
      let result: MaybePromise<T>;
      try {
        result = this.#read();
      } catch (error) {
        return this.#settle({ ok: false, error });
      }
      if (!(result instanceof Promise)) return this.#settle({ ok: true, value: result });
      this.#inFlight = result.then(
        (value) => this.#settle({ ok: true, value }),
        (error: unknown) => this.#settle({ ok: false, error }),
      );
    }
    // 0: a reader that cannot be interrupted anyway (see SECTION_TIMEOUT_MS).
    if (this.#timeoutMs <= 0) return this.#inFlight;
    return withTimeout(this.#inFlight, this.#timeoutMs, this.#name).catch(
      (error: unknown): Outcome<T> => ({ ok: false, error }),
    );
  }

  #settle(outcome: Outcome<T>): Outcome<T> {
    this.#last = { outcome, atMs: this.#clock.nowMs() };
    this.#inFlight = undefined;
    return outcome;
  }
}
