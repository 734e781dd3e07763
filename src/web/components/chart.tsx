/** @jsxImportSource preact */
// A uPlot time-series chart that is created once (again only when its lines or the colour scheme
// change) and fed new data in place; it follows its container's width.
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";

export interface ChartLine {
  label: string;
  values: (number | null)[];
  /** Index into the palette; lines of one thing (rx and tx of eth0) share a colour. */
  color: number;
  dashed?: boolean;
}

export interface ChartProps {
  title: string;
  /** Seconds since the epoch. */
  times: number[];
  lines: ChartLine[];
  format: (value: number) => string;
  /** A fixed range (CPU %); otherwise from 0 to a bit above the highest value. */
  range?: [number, number];
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
const HEIGHT = 180;
/** Tick steps for the time axis, in seconds: never below one second (the poll interval). */
const TIME_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400,
];

/** Room for the longest y label (uPlot's default font is 12 px; ~7 px per character). */
function labelWidth(_u: uPlot, values: string[] | null): number {
  const longest = values ? Math.max(0, ...values.map((v) => v.length)) : 6;
  return longest * 7 + 16;
}

function timeLabels(
  _u: uPlot,
  splits: number[],
  _axis: number,
  _space: number,
  incr: number,
): string[] {
  const withSeconds = incr < 60;
  return splits.map((s) =>
    new Date(s * 1000).toLocaleTimeString(undefined, {
      hour12: false,
      hour: "2-digit",
      minute: "2-digit",
      second: withSeconds ? "2-digit" : undefined,
    }),
  );
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

function options(props: ChartProps, width: number): uPlot.Options {
  const muted = cssVar("--muted");
  const grid = cssVar("--grid");
  const fmt = (_u: uPlot, v: number | null) => (v == null ? "—" : props.format(v));
  const axis = {
    stroke: muted,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };
  return {
    width,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true },
      y: {
        range: props.range
          ? props.range
          : (_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax => [
              0,
              max && max > 0 ? max * 1.1 : 1,
            ],
      },
    },
    series: [
      { label: "time" },
      ...props.lines.map((line) => ({
        label: line.label,
        stroke: PALETTE[line.color % PALETTE.length],
        width: 1.5,
        dash: line.dashed ? [5, 4] : undefined,
        value: fmt,
        points: { show: false },
      })),
    ],
    axes: [
      { ...axis, size: 30, space: 70, incrs: TIME_STEPS_S, values: timeLabels },
      {
        ...axis,
        size: labelWidth,
        values: (_u: uPlot, splits: number[]) => splits.map((v) => props.format(v)),
      },
    ],
  };
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const scheme = useColorScheme();
  const shape = props.lines.map((l) => `${l.label}/${l.color}/${l.dashed ? 1 : 0}`).join("|");
  const data = (): uPlot.AlignedData => [props.times, ...props.lines.map((l) => l.values)];

  // Recreated only when its shape (lines) or the colour scheme changes; data goes in below.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(options(props, Math.max(200, el.clientWidth)), data(), el);
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
  }, [shape, scheme]);

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
    <figure class="chart" data-testid={`chart-${props.title}`}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-box" />
    </figure>
  );
}
