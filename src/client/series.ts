// One metric's values for a graph, on the receiver's clock: live points as they arrive, older
// ones folded into coarser spans, and the node's recorded history in the time no live point
// covers. Each point holds its value from its time until its end, so a graph can be drawn one
// column per live interval or one column per slice of time, from any mix of resolutions.

export type PointKind = "live" | "folded" | "recorded";

export interface Point {
  tsMs: number;
  /** The value holds until here: the next point, or the end of its interval or step. */
  endMs: number;
  /** null: the node had no value then (a rate before its second sample). */
  value: number | null;
  kind: PointKind;
}

export interface SeriesLimits {
  /** Live points kept as they came (the live scale's columns). */
  finePoints: number;
  /** Older live points are folded into spans of this length; 0: they are dropped instead. */
  foldMs: number;
  /** Points that ended longer than this before the newest are dropped (with folding on). */
  keepMs: number;
}

/** Fold this many live points at once, so that folding is not paid on every append. */
const FOLD_BATCH = 60;

export class Series {
  private points: Point[] = [];
  private liveCount = 0;

  constructor(private limits: SeriesLimits) {}

  setLimits(limits: SeriesLimits): void {
    this.limits = limits;
  }

  get newestMs(): number | null {
    return this.points[this.points.length - 1]?.tsMs ?? null;
  }

  /** For tests: the points, oldest first. */
  get all(): readonly Point[] {
    return this.points;
  }

  /** A live value measured at `tsMs`; one older than the newest point is ignored. */
  append(tsMs: number, value: number | null, intervalMs: number): void {
    // Recorded points were read up to the receiver's now: none may reach past a live point.
    let last = this.points[this.points.length - 1];
    while (last?.kind === "recorded" && last.tsMs >= tsMs) {
      this.points.pop();
      last = this.points[this.points.length - 1];
    }
    if (last && last.tsMs >= tsMs) return;
    if (last && last.endMs > tsMs) last.endMs = tsMs;
    this.points.push({ tsMs, endMs: tsMs + intervalMs, value, kind: "live" });
    this.liveCount += 1;
    this.trim();
  }

  /**
   * Recorded history ([ts_ms, value], oldest first, each holding for `stepMs`), replacing any
   * recorded before: kept only where no live point covers the time, and cut where one begins,
   * so that nothing is counted twice and the recorded points run up to the live ones.
   */
  seed(recorded: readonly (readonly [number, number])[], stepMs: number): void {
    const live = this.points.filter((p) => p.kind !== "recorded");
    const sorted = [...recorded].sort((a, b) => a[0] - b[0]);
    const kept: Point[] = [];
    let j = 0;
    for (let i = 0; i < sorted.length; i++) {
      const [tsMs, value] = sorted[i] ?? [0, 0];
      if (!Number.isFinite(value)) continue;
      while (j < live.length && (live[j]?.endMs ?? 0) <= tsMs) j++;
      const next = live[j];
      if (next && next.tsMs <= tsMs) continue;
      const endMs = Math.min(tsMs + stepMs, sorted[i + 1]?.[0] ?? Infinity, next?.tsMs ?? Infinity);
      if (endMs > tsMs) kept.push({ tsMs, endMs, value, kind: "recorded" });
    }
    this.points = mergeByTime(live, kept);
    this.trim();
  }

  /**
   * `count` columns of one live interval each, newest at the right: the latest run of live
   * points one per column, and before them the time they do not cover, each column the mean of
   * what covers its interval (a recorded 15 s step fills 15 columns of 1 s), blank where nothing
   * does. Fewer than `count` when the data does not reach that far back.
   */
  perInterval(count: number, intervalMs: number): (number | null)[] {
    if (count <= 0 || intervalMs <= 0) return [];
    const run: (number | null)[] = [];
    let i = this.points.length - 1;
    for (; i >= 0 && run.length < count; i--) {
      const p = this.points[i];
      const newer = this.points[i + 1];
      // A hole of more than an interval ends the run: the time before it is drawn to scale.
      if (p?.kind !== "live" || (newer && newer.tsMs - p.endMs >= intervalMs)) break;
      run.push(p.value);
    }
    run.reverse();
    const older = this.points.slice(0, i + 1);
    const edgeMs = this.points[i + 1]?.tsMs ?? this.points[i]?.endMs;
    if (run.length >= count || older.length === 0 || edgeMs === undefined) return run;
    const firstMs = older[0]?.tsMs ?? edgeMs;
    const wanted = Math.min(count - run.length, Math.ceil((edgeMs - firstMs) / intervalMs));
    return [...columnsEndingAt(older, edgeMs, wanted, intervalMs), ...run];
  }

  /**
   * `count` columns of `columnMs` each, the last one holding `anchorMs`, each the time-weighted
   * mean of the points over it (null where none). Columns start at multiples of `columnMs`, so a
   * column keeps its value from one frame to the next and only the newest one moves.
   */
  perColumn(count: number, columnMs: number, anchorMs: number): (number | null)[] {
    if (count <= 0 || columnMs <= 0) return [];
    const endMs = (Math.floor(anchorMs / columnMs) + 1) * columnMs;
    return columnsEndingAt(this.points, endMs, count, columnMs);
  }

  private trim(): void {
    const { finePoints, foldMs, keepMs } = this.limits;
    if (foldMs <= 0) {
      if (this.liveCount <= finePoints) return;
      // Live only: the oldest points go, with whatever came before them.
      let excess = this.liveCount - finePoints;
      let cut = 0;
      while (excess > 0 && cut < this.points.length) {
        if (this.points[cut]?.kind === "live") excess--;
        cut++;
      }
      this.points.splice(0, cut);
      this.liveCount = finePoints;
      return;
    }
    if (this.liveCount > finePoints + FOLD_BATCH) this.fold(this.liveCount - finePoints, foldMs);
    const newest = this.newestMs;
    if (newest === null) return;
    let cut = 0;
    while (cut < this.points.length && (this.points[cut]?.endMs ?? 0) < newest - keepMs) {
      if (this.points[cut]?.kind === "live") this.liveCount--;
      cut++;
    }
    if (cut > 0) this.points.splice(0, cut);
  }

  /**
   * The oldest `count` live points (fewer, to end at a slice's end) become one point per
   * `foldMs` slice they fall in.
   */
  private fold(count: number, foldMs: number): void {
    const slice = (p: Point) => Math.floor(p.tsMs / foldMs);
    const out: Point[] = [];
    let group: Point[] = [];
    const flush = () => {
      const folded = foldGroup(group);
      if (folded) out.push(folded);
      this.liveCount -= group.length;
      group = [];
    };
    let left = count;
    let i = 0;
    for (; i < this.points.length && left > 0; i++) {
      const p = this.points[i];
      if (!p) continue;
      if (p.kind !== "live") {
        flush();
        out.push(p);
        continue;
      }
      const previous = group[group.length - 1];
      // A hole (an interval or more without a point) stays one: a folded point never spans it.
      const hole = previous && p.tsMs - previous.endMs >= previous.endMs - previous.tsMs;
      if (previous && (slice(previous) !== slice(p) || hole)) flush();
      group.push(p);
      left--;
    }
    // A slice that goes on past the points taken is folded whole, with the next batch.
    const next = this.points[i];
    const last = group[group.length - 1];
    if (next && last && next.kind === "live" && slice(next) === slice(last)) {
      i -= group.length;
      group = [];
    }
    flush();
    this.points = [...out, ...this.points.slice(i)];
  }
}

/** Live points of one slice as one point: their time-weighted mean; null if none had a value. */
function foldGroup(group: readonly Point[]): Point | null {
  const first = group[0];
  const last = group[group.length - 1];
  if (!first || !last) return null;
  let sum = 0;
  let weight = 0;
  for (const p of group) {
    if (p.value === null) continue;
    sum += p.value * (p.endMs - p.tsMs);
    weight += p.endMs - p.tsMs;
  }
  return {
    tsMs: first.tsMs,
    endMs: last.endMs,
    value: weight > 0 ? sum / weight : null,
    kind: "folded",
  };
}

/** Two time-sorted lists as one. */
function mergeByTime(a: readonly Point[], b: readonly Point[]): Point[] {
  const out: Point[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || x.tsMs <= y.tsMs)) {
      out.push(x);
      i++;
    } else if (y) {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** `count` columns of `columnMs` ending at `endMs`: per column, the time-weighted mean. */
function columnsEndingAt(
  points: readonly Point[],
  endMs: number,
  count: number,
  columnMs: number,
): (number | null)[] {
  if (count <= 0) return [];
  const startMs = endMs - count * columnMs;
  const sum = new Float64Array(count);
  const weight = new Float64Array(count);
  for (const p of points) {
    if (p.value === null || p.endMs <= startMs || p.tsMs >= endMs) continue;
    let from = Math.max(p.tsMs, startMs);
    const to = Math.min(p.endMs, endMs);
    while (from < to) {
      const column = Math.min(count - 1, Math.floor((from - startMs) / columnMs));
      const part = Math.min(to, startMs + (column + 1) * columnMs) - from;
      if (part <= 0) break;
      sum[column] = (sum[column] ?? 0) + p.value * part;
      weight[column] = (weight[column] ?? 0) + part;
      from += part;
    }
  }
  const out: (number | null)[] = [];
  for (let c = 0; c < count; c++) {
    const w = weight[c] ?? 0;
    out.push(w > 0 ? (sum[c] ?? 0) / w : null);
  }
  return out;
}
