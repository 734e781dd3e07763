// The rows the receiver hands the history store each round and reads back after a restart.
import type { Logger } from "../log.ts";
import type { HostInfo, HostStatus, Snapshot } from "../protocol/index.ts";

export interface HostRow {
  id: string;
  info: HostInfo | null;
  /**
   * The last snapshot received (fleet sections only; processes are dropped). Undefined: keep the
   * stored one (rewriting ~3 KB per host every round would multiply what the file writes).
   */
  snapshot?: Snapshot | null;
  lastSeenMs: number | null;
  status: HostStatus;
  lastError: string | null;
}

/** One host's metrics at one time; values as snapshotMetrics() gives them. */
export interface SampleRow {
  host: string;
  tsMs: number;
  values: ReadonlyMap<string, number>;
}

export interface StatusChange {
  host: string;
  tsMs: number;
  from: HostStatus;
  to: HostStatus;
  error: string | null;
}

export interface SqliteOptions {
  /** The recording pace: the raw resolution (HistoryConfig.intervalMs). */
  intervalMs: number;
  rawRetentionMs: number;
  /** Coarser tiers; each step should be a multiple of the one before. */
  rollups: readonly { stepMs: number; retentionMs: number }[];
  log: Logger;
}
