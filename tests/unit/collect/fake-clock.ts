// A hand-driven clock for tests: time moves only when the test (or a baseline sleep) moves it.
import type { Clock } from "../../../src/collect/clock.ts";

export class FakeClock implements Clock {
  now = 1_000_000;
  readonly sleeps: number[] = [];
  /** Runs during each sleep, after time has moved: a test changes the files "in the meantime". */
  onSleep: (() => void) | undefined;

  nowMs = (): number => this.now;

  /** Concurrent sleeps overlap as real ones do: each ends at its own start + ms. */
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    const end = this.now + ms;
    await Promise.resolve();
    this.now = Math.max(this.now, end);
    this.onSleep?.();
  };

  advance(ms: number): void {
    this.now += ms;
  }
}
