/** @jsxImportSource preact */
// A uPlot time-series chart that is created once (again only when its lines or the colour scheme
// change) and fed new data in place; it follows its container's width. Its value axis has ticks
// at round numbers of the unit shown (axis-ticks.ts). Dragging across it picks a time window; with
// no value at all it says "no data" instead of drawing an empty axis.
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { type AxisUnit, axisTicks, formatValue } from "../../client/axis-ticks.ts";
import { pointLabel, tickLabel } from "../../client/time-labels.ts";

export interface ChartLine {
  label: string;
  values: readonly (number | null)[];
  /** Index into the palette. */
  color: number;
  /** Index into the dash patterns: 0 (or none) solid, then dashed, dotted, dash-dot. */
  dash?: number;
  /** Stroke width in CSS pixels (1.5 unless said). */
  width?: number;
}

export interface ChartProps {
  title: string;
  /** Seconds since the epoch. */
  times: number[];
  lines: ChartLine[];
  /** What the values are: the axis ticks and the legend are written in it. */
  unit: AxisUnit;
  /** A fixed top (CPU's 100 %); otherwise the round tick at or above the highest value. */
  fixedMax?: number;
  /** The time the x axis spans, in seconds; null: the data's own extent. */
  window: [number, number] | null;
  /** A window dragged across the chart, in seconds; null: dragging does nothing. */
  onSelect: ((fromS: number, toS: number) => void) | null;
  /** What to say when no line has a value. */
  empty: string;
}

const PALETTE = [
  "#3b82f6",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#8b5cf6",
  "#06b6d4",
  "#ec4899",
  "#84cc16",
];
const DASHES: (number[] | undefined)[] = [undefined, [5, 4], [1.5, 3], [8, 3, 2, 3]];
const HEIGHT = 180;
/** Tick steps for the time axis, in seconds: never below one second (the poll interval). */
const TIME_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200,
  86_400, 172_800, 259_200, 604_800,
];
/** A drag narrower than this is a click, not a window. */
const MIN_SELECT_PX = 8;

/**
 * The values with no neighbour on either side: a line cannot draw them, so they are drawn as
 * dots (the one step of a 30-day chart on a fresh install, a point between two holes).
 */
function isolated(u: uPlot, seriesIdx: number): number[] | null {
  const values = u.data[seriesIdx] ?? [];
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] != null && values[i - 1] == null && values[i + 1] == null) out.push(i);
  }
  return out.length > 0 ? out : null;
}

/** Room for the longest y label (uPlot's default font is 12 px; up to 8 px a character). */
function labelWidth(_u: uPlot, values: string[] | null): number {
  const longest = values ? Math.max(0, ...values.map((v) => v.length)) : 6;
  return longest * 8 + 18;
}

function spanS(u: uPlot): number {
  const min = u.scales.x?.min;
  const max = u.scales.x?.max;
  return min == null || max == null ? 0 : max - min;
}

function timeLabels(u: uPlot, splits: number[], _a: number, _s: number, incr: number): string[] {
  const spanMs = spanS(u) * 1000;
  return splits.map((s) => tickLabel(s * 1000, incr * 1000, spanMs));
}

/** Dates make labels wider: keep them apart. */
function timeSpace(u: uPlot): number {
  return spanS(u) > 36 * 3600 ? 85 : 70;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function useColorScheme(): number {
  const [scheme, setScheme] = useState(0);
  useEffect(() => {
    const query = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => setScheme((n) => n + 1);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return scheme;
}

/** Options read the props through `latest`, so a chart made once follows new windows and handlers. */
function options(latest: { current: ChartProps }, width: number): uPlot.Options {
  const props = latest.current;
  const muted = cssVar("--muted");
  const grid = cssVar("--grid");
  const format = formatValue(props.unit);
  const fmt = (_u: uPlot, v: number | null) => (v == null ? "—" : format(v));
  const axis = {
    stroke: muted,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };
  return {
    width,
    height: HEIGHT,
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    scales: {
      x: {
        time: true,
        range: (_u, min, max): uPlot.Range.MinMax => {
          const window = latest.current.window;
          if (window) return window;
          return min === max ? [min - 1, max + 1] : [min, max];
        },
      },
      y: {
        range: (_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax => [
          0,
          axisTicks(max, props.unit, props.fixedMax).max,
        ],
      },
    },
    series: [
      {
        label: "time",
        value: (u: uPlot, v: number | null) =>
          v == null ? "—" : pointLabel(v * 1000, spanS(u) * 1000),
      },
      ...props.lines.map((line) => ({
        label: line.label,
        stroke: PALETTE[line.color % PALETTE.length],
        width: line.width ?? 1.5,
        dash: DASHES[(line.dash ?? 0) % DASHES.length],
        value: fmt,
        points: { show: false, filter: isolated },
      })),
    ],
    axes: [
      { ...axis, size: 30, space: timeSpace, incrs: TIME_STEPS_S, values: timeLabels },
      {
        ...axis,
        size: labelWidth,
        // The scale's top is a round tick already: the same ticks come back for it.
        splits: (_u: uPlot, _i: number, _min: number, max: number) =>
          axisTicks(max, props.unit, props.fixedMax).ticks,
        values: (u: uPlot, splits: number[]) => {
          const labels = axisTicks(u.scales.y?.max ?? null, props.unit, props.fixedMax).labels;
          const shown = splits.map((_, i) => labels[i] ?? "");
          // What the canvas shows, readable by tests and by whoever inspects the page.
          u.root.closest("figure")?.setAttribute("data-y-ticks", shown.join("|"));
          return shown;
        },
      },
    ],
    hooks: {
      setSelect: [
        (u) => {
          const { left, width: px } = u.select;
          const onSelect = latest.current.onSelect;
          if (onSelect && px >= MIN_SELECT_PX) {
            onSelect(u.posToVal(left, "x"), u.posToVal(left + px, "x"));
          }
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
  };
}

/** How many rows have a value, and the times of the first and last (for tests and tooltips). */
function extent(
  times: number[],
  lines: ChartLine[],
): { rows: number; firstS: number; lastS: number } {
  let rows = 0;
  let firstS = 0;
  let lastS = 0;
  for (let i = 0; i < times.length; i++) {
    if (!lines.some((l) => l.values[i] != null)) continue;
    if (rows === 0) firstS = times[i] ?? 0;
    lastS = times[i] ?? 0;
    rows++;
  }
  return { rows, firstS, lastS };
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const scheme = useColorScheme();
  const shape = props.lines
    .map((l) => `${l.label}/${l.color}/${l.dash ?? 0}/${l.width ?? 0}`)
    .join("|");
  const { rows, firstS, lastS } = extent(props.times, props.lines);
  const hasData = rows > 0;
  const data = (): uPlot.AlignedData => [
    props.times,
    ...props.lines.map((l) => l.values as (number | null)[]),
  ];

  // Recreated only when its shape (lines) or the colour scheme changes; data goes in below.
  useEffect(() => {
    const el = box.current;
    if (!el || !hasData) return;
    const chart = new uPlot(options(latest, Math.max(200, el.clientWidth)), data(), el);
    chart.setLegend({ idx: props.times.length - 1 });
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, scheme, hasData]);

  // Every render after the first: new points, same chart.
  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    chart.setData(data());
    // Without a pointer over the chart, the legend shows the latest values.
    if (chart.cursor.left == null || chart.cursor.left < 0)
      chart.setLegend({ idx: props.times.length - 1 });
  });

  return (
    <figure
      class="chart"
      data-testid={`chart-${props.title}`}
      data-points={rows}
      data-first-ms={hasData ? Math.round(firstS * 1000) : undefined}
      data-last-ms={hasData ? Math.round(lastS * 1000) : undefined}
      data-window-to-ms={props.window ? Math.round(props.window[1] * 1000) : undefined}
    >
      <figcaption>{props.title}</figcaption>
      {hasData ? (
        <div ref={box} class="chart-box" />
      ) : (
        <p class="chart-empty muted">{props.empty}</p>
      )}
    </figure>
  );
}
