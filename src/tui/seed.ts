// Fills a host's graphs from the node's recorded history when the host is first shown: once per
// host per connection, one request at a time (scrolling past hosts asks only for the one it stops
// at), bounded in time. A failure costs one note; the graphs then stay live only.
import { before, describeApiError } from "../client/api.ts";
import { rangeStepMs } from "../client/ranges.ts";
import { RECORDED_METRICS, RECORDED_RANGE } from "../client/trends.ts";
import type { HistoryResponse } from "../protocol/index.ts";
import type { DataSource } from "./source.ts";

/** A recorded hour that takes longer than this is not worth waiting for: live goes on. */
export const SEED_TIMEOUT_MS = 4_000;

export interface SeederOptions {
  source: DataSource;
  /** A host's recorded history arrived. */
  seed(answer: HistoryResponse): void;
  /** Why a host's history could not be had, in one line. */
  note(text: string): void;
}

export class HistorySeeder {
  private session = -1;
  private readonly asked = new Set<string>();
  private busy = false;
  private wanted: string | null = null;
  private stopped = false;

  constructor(private readonly options: SeederOptions) {}

  /** The host whose graphs are on screen (null: none). Cheap: called on every redraw. */
  show(id: string | null): void {
    this.wanted = id;
    const { features, session } = this.options.source.state;
    if (session !== this.session) {
      this.session = session;
      this.asked.clear();
    }
    if (this.stopped || this.busy || id === null || !features?.history || this.asked.has(id)) {
      return;
    }
    this.asked.add(id);
    this.busy = true;
    void this.fetch(id);
  }

  stop(): void {
    this.stopped = true;
  }

  private async fetch(id: string): Promise<void> {
    const { source } = this.options;
    const query = {
      metrics: RECORDED_METRICS,
      from: before(RECORDED_RANGE.spanMs),
      to: "now" as const,
      stepMs: rangeStepMs(RECORDED_RANGE.key, source.state.intervalMs),
    };
    try {
      const result = await source.history(id, query, SEED_TIMEOUT_MS);
      if (this.stopped) return;
      if (result.ok) this.options.seed(result.value);
      else this.options.note(`no recorded history for ${id}: ${describeApiError(result.error)}`);
    } catch (err) {
      // Never up the stack: an unhandled rejection would take the dashboard down.
      if (!this.stopped) this.options.note(`no recorded history for ${id}: ${String(err)}`);
    } finally {
      this.busy = false;
      // The screen may have moved on to another host while this one was asked for.
      if (!this.stopped) this.show(this.wanted);
    }
  }
}
