// Abuse limits shared by every server role: request/message sizes, a per-connection message
// rate (token bucket), and the back-off that slows down token guessing per client address.

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;
/** Sustained WebSocket messages per second per connection, and the burst allowed on top. */
export const WS_MESSAGES_PER_S = 20;
export const WS_BURST = 40;
/** After this many refused messages in a row the connection is closed with 1008. */
export const WS_REFUSALS_BEFORE_CLOSE = 100;

/** A token bucket: `take()` is false while the caller is over its rate. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = burst;
    this.lastMs = now();
  }

  take(): boolean {
    const nowMs = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((nowMs - this.lastMs) / 1000) * this.perSecond,
    );
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Failures allowed before an address must wait; the wait doubles per failure up to the cap. */
const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 1000;
const MAX_WAIT_MS = 60_000;
/** An address that stayed quiet this long starts over. */
const FORGET_AFTER_MS = 10 * 60_000;
const MAX_TRACKED = 10_000;

interface FailureRecord {
  failures: number;
  lastMs: number;
  blockedUntilMs: number;
}

/**
 * Per-address back-off after failed authentication. It decides how failures are answered (429
 * with Retry-After once over the allowance); auth.ts checks the credential first, so a right
 * one is never held back by the failures of others at the same address.
 */
export class AuthBackoff {
  private readonly byAddress = new Map<string, FailureRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this address must still wait, 0 when it may try. */
  retryAfterMs(address: string): number {
    const record = this.byAddress.get(address);
    if (!record) return 0;
    return Math.max(0, record.blockedUntilMs - this.now());
  }

  fail(address: string): void {
    const nowMs = this.now();
    let record = this.byAddress.get(address);
    if (!record || nowMs - record.lastMs > FORGET_AFTER_MS) {
      record = { failures: 0, lastMs: nowMs, blockedUntilMs: 0 };
      this.byAddress.delete(address);
      if (this.byAddress.size >= MAX_TRACKED) this.prune(nowMs);
      this.byAddress.set(address, record);
    }
    record.failures += 1;
    record.lastMs = nowMs;
    if (record.failures >= FREE_FAILURES) {
      const waitMs = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (record.failures - FREE_FAILURES));
      record.blockedUntilMs = nowMs + waitMs;
    }
  }

  succeed(address: string): void {
    this.byAddress.delete(address);
  }

  private prune(nowMs: number): void {
    for (const [address, record] of this.byAddress) {
      if (nowMs - record.lastMs > FORGET_AFTER_MS) this.byAddress.delete(address);
    }
    // Still full (a flood from many addresses): drop the oldest half; Maps iterate in insertion order.
    let excess = this.byAddress.size - MAX_TRACKED / 2;
    for (const address of this.byAddress.keys()) {
      if (excess-- <= 0) break;
      this.byAddress.delete(address);
    }
  }
}
