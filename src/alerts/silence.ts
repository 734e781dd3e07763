// Silence windows of an alert rule ("02:00-04:00", "Sat-Sun 00:00-24:00", "Mon,Thu 22:00-06:00"),
// in the receiver's local time: the rule is still evaluated and shown, but nobody is notified.

export interface SilenceWindow {
  /** Days of the week the window starts on (0 Sunday … 6 Saturday); null: every day. */
  days: ReadonlySet<number> | null;
  /** Minutes after midnight; an end at or before the start runs past midnight. */
  startMin: number;
  endMin: number;
  /** As written, for messages. */
  text: string;
}

export const SILENCE_EXPECTED =
  'a daily window "HH:MM-HH:MM" in local time, optionally after days: "02:00-04:00", "Sat-Sun 00:00-24:00", "Mon,Thu 22:00-06:00"';

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const WINDOW = /^(?:([A-Za-z,-]+)\s+)?(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

function parseDays(text: string): Set<number> | null {
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(",")) {
    const [from, to, ...rest] = part.split("-");
    if (rest.length > 0 || from === undefined) return null;
    const a = DAYS.indexOf(from);
    const b = to === undefined ? a : DAYS.indexOf(to);
    if (a < 0 || b < 0) return null;
    // "Fri-Mon" wraps over the weekend.
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return days;
}

export function parseSilence(text: string): SilenceWindow | { error: string } {
  const match = WINDOW.exec(text.trim());
  const bad = { error: `expected ${SILENCE_EXPECTED}, got ${JSON.stringify(text)}` };
  if (!match) return bad;
  const [, dayText, h1 = "", m1 = "", h2 = "", m2 = ""] = match;
  const startMin = Number(h1) * 60 + Number(m1);
  const endMin = Number(h2) * 60 + Number(m2);
  if (Number(m1) > 59 || Number(m2) > 59 || startMin >= 24 * 60 || endMin > 24 * 60) return bad;
  const days = dayText === undefined ? null : parseDays(dayText);
  if (dayText !== undefined && days === null) return bad;
  return { days, startMin, endMin, text: text.trim() };
}

/** Is `date` (local time) inside the window? A window past midnight belongs to its start day. */
export function inSilence(window: SilenceWindow, date: Date): boolean {
  const minute = date.getHours() * 60 + date.getMinutes();
  const day = date.getDay();
  const startsOn = (d: number) => window.days === null || window.days.has(d);
  if (window.startMin < window.endMin) {
    return startsOn(day) && minute >= window.startMin && minute < window.endMin;
  }
  // Past midnight: the evening part today, or the morning part of a window that began yesterday.
  return (
    (startsOn(day) && minute >= window.startMin) ||
    (startsOn((day + 6) % 7) && minute < window.endMin)
  );
}
