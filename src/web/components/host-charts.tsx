/** @jsxImportSource preact */
// The host page's charts with their range picker and zoom. With history on, every range starts
// from what the receiver recorded and continues with the live frames; a window dragged across a
// chart is read again at a finer step, without live updates until the zoom is reset. With
// history off (or failing), the charts draw this session's frames. A host that went away is
// drawn up to now, its lines stopping where its data stopped.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { describeApiError } from "../../client/api.ts";
import { ChartFeed, type ChartView } from "../../client/chart-feed.ts";
import { chartWindow } from "../../client/chart-window.ts";
import type { Columns } from "../../client/columns.ts";
import { type RangeKey, rangeOf } from "../../client/ranges.ts";
import { pointLabel } from "../../client/time-labels.ts";
import type { Snapshot } from "../../protocol/index.ts";
import { RECEIVER } from "../api.ts";
import { showRange } from "../router.ts";
import type { FleetStore } from "../store.ts";
import { CHART_METRICS, Charts } from "./charts.tsx";
import { RangePicker } from "./range-picker.tsx";

interface Zoom {
  /** The view it was picked in: another host or range drops it. */
  viewKey: string;
  fromMs: number;
  toMs: number;
}

/** A copy the chart can keep while the series grows in place. */
function copyOf(columns: Columns): Columns {
  const series = new Map<string, (number | null)[]>();
  for (const [name, column] of columns.series) series.set(name, column.slice());
  return { timesMs: columns.timesMs.slice(), series };
}

/** A fixed window of columns: only the rows inside it (a zoom into this session's frames). */
function within(columns: Columns, fromMs: number, toMs: number): Columns {
  const rows: number[] = [];
  columns.timesMs.forEach((t, i) => {
    if (t >= fromMs && t <= toMs) rows.push(i);
  });
  const series = new Map<string, (number | null)[]>();
  for (const [name, column] of columns.series)
    series.set(
      name,
      rows.map((i) => column[i] ?? null),
    );
  return { timesMs: rows.map((i) => columns.timesMs[i] ?? 0), series };
}

export function HostCharts(props: {
  store: FleetStore;
  id: string;
  range: RangeKey;
  snapshot: Snapshot | null;
}) {
  const { store, id } = props;
  const historyOn = store.features.history !== null;
  const range = historyOn ? props.range : "live";
  const viewKey = `${id}|${range}`;
  const [picked, setZoom] = useState<Zoom | null>(null);
  const zoom = picked?.viewKey === viewKey ? picked : null;
  const [, redraw] = useState(0);

  const view: ChartView = zoom
    ? { kind: "zoom", fromMs: zoom.fromMs, toMs: zoom.toMs }
    : { kind: "range", range };
  // One feed per view, not per render: it holds the history it read. `feedKey` names the view.
  const feedKey = historyOn ? `${viewKey}|${zoom ? `${zoom.fromMs}-${zoom.toMs}` : ""}` : "";
  const feed = useMemo(
    () =>
      historyOn
        ? new ChartFeed({
            target: RECEIVER,
            host: id,
            view,
            metrics: CHART_METRICS,
            liveIntervalMs: store.intervalMs,
            onChange: () => redraw((n) => n + 1),
          })
        : null,
    [feedKey],
  );

  useEffect(() => {
    if (!feed) return;
    // Frames go to the feed as they arrive, before the page redraws them.
    const push = () => {
      const host = store.host(id);
      if (host) feed.frame(host.snapshot, host.status, host.last_seen_ms);
    };
    push();
    void feed.start();
    const unsubscribe = store.subscribe(push);
    return () => {
      unsubscribe();
      feed.dispose();
    };
  }, [feed, store, id]);

  // A zoom is left with Esc before Esc leaves the page (capture: this listener runs first).
  // Registered before the zoom is painted, so an Esc right after the drag is never lost.
  useLayoutEffect(() => {
    if (!zoom) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      setZoom(null);
    };
    addEventListener("keydown", onKey, true);
    return () => removeEventListener("keydown", onKey, true);
  }, [zoom]);

  // With history off, a zoom freezes the session's frames as they were when it was picked.
  const frozen = useMemo(
    () => (zoom && !historyOn ? within(store.history(id).columns(), zoom.fromMs, zoom.toMs) : null),
    [zoom, historyOn, id],
  );

  const state = feed?.state ?? null;
  const series = state?.kind === "ready" ? state.series : null;
  // The version stands for the series' in-place changes: copied once per new frame, not per render.
  const recorded = useMemo(() => (series ? copyOf(series) : null), [series, series?.version]);
  /** The last columns drawn for this host: shown while the next view loads, so nothing flashes. */
  const previous = useRef<{ id: string; columns: Columns } | null>(null);

  let columns: Columns;
  let windowMs: { fromMs: number; toMs: number } | null = null;
  let empty = "no data for this range";
  let notice: string | null = null;
  if (zoom) windowMs = { fromMs: zoom.fromMs, toMs: zoom.toMs };
  if (frozen) {
    columns = frozen;
  } else if (recorded && series) {
    columns = recorded;
    // Live fits what it has (up to its span); a longer range shows its whole span.
    if (!zoom && range !== "live") windowMs = series.window();
  } else if (state?.kind === "loading" && previous.current?.id === id) {
    columns = previous.current.columns;
    empty = "loading history…";
    if (!zoom && range !== "live") {
      const endMs = columns.timesMs[columns.timesMs.length - 1] ?? Date.now();
      windowMs = { fromMs: endMs - rangeOf(range).spanMs, toMs: endMs };
    }
  } else if (state?.kind === "loading") {
    columns = { timesMs: [], series: new Map() };
    empty = "loading history…";
  } else {
    columns = store.history(id).columns();
    empty = "no data yet";
    if (state?.kind === "failed") {
      notice = `History cannot be read (${describeApiError(state.error)}): the charts show this session only.`;
    }
  }
  if (state?.kind !== "loading") previous.current = { id, columns };
  windowMs = chartWindow({
    window: windowMs,
    timesMs: columns.timesMs,
    status: store.host(id)?.status ?? "online",
    nowMs: store.receiverNowMs(),
    spanMs: rangeOf(range).spanMs,
    zoomed: zoom !== null,
  });

  const live = !zoom;
  return (
    <section
      class="charts-panel"
      aria-labelledby="charts-title"
      data-view={zoom ? "zoom" : range}
      data-state={state?.kind ?? "session"}
    >
      <div class="charts-head">
        <h2 id="charts-title">Charts</h2>
        <RangePicker value={range} historyOn={historyOn} onPick={(r) => showRange(id, r)} />
        {zoom ? (
          <p class="zoom-note" role="status">
            <span>
              Zoomed to {pointLabel(zoom.fromMs, zoom.toMs - zoom.fromMs)} –{" "}
              {pointLabel(zoom.toMs, zoom.toMs - zoom.fromMs)} ·{" "}
              <strong>live updates paused</strong>
            </span>
            <button type="button" class="ghost" onClick={() => setZoom(null)}>
              Reset zoom <span class="muted small">(Esc)</span>
            </button>
          </p>
        ) : (
          <p class="muted small zoom-hint">Drag across a chart to zoom.</p>
        )}
      </div>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <Charts
        columns={columns}
        snapshot={props.snapshot}
        windowMs={windowMs}
        empty={empty}
        onZoom={(fromMs, toMs) => setZoom({ viewKey, fromMs, toMs })}
      />
      {live && range !== "live" && series && (
        <p class="muted small">
          {rangeOf(range).label} read in steps of {stepText(series.stepMs)}; the newest step follows
          the live frames.
        </p>
      )}
    </section>
  );
}

/** "5 min", "1 h", "2.5 s": a step as a legend would say it (number and unit on one line). */
function stepText(stepMs: number): string {
  if (stepMs % 3_600_000 === 0) return `${stepMs / 3_600_000}\u00a0h`;
  if (stepMs % 60_000 === 0) return `${stepMs / 60_000}\u00a0min`;
  return `${Math.round(stepMs / 100) / 10}\u00a0s`;
}
