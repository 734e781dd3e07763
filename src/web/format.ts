// Numbers for people: every value with its unit and a sensible precision; "—" where a machine
// cannot read it (null on the wire).
export const NONE = "—";
/** Keeps a number and its unit on one line. */
const SP = "\u00a0";

/** Three significant digits, without a trailing ".0" on whole numbers over 100. */
function sig3(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function pct(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return `${x < 10 ? x.toFixed(1) : x.toFixed(0)}${SP}%`;
}

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** Bytes in binary units (1 KiB = 1024 B). */
export function bytes(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  let value = x;
  let unit = 0;
  while (value >= 1024 && unit < BINARY.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)}${SP}B` : `${sig3(value)}${SP}${BINARY[unit]}`;
}

/** A byte rate (the wire's `_bps` is bytes per second) in binary units per second. */
export function bytesPerSecond(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return `${bytes(x)}/s`;
}

const BITS = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"] as const;

/** A byte rate shown as network people read it: bits per second, decimal prefixes. */
export function bitsPerSecond(bytesPerS: number | null | undefined): string {
  if (bytesPerS == null || !Number.isFinite(bytesPerS)) return NONE;
  let value = bytesPerS * 8;
  let unit = 0;
  while (value >= 1000 && unit < BITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)}${SP}${BITS[0]}` : `${sig3(value)}${SP}${BITS[unit]}`;
}

export function celsius(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return `${x.toFixed(0)}${SP}°C`;
}

export function mhz(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return x >= 1000 ? `${(x / 1000).toFixed(2)}${SP}GHz` : `${x.toFixed(0)}${SP}MHz`;
}

export function watts(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return `${x.toFixed(0)}${SP}W`;
}

/** A duration in its two largest units: "3 d 4 h", "4 h 12 min", "12 min", "45 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return NONE;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}${SP}d ${h}${SP}h`;
  if (h > 0) return `${h}${SP}h ${m}${SP}min`;
  if (m > 0) return `${m}${SP}min`;
  return `${s}${SP}s`;
}

/** How long ago, coarsely: "12 s ago", "3 min ago", "2 h ago", "3 d ago". */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}${SP}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}${SP}min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}${SP}h ago`;
  return `${Math.floor(s / 86400)}${SP}d ago`;
}

export function count(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  return x.toLocaleString("en-US");
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

export function dateTime(ms: number | null | undefined): string {
  if (ms == null) return NONE;
  return new Date(ms).toLocaleString(undefined, { hour12: false });
}
