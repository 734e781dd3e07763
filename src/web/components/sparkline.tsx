/** @jsxImportSource preact */
// A tiny SVG line of CPU % (0–100): the last minutes of this session, or the last day as the
// receiver recorded it. A path rebuilt only when its data changed; holes break the line.
import { useMemo } from "preact/hooks";
import { segments } from "../../client/columns.ts";
import { FLEET_SPARK, type SparkSeries } from "../../client/fleet-history.ts";
import { type HostTrends, SPARK_POINTS } from "../../client/host-trends.ts";

const y = (v: number) => (100 - Math.min(100, Math.max(0, v))).toFixed(1);

/** SVG path over a 0..SPARK_POINTS × 0..100 box; null or NaN breaks the line. */
export function sparkPath(points: ArrayLike<number | null>): string {
  let d = "";
  let pen = false;
  const offset = SPARK_POINTS - points.length;
  for (let i = 0; i < points.length; i++) {
    const v = points[i] ?? null;
    if (v === null || Number.isNaN(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${offset + i} ${y(v)}`;
    pen = true;
  }
  return d;
}

/** The same box for recorded steps placed by time; a lone step is drawn as wide as the step. */
export function historySparkPath(series: SparkSeries): string {
  const spanMs = Math.max(1, series.toMs - series.fromMs);
  const x = (ms: number) => (((ms - series.fromMs) / spanMs) * SPARK_POINTS).toFixed(1);
  let d = "";
  for (const run of segments(series.points, series.stepMs)) {
    run.forEach(([tsMs, v], i) => {
      d += `${i === 0 ? "M" : "L"}${x(tsMs)} ${y(v)}`;
    });
    const only = run.length === 1 ? run[0] : undefined;
    if (only) d += `L${x(only[0] + series.stepMs)} ${y(only[1])}`;
  }
  return d;
}

export function Sparkline({ history, version }: { history: HostTrends; version: number }) {
  // `version` stands for the history's content, which changes in place.
  const d = useMemo(() => sparkPath(history.sparkline()), [history, version]);
  return (
    <svg
      class="spark"
      viewBox={`0 0 ${SPARK_POINTS} 100`}
      preserveAspectRatio="none"
      role="img"
      aria-label="CPU over the last 5 minutes"
    >
      <path d={d} vector-effect="non-scaling-stroke" />
    </svg>
  );
}

export function HistorySparkline({ series }: { series: SparkSeries }) {
  const d = useMemo(() => historySparkPath(series), [series]);
  return (
    <span class="spark-wrap">
      <svg
        class="spark"
        viewBox={`0 0 ${SPARK_POINTS} 100`}
        preserveAspectRatio="none"
        role="img"
        aria-label="CPU over the last 24 hours, as recorded"
        data-testid="spark-history"
      >
        <path d={d} vector-effect="non-scaling-stroke" />
      </svg>
      <span class="spark-label" aria-hidden="true">
        {FLEET_SPARK.label}
      </span>
    </span>
  );
}
