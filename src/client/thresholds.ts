// When a value is a problem, for both dashboards: at or above `warn` it is tinted, at or above
// `bad` it is a problem with a label on the host ("FULL", "HOT"). Change a threshold here and
// the web cards, the host pages and the terminal's table all follow.

export interface Limit {
  warn: number;
  bad: number;
}

export const LIMITS = {
  cpuPct: { warn: 75, bad: 90 },
  memPct: { warn: 80, bad: 90 },
  /** Filesystem use as df shows it: used / (used + available). */
  diskPct: { warn: 80, bad: 90 },
  /** For a temperature without limits of its own (a GPU, a sensor that reports none). */
  celsius: { warn: 75, bad: 85 },
} as const satisfies Record<string, Limit>;

export type Level = "ok" | "warn" | "bad";

export function level(value: number | null | undefined, limit: Limit): Level {
  if (value == null || !Number.isFinite(value)) return "ok";
  if (value >= limit.bad) return "bad";
  if (value >= limit.warn) return "warn";
  return "ok";
}

/** A reading with the chip's own limits where the kernel reports them (hwmon temp*_max, _crit). */
export interface Temperature {
  celsius: number;
  max_celsius?: number | null;
  crit_celsius?: number | null;
}

/**
 * A sensor's limits: bad at its own critical limit, warm at its own high limit; where it reports
 * none, the fixed LIMITS.celsius.
 */
export function temperatureLimit(t: Temperature): Limit {
  const bad = t.crit_celsius ?? LIMITS.celsius.bad;
  const warn = Math.min(t.max_celsius ?? LIMITS.celsius.warn, bad);
  return { warn, bad };
}

export function temperatureLevel(t: Temperature | null | undefined): Level {
  return t ? level(t.celsius, temperatureLimit(t)) : "ok";
}
