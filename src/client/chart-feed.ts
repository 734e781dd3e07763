// The host charts' data for one view (a range, or a zoomed window): reads the history once, keeps
// the live frames that arrive meanwhile, then continues with every frame. One feed per view; a
// new range or zoom is a new feed.
import type { MetricRef } from "../history/metrics.ts";
import type { HostStatus, Snapshot } from "../protocol/index.ts";
import { type ApiError, type ApiTarget, before, fetchHostHistory } from "./api.ts";
import { HostSeries, isAway, type LiveSample, liveSample, metricRefs } from "./host-series.ts";
import { chooseStepMs, type RangeKey, rangeOf, rangeStepMs } from "./ranges.ts";

export type ChartView =
  | { kind: "range"; range: RangeKey }
  /** A window picked on a chart: read at a finer step, and no live updates while it is shown. */
  | { kind: "zoom"; fromMs: number; toMs: number };

export type FeedState =
  | { kind: "loading" }
  | { kind: "ready"; series: HostSeries }
  | { kind: "failed"; error: ApiError };

export interface ChartFeedOptions {
  target: ApiTarget;
  host: string;
  view: ChartView;
  /** Metric names to read ("cpu.total_pct", "network[*].rx_bps"). */
  metrics: readonly string[];
  liveIntervalMs: number;
  /** The state changed (history arrived or failed): redraw. Live frames do not call it. */
  onChange: () => void;
  /** After a failure that may pass (no answer, 503), read again this much later. */
  retryMs?: number;
}

/** Frames kept while the history is on its way: minutes of frames, far more than a request takes. */
const MAX_PENDING = 600;
/**
 * Frames missing this long while the host was not away mean this dashboard was cut off (a lost
 * link, a sleeping laptop), not the host: the receiver recorded that time, so it is read again.
 */
export const RESYNC_AFTER_MS = 30_000;
const RETRY_MS = 15_000;

/** History off (404) or a request it refuses (400) stays so; anything else may pass. */
function mayPass(error: ApiError): boolean {
  return error.kind !== "http" || error.status >= 500;
}

export class ChartFeed {
  state: FeedState = { kind: "loading" };
  private readonly refs: MetricRef[];
  private pending: LiveSample[] = [];
  private lastTsMs = 0;
  private away = false;
  private readonly abort = new AbortController();
  /** Counts readings: an answer to an older one is dropped. */
  private reading = 0;
  private inFlight = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ChartFeedOptions) {
    this.refs = metricRefs(options.metrics);
  }

  get live(): boolean {
    return this.options.view.kind === "range";
  }

  /** Reads the history (again after a resync); frames meanwhile wait in `pending`. */
  async start(): Promise<void> {
    const reading = ++this.reading;
    this.inFlight = true;
    const { view, target, host, metrics, liveIntervalMs } = this.options;
    const query =
      view.kind === "range"
        ? {
            metrics,
            from: before(rangeOf(view.range).spanMs),
            to: "now" as const,
            stepMs: rangeStepMs(view.range, liveIntervalMs),
          }
        : {
            metrics,
            from: Math.floor(view.fromMs),
            to: Math.ceil(view.toMs),
            stepMs: chooseStepMs(view.toMs - view.fromMs),
          };
    const init = { ...target.init, signal: this.abort.signal };
    const result = await fetchHostHistory({ ...target, init }, host, query);
    if (this.abort.signal.aborted || reading !== this.reading) return;
    if (!result.ok) {
      this.state = { kind: "failed", error: result.error };
      if (mayPass(result.error)) {
        this.retryTimer = setTimeout(() => void this.start(), this.options.retryMs ?? RETRY_MS);
      }
    } else {
      const series = HostSeries.fromHistory(result.value, {
        resolution: view.kind === "range" && view.range === "live" ? "raw" : "step",
        liveIntervalMs,
        spanMs: view.kind === "range" ? rangeOf(view.range).spanMs : null,
      });
      // The frames that came while the history was on its way: the series drops what it has.
      for (const sample of this.pending) series.append(sample);
      this.state = { kind: "ready", series };
    }
    this.pending = [];
    this.inFlight = false;
    this.options.onChange();
  }

  /**
   * Every fleet frame: the host's last snapshot, status and last-seen time. A zoomed view ignores
   * them. Points are placed at `seenMs`, the receiver's clock, which is the time the recorder
   * stores: a sender whose clock is off would otherwise put live points beside, not after, history.
   */
  frame(snapshot: Snapshot | null, status: HostStatus, seenMs: number | null = null): void {
    if (!this.live) return;
    const state = this.state;
    const tsMs = seenMs ?? snapshot?.ts_ms ?? 0;
    if (snapshot && tsMs > this.lastTsMs) {
      const missedMs = this.lastTsMs > 0 ? tsMs - this.lastTsMs : 0;
      const cutOff = missedMs > RESYNC_AFTER_MS && !this.away;
      this.lastTsMs = tsMs;
      this.away = false;
      const sample = { ...liveSample(snapshot, this.refs), tsMs };
      // The series on screen stays (and moves) until a new reading replaces it.
      if (state.kind === "ready") state.series.append(sample);
      if (cutOff && state.kind === "ready") {
        this.pending = [sample];
        void this.start();
      } else if (this.inFlight && this.pending.length < MAX_PENDING) {
        this.pending.push(sample);
      }
    } else if (isAway(status) && !this.away) {
      this.away = true;
      if (state.kind === "ready")
        state.series.appendGap(Math.max(this.lastTsMs + 1, state.series.endMs));
    }
  }

  dispose(): void {
    this.abort.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}
