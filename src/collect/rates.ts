// Rates and percentages from two counter readings; a counter that went backwards gives null.

/** Bytes (or any unit) per second between two readings of a monotonic counter. */
export function counterRate(
  prev: number | undefined,
  cur: number,
  elapsedMs: number,
): number | null {
  // No previous value (new device), a reset or wrap, or no time passed: no honest rate.
  if (prev === undefined || cur < prev || !(elapsedMs > 0)) return null;
  return Math.round(((cur - prev) * 1000) / elapsedMs);
}

/** Share of `whole` taken by `part`, in percent, clamped to 0..100 and rounded to 0.01. */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  return round2(Math.min(100, (part * 100) / whole));
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
