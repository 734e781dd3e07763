// Numbers for people, the one choice both dashboards draw: sizes in binary units (1 KiB = 1024 B)
// with three significant digits, every rate (network and disk I/O alike) in bytes per second as
// the wire, the history and the alert rules count it, whole percent from 10 % up, and "—" where a
// machine cannot read a value (null on the wire). A number and its unit are joined by a no-break
// space, so that no line break ever parts them; the terminal draws it as a plain space.

export const NONE = "—";
/** Keeps a number and its unit on one line. */
export const SP = "\u00a0";

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;
const SHORT = ["B", "K", "M", "G", "T", "P"] as const;

const known = (x: number | null | undefined): x is number => x != null && Number.isFinite(x);

/** Three significant digits: "1.86", "23.5", "152" (and "1023" just below the next unit). */
function sig3(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A byte count scaled to its binary unit: the value and the unit's index. */
function scaled(x: number): { value: number; unit: number } {
  let value = x;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BINARY.length - 1) {
    value /= 1024;
    unit++;
  }
  return { value, unit };
}

const digits = (value: number, unit: number) =>
  unit === 0 ? String(Math.round(value)) : sig3(value);

/** "12%", "9.5%": one decimal below 10, whole percent from there up. */
export function pct(x: number | null | undefined): string {
  if (!known(x)) return NONE;
  // Below 9.95 one decimal; 9.96 rounds to "10%", not "10.0%".
  return `${x < 9.95 ? x.toFixed(1) : x.toFixed(0)}%`;
}

/** A filesystem's use as df prints it: whole percent, rounded up (30.3 % used reads "31%"). */
export function diskPct(x: number | null | undefined): string {
  return known(x) ? `${Math.ceil(x)}%` : NONE;
}

/** 1536 → "1.50 KiB", 25_232_932_864 → "23.5 GiB". */
export function bytes(x: number | null | undefined): string {
  if (!known(x)) return NONE;
  const { value, unit } = scaled(x);
  return `${digits(value, unit)}${SP}${BINARY[unit]}`;
}

/** 1536 → "1.50K": for narrow table cells whose header names the unit. */
export function bytesShort(x: number | null | undefined): string {
  if (!known(x)) return NONE;
  const { value, unit } = scaled(x);
  return `${digits(value, unit)}${SHORT[unit]}`;
}

/** A rate (the wire's `_bps` is bytes per second): "1.50 MiB/s". */
export function rate(bytesPerS: number | null | undefined): string {
  return known(bytesPerS) ? `${bytes(bytesPerS)}/s` : NONE;
}

/** "used / total" with the total's unit once: "5.20/15.6 GiB". */
export function usedOfTotal(used: number | null | undefined, total: number | null | undefined) {
  if (!known(used) || !known(total)) return NONE;
  const { unit } = scaled(total);
  const divisor = 1024 ** unit;
  return `${digits(used / divisor, unit)}/${digits(total / divisor, unit)}${SP}${BINARY[unit]}`;
}

/** A load average (runnable tasks, no unit): "0.42", "3.17", "12.5", "128". */
export function loadAvg(x: number | null | undefined): string {
  return known(x) ? sig3(x) : NONE;
}

export function celsius(x: number | null | undefined): string {
  return known(x) ? `${x.toFixed(0)}°C` : NONE;
}

export function mhz(x: number | null | undefined): string {
  if (!known(x)) return NONE;
  return x >= 1000 ? `${(x / 1000).toFixed(2)}${SP}GHz` : `${x.toFixed(0)}${SP}MHz`;
}

export function watts(x: number | null | undefined): string {
  return known(x) ? `${x.toFixed(0)}${SP}W` : NONE;
}

/** A duration in its two largest units: "3d 4h", "4h 12m", "12m 5s", "45s". */
export function duration(seconds: number | null | undefined): string {
  if (!known(seconds) || seconds < 0) return NONE;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${SP}${h}h`;
  if (h > 0) return `${h}h${SP}${m}m`;
  if (m > 0) return `${m}m${SP}${s % 60}s`;
  return `${s}s`;
}

/** The largest unit only, for narrow cells: "3d", "4h", "12m", "45s". */
export function durationShort(seconds: number | null | undefined): string {
  if (!known(seconds) || seconds < 0) return NONE;
  const s = Math.floor(seconds);
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

/** How long ago, coarsely: "12s ago", "3m ago", "2h ago", "3d ago"; "never" without a time. */
export function ago(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs == null) return "never";
  return `${durationShort(Math.max(0, Math.round((nowMs - thenMs) / 1000)))}${SP}ago`;
}

/** The time a graph spans: "45s", "2m 38s", "5m", "1h". */
export function span(spanMs: number): string {
  const s = Math.max(0, Math.round(spanMs / 1000));
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return duration(s);
}

export function count(x: number | null | undefined): string {
  return known(x) ? x.toLocaleString("en-US") : NONE;
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

export function dateTime(ms: number | null | undefined): string {
  if (ms == null) return NONE;
  return new Date(ms).toLocaleString(undefined, { hour12: false });
}
