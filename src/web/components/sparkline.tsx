/** @jsxImportSource preact */
// A tiny SVG line of the last minutes of CPU % (0–100): a path rebuilt only when data changed.
import { useMemo } from "preact/hooks";
import { type HostHistory, SPARK_POINTS } from "../history.ts";

/** SVG path over a 0..SPARK_POINTS × 0..100 box; NaN breaks the line. */
export function sparkPath(points: Float32Array): string {
  let d = "";
  let pen = false;
  const offset = SPARK_POINTS - points.length;
  for (let i = 0; i < points.length; i++) {
    const v = points[i] ?? Number.NaN;
    if (Number.isNaN(v)) {
      pen = false;
      continue;
    }
    const y = (100 - Math.min(100, Math.max(0, v))).toFixed(1);
    d += `${pen ? "L" : "M"}${offset + i} ${y}`;
    pen = true;
  }
  return d;
}

export function Sparkline({ history, version }: { history: HostHistory; version: number }) {
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
