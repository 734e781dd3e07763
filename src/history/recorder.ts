// From the fleet to the history file: after a poll round, once per recording interval, every
// host that answered since the last recording becomes a row of metrics, and each host's state
// (last seen, status, facts, last snapshot) is kept so a restarted receiver still knows it.
import type { HostInfo, HostState, HostStatus } from "../protocol/index.ts";
import { snapshotMetrics } from "./metrics.ts";
import type { HostRow, SampleRow, StatusChange } from "./records.ts";

export type { HostRow } from "./records.ts";

/** What the recorder needs of the store (SqliteHistory). */
export interface HistoryWriter {
  writeRound(
    samples: readonly SampleRow[],
    hosts: readonly HostRow[],
    changes: readonly StatusChange[],
    nowMs: number,
  ): void;
}

/** A round this much early still counts as on time: rounds drift by a few ms. */
const EARLY_SHARE = 0.1;
/**
 * A host's last snapshot is rewritten at most this often while nothing else changes: it is only
 * there to show last-known values after a restart, and rewriting ~3 KB per host every round
 * would multiply what the file writes.
 */
const SNAPSHOT_REWRITE_MS = 5 * 60_000;

interface Kept {
  recordedMs: number;
  status: HostStatus;
  lastError: string | null;
  info: HostInfo | null;
  snapshotSavedMs: number;
}

export class Recorder {
  private lastWriteMs = 0;
  private readonly kept = new Map<string, Kept>();
  private changes: StatusChange[] = [];

  constructor(
    private readonly store: HistoryWriter,
    private readonly intervalMs: number,
    /** The hosts as the last run left them: what they show now is recorded already. */
    restored: readonly HostRow[] = [],
  ) {
    for (const row of restored) {
      this.kept.set(row.id, {
        recordedMs: row.lastSeenMs ?? 0,
        status: row.status,
        lastError: row.lastError,
        info: row.info,
        snapshotSavedMs: 0,
      });
    }
  }

  /** A host changed status: written with the next recording. */
  statusChanged(change: StatusChange): void {
    this.changes.push(change);
  }

  /** After every poll round; records when a recording interval has passed since the last one. */
  round(hosts: readonly HostState[], nowMs: number): void {
    if (nowMs - this.lastWriteMs < this.intervalMs * (1 - EARLY_SHARE)) return;
    this.lastWriteMs = nowMs;
    const samples: SampleRow[] = [];
    const rows: HostRow[] = [];
    for (const host of hosts) {
      const kept = this.kept.get(host.id);
      const seenMs = host.last_seen_ms;
      const fresh = seenMs !== null && host.snapshot !== null && seenMs > (kept?.recordedMs ?? 0);
      if (fresh && host.snapshot) {
        samples.push({ host: host.id, tsMs: seenMs, values: snapshotMetrics(host.snapshot) });
      }
      const changed =
        !kept ||
        kept.status !== host.status ||
        kept.lastError !== host.last_error ||
        kept.info !== host.info;
      const snapshotDue = !kept || changed || nowMs - kept.snapshotSavedMs >= SNAPSHOT_REWRITE_MS;
      if (!fresh && !changed) continue;
      rows.push({
        id: host.id,
        info: host.info,
        snapshot: snapshotDue ? host.snapshot : undefined,
        lastSeenMs: seenMs,
        status: host.status,
        lastError: host.last_error,
      });
      this.kept.set(host.id, {
        recordedMs: fresh && seenMs !== null ? seenMs : (kept?.recordedMs ?? 0),
        status: host.status,
        lastError: host.last_error,
        info: host.info,
        snapshotSavedMs: snapshotDue ? nowMs : (kept?.snapshotSavedMs ?? 0),
      });
    }
    const changes = this.changes;
    this.changes = [];
    this.store.writeRound(samples, rows, changes, nowMs);
  }
}
