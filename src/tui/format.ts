// Units for people: binary byte sizes (KiB, MiB, GiB), byte rates per second, percent, °C,
// uptime ("3d 4h") and "seen 3m ago"; every formatter answers "–" for a value that is unknown.

export const UNKNOWN = "–";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;
const SHORT_UNITS = ["B", "K", "M", "G", "T", "P"] as const;

/** The unit index and the scaled value, switching unit at 1000 so that numbers stay short. */
function scale(bytes: number): { value: number; unit: number } {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return { value, unit };
}

/** Three significant digits at most: "0.98", "9.8", "152". */
function digits(value: number, unit: number): string {
  if (unit === 0) return String(Math.round(value));
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return String(Math.round(value));
}

/** 1536 → "1.5 KiB"; binary units (1 KiB = 1024 bytes). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return UNKNOWN;
  const { value, unit } = scale(bytes);
  return `${digits(value, unit)} ${BYTE_UNITS[unit]}`;
}

/** 1536 → "1.5K": for narrow table cells; the column header names the unit. */
export function formatBytesShort(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return UNKNOWN;
  const { value, unit } = scale(bytes);
  return `${digits(value, unit)}${SHORT_UNITS[unit]}`;
}

/** Bytes per second: 1536 → "1.5 KiB/s". */
export function formatRate(bps: number | null | undefined): string {
  const text = formatBytes(bps);
  return text === UNKNOWN ? text : `${text}/s`;
}

/** "used/total unit", with the unit once: "5.2/15.6 GiB". */
export function formatUsedOfTotal(used: number | null, total: number | null): string {
  if (used == null || total == null) return UNKNOWN;
  const { unit } = scale(total);
  const divisor = 1024 ** unit;
  return `${digits(used / divisor, unit)}/${digits(total / divisor, unit)} ${BYTE_UNITS[unit]}`;
}

/** Whole percent ("23%"), or one decimal when asked ("23.4%"). */
export function formatPct(pct: number | null | undefined, decimals = 0): string {
  if (pct == null || !Number.isFinite(pct)) return UNKNOWN;
  return `${pct.toFixed(decimals)}%`;
}

export function formatCelsius(celsius: number | null | undefined): string {
  if (celsius == null || !Number.isFinite(celsius)) return UNKNOWN;
  return `${Math.round(celsius)}°C`;
}

export function formatMhz(mhz: number | null | undefined): string {
  if (mhz == null || !Number.isFinite(mhz)) return UNKNOWN;
  return mhz >= 1000 ? `${(mhz / 1000).toFixed(2)} GHz` : `${Math.round(mhz)} MHz`;
}

export function formatWatts(watts: number | null | undefined): string {
  if (watts == null || !Number.isFinite(watts)) return UNKNOWN;
  return `${Math.round(watts)} W`;
}

/** The two largest units of a duration: "3d 4h", "4h 12m", "12m 5s", "45s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** The largest unit only, for narrow cells: "3d", "4h", "12m", "45s". */
export function formatDurationShort(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  const s = Math.floor(seconds);
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

/** The time a graph spans, as its panel's title gives it: "45 s", "2m 38s", "5 min", "1 h". */
export function formatSpan(spanMs: number): string {
  const s = Math.max(0, Math.round(spanMs / 1000));
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return s < 120 ? `${s} s` : formatDuration(s);
}

/** "3m ago" from two epoch-millisecond instants. */
export function formatAgo(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs == null) return "never";
  return `${formatDurationShort(Math.max(0, (nowMs - thenMs) / 1000))} ago`;
}
