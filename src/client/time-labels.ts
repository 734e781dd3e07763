// Times on a chart's axis and in its legend, as precise as the span needs: seconds for minutes,
// hours for a day, the date as well once a chart spans days ("Dec 2 14:00").

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A chart spanning more than this shows dates: a 24 h chart crosses midnight only once. */
const DATED_SPAN_MS = 36 * 3_600_000;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const two = (n: number) => String(n).padStart(2, "0");

/** "Dec 2", in local time. */
export function dayLabel(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getMonth()]} ${d.getDate()}`;
}

/** "14:05", or "14:05:30" with seconds, in local time on a 24-hour clock. */
export function clockLabel(ms: number, withSeconds = false): string {
  const d = new Date(ms);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return withSeconds ? `${hm}:${two(d.getSeconds())}` : hm;
}

/**
 * A tick on a time axis: `incrMs` is the distance between ticks, `spanMs` what the axis covers.
 * Ticks a day or more apart name the day; a span of days names day and time; within a day the
 * time alone, with seconds when ticks are under a minute apart.
 */
export function tickLabel(ms: number, incrMs: number, spanMs: number): string {
  if (incrMs >= DAY_MS) return dayLabel(ms);
  if (spanMs > DATED_SPAN_MS) return `${dayLabel(ms)} ${clockLabel(ms)}`;
  return clockLabel(ms, incrMs < MINUTE_MS);
}

/** A point in time for a legend or a tooltip: always the day, seconds when the span is short. */
export function pointLabel(ms: number, spanMs: number): string {
  return `${dayLabel(ms)} ${clockLabel(ms, spanMs < 2 * 3_600_000)}`;
}
