// A history store in a temporary directory on a synthetic clock, with its log captured, and a
// look at what it stored (points decoded per tier) for tests that check rollups by hand.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Aggregate, HistoryQuery } from "../../src/history/backend.ts";
import { Layouts } from "../../src/history/layouts.ts";
import { type MetricRef, parseMetric } from "../../src/history/metrics.ts";
import { viewPoint } from "../../src/history/packed.ts";
import { PointsTable } from "../../src/history/points-table.ts";
import {
  type HostRow,
  type SampleRow,
  SqliteHistory,
  type SqliteOptions,
} from "../../src/history/sqlite.ts";
import { createLogger } from "../../src/log.ts";

/** 2026-01-01T00:00:00Z: every step up to a day starts here. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const dirs: string[] = [];

/**
 * For each test file's afterAll: bun test shares this module between the files of a run, so an
 * afterAll here would clean up after the first file only (and "exit" is not emitted).
 */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hwm-history-test-"));
  dirs.push(dir);
  return dir;
}

export interface Captured {
  lines: string[];
  log: SqliteOptions["log"];
}

export function captureLog(): Captured {
  const lines: string[] = [];
  return { lines, log: createLogger("debug", (line) => lines.push(line)) };
}

export type TierOptions = Omit<SqliteOptions, "log">;

export const TEN_SECONDS: TierOptions = {
  intervalMs: 10_000,
  rawRetentionMs: HOUR,
  rollups: [
    { stepMs: MINUTE, retentionMs: DAY },
    { stepMs: 5 * MINUTE, retentionMs: 7 * DAY },
  ],
};

export function openStore(
  path: string,
  tiers: TierOptions = TEN_SECONDS,
  captured: Captured = captureLog(),
): SqliteHistory {
  return SqliteHistory.open(path, { ...tiers, log: captured.log });
}

export function sample(host: string, tsMs: number, values: Record<string, number>): SampleRow {
  return { host, tsMs, values: new Map(Object.entries(values)) };
}

export function online(id: string, lastSeenMs: number): HostRow {
  return { id, info: null, snapshot: null, lastSeenMs, status: "online", lastError: null };
}

export function ref(name: string): MetricRef {
  const parsed = parseMetric(name);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

export function query(
  hosts: string[],
  metrics: string[],
  fromMs: number,
  toMs: number,
  stepMs: number | null = null,
  agg: Aggregate = "avg",
): HistoryQuery {
  return { hosts, metrics: metrics.map(ref), fromMs, toMs, stepMs, agg };
}

export interface Decoded {
  tsMs: number;
  /** Per metric name: the value (raw) or the mean, maximum and count behind it. */
  values: Map<string, { mean: number; max: number; count: number }>;
}

/** Every point of one host in the tier of a step (0: raw), oldest first, read from the file. */
export function storedPoints(store: SqliteHistory, stepMs: number, host: string): Decoded[] {
  const db = store.db;
  const tier = db
    .query<{ id: number }, [number]>("SELECT id FROM tiers WHERE step_ms = ?")
    .get(stepMs)?.id;
  const hostId = db
    .query<{ id: number }, [string]>("SELECT id FROM hosts WHERE name = ?")
    .get(host)?.id;
  if (tier === undefined || hostId === undefined) return [];
  const points = new PointsTable(db);
  const layouts = new Layouts(db);
  const raw = stepMs === 0;
  const stored = raw
    ? (points.readRaw(tier, [hostId], 0, 2 ** 42).get(hostId) ?? [])
    : points.readRollup(tier, hostId, 0, 2 ** 42);
  return stored.map((point) => {
    const names = layouts.namesOf(point.layout) ?? [];
    const view = viewPoint(point.data, names.length, raw);
    if (!view.valid) throw new Error(`point at ${point.tsMs} does not fit its layout`);
    const values = new Map(
      names.map((name, i) => [
        name,
        { mean: view.mean(i), max: view.max(i), count: view.count(i) },
      ]),
    );
    return { tsMs: point.tsMs, values };
  });
}

/** The watermark of a rollup tier, from the file. */
export function watermark(store: SqliteHistory, stepMs: number): number | null {
  return (
    store.db
      .query<{ w: number | null }, [number]>(
        "SELECT watermark_ms AS w FROM tiers WHERE step_ms = ?",
      )
      .get(stepMs)?.w ?? null
  );
}
