// What the dashboard shows comes from a DataSource: the state of one node (a sender's own host,
// or a receiver's fleet), kept current while the dashboard runs, plus which host it looks at and
// what the node recorded of a host's past.
import type { ApiResult, HistoryQuery } from "../client/api.ts";
import {
  type Features,
  type HistoryResponse,
  type HostState,
  type Snapshot,
  WATCH_SECTIONS,
} from "../protocol/index.ts";

export type NodeKind = "sender" | "receiver";
export type LinkState = "connecting" | "live" | "reconnecting";

export interface SourceState {
  /** Where the node is, as the user named it. */
  url: string;
  /** Learnt on connecting: a sender shows one host, a receiver (or both) a fleet. */
  kind: NodeKind | null;
  link: LinkState;
  /** Why the last attempt failed, in words for the status bar; null while all is well. */
  problem: string | null;
  intervalMs: number;
  hosts: HostState[];
  /** The heavy sections (processes) of the watched host, from a receiver. */
  detail: { id: string; snapshot: Snapshot } | null;
  /** What a receiver offers beyond the live fleet (history, alerts); null: nothing, or unknown. */
  features: Features | null;
  /** Counts the connections made: what was asked of an earlier one is asked again of a new one. */
  session: number;
  /** This machine's clock when the node's data last came; null before the first. */
  updatedAtMs: number | null;
  /** The node's clock at its last fleet frame (the clock of last_seen_ms); 0 before the first. */
  nodeTsMs: number;
}

export interface DataSource {
  readonly state: SourceState;
  /** Called after every change of state; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** The host whose processes are wanted (a receiver sends them only for this one); null: none. */
  watch(hostId: string | null): void;
  /** A host's recorded history (GET /api/v1/hosts/:id/history), bounded in time; never throws. */
  history(
    hostId: string,
    query: HistoryQuery,
    timeoutMs: number,
  ): Promise<ApiResult<HistoryResponse>>;
  close(): void;
}

export function initialState(url: string, intervalMs: number): SourceState {
  return {
    url,
    kind: null,
    link: "connecting",
    problem: null,
    intervalMs,
    hosts: [],
    detail: null,
    features: null,
    session: 0,
    updatedAtMs: null,
    nodeTsMs: 0,
  };
}

/** A host's snapshot with the watched detail (processes, guests, containers) merged in when it is about this host. */
export function hostSnapshot(state: SourceState, host: HostState): Snapshot | null {
  const detail = state.detail?.id === host.id ? state.detail.snapshot : null;
  if (!host.snapshot) return detail;
  if (!detail) return host.snapshot;
  const merged: Snapshot = { ...host.snapshot };
  const errors = { ...host.snapshot.errors };
  // Each watched section from the detail, with the reason it could not be read, if any.
  for (const section of WATCH_SECTIONS) {
    if (detail[section] !== undefined) Object.assign(merged, { [section]: detail[section] });
    const error = detail.errors?.[section];
    if (error !== undefined) errors[section] = error;
  }
  if (Object.keys(errors).length > 0) merged.errors = errors;
  return merged;
}
