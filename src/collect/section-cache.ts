// One section's cache: serves a reading for its TTL, shares one in-flight read between
// concurrent requests, and bounds every wait with a timeout.
import type { Clock } from "./clock.ts";
import { withTimeout } from "./timeout.ts";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class SectionCache<T> {
  readonly #read: () => Promise<T>;
  readonly #name: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  #last: { outcome: Outcome<T>; atMs: number } | undefined;
  #inFlight: Promise<Outcome<T>> | undefined;

  constructor(
    name: string,
    read: () => Promise<T>,
    opts: { ttlMs: number; timeoutMs: number; clock: Clock },
  ) {
    this.#name = name;
    this.#read = read;
    this.#ttlMs = opts.ttlMs;
    this.#timeoutMs = opts.timeoutMs;
    this.#clock = opts.clock;
  }

  /**
   * The cached value while fresh; otherwise the running read, or a new one. Failures are cached
   * for the TTL too, so a broken section is not hammered. A read that outlives its timeout stays
   * in flight: later requests wait on it (and time out) instead of piling up new reads.
   */
  async get(): Promise<T> {
    const last = this.#last;
    if (last && this.#clock.nowMs() - last.atMs < this.#ttlMs) return unwrap(last.outcome);
    if (!this.#inFlight) {
      this.#inFlight = this.#read().then(
        (value) => this.#settle({ ok: true, value }),
        (error: unknown) => this.#settle({ ok: false, error }),
      );
    }
    // 0: a synchronous reader, which no timer could interrupt (see SECTION_TIMEOUT_MS).
    if (this.#timeoutMs <= 0) return unwrap(await this.#inFlight);
    return unwrap(await withTimeout(this.#inFlight, this.#timeoutMs, this.#name));
  }

  #settle(outcome: Outcome<T>): Outcome<T> {
    this.#last = { outcome, atMs: this.#clock.nowMs() };
    this.#inFlight = undefined;
    return outcome;
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
