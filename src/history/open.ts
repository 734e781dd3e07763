// Opens the history a config asks for: the SQLite file this receiver records into, or a
// Prometheus-compatible query API. A file that cannot be opened is one clear log line and a
// receiver without history, never a receiver that does not start.
import type { HistoryConfig } from "../config/index.ts";
import type { Logger } from "../log.ts";
import { type HistoryAccess, HistoryError } from "./backend.ts";
import { defaultHistoryPath } from "./path.ts";
import type { SqliteHistory } from "./sqlite.ts";

export interface OpenedHistory {
  access: HistoryAccess;
  /** The file being recorded into; null with the Prometheus backend, or when it failed to open. */
  sqlite: SqliteHistory | null;
}

const OFF: OpenedHistory = { access: { reader: null, unavailable: null }, sqlite: null };

export async function openHistory(
  config: HistoryConfig,
  env: Record<string, string | undefined>,
  log: Logger,
  /** For the Prometheus backend: the label value of a host id (see PrometheusOptions). */
  hostLabel: (id: string) => string | null,
): Promise<OpenedHistory> {
  if (!config.enabled) return OFF;
  if (config.backend === "prometheus" && config.prometheus) {
    const { PrometheusHistory } = await import("./prometheus.ts");
    const { url, token, label } = config.prometheus;
    log.info("history from Prometheus", { url, label });
    const reader = new PrometheusHistory({ url, token, label, hostLabel, log });
    return { access: { reader, unavailable: null }, sqlite: null };
  }
  const { SqliteHistory } = await import("./sqlite.ts");
  const path = config.path ?? defaultHistoryPath(env);
  try {
    const sqlite = SqliteHistory.open(path, {
      intervalMs: config.intervalMs,
      rawRetentionMs: config.rawRetentionMs,
      rollups: config.rollups,
      log,
    });
    log.info("history recording", { path, interval_ms: config.intervalMs });
    return { access: { reader: sqlite, unavailable: null }, sqlite };
  } catch (err) {
    const message = err instanceof HistoryError ? err.message : String(err);
    log.error(`history unavailable, running without it: ${message}`);
    return {
      access: { reader: null, unavailable: `history is unavailable: ${message}` },
      sqlite: null,
    };
  }
}
