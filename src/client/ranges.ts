// The host charts' time ranges and the step each is read at: the one list both dashboards offer.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const RANGES = [
  /** Live starts with the last minutes at the resolution they were recorded, then every frame. */
  { key: "live", label: "Live", spanMs: 15 * MINUTE_MS },
  { key: "1h", label: "1 h", spanMs: HOUR_MS },
  { key: "24h", label: "24 h", spanMs: DAY_MS },
  { key: "7d", label: "7 d", spanMs: 7 * DAY_MS },
  { key: "30d", label: "30 d", spanMs: 30 * DAY_MS },
] as const;

export type Range = (typeof RANGES)[number];
export type RangeKey = Range["key"];
export const DEFAULT_RANGE: RangeKey = "live";

/** The range a URL or a key names; anything unknown is the default, so an old link still opens. */
export function parseRange(text: string | null | undefined): RangeKey {
  return RANGES.find((r) => r.key === text)?.key ?? DEFAULT_RANGE;
}

export function rangeOf(key: RangeKey): Range {
  return RANGES.find((r) => r.key === key) ?? RANGES[0];
}

/** Points per chart a step is chosen for: about one per two pixels of a wide chart. */
export const TARGET_POINTS = 300;

/** Steps a person recognises on an axis and in a legend. */
const STEPS_MS = [
  SECOND_MS,
  2 * SECOND_MS,
  5 * SECOND_MS,
  10 * SECOND_MS,
  15 * SECOND_MS,
  30 * SECOND_MS,
  MINUTE_MS,
  2 * MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
];

/**
 * The smallest round step that keeps a span within `targetPoints` points. The receiver raises it
 * when its data is coarser (a rollup tier), so asking for a fine step never costs more points.
 */
export function chooseStepMs(spanMs: number, targetPoints = TARGET_POINTS): number {
  const wantedMs = Math.max(1, spanMs) / Math.max(1, targetPoints);
  const step = STEPS_MS.find((s) => s >= wantedMs);
  return step ?? Math.ceil(wantedMs / DAY_MS) * DAY_MS;
}

/**
 * The step a range is read at. Live asks for the live interval: the receiver answers at the
 * resolution it recorded (never finer), which is what "raw" means.
 */
export function rangeStepMs(key: RangeKey, liveIntervalMs: number): number {
  return key === "live" ? Math.max(1, liveIntervalMs) : chooseStepMs(rangeOf(key).spanMs);
}
