// The resolutions points are kept at: raw, then each rollup step, with how long each is kept and
// how far each rollup has got (its watermark, in the file so a restart continues there).
import type { Database, Statement } from "bun:sqlite";
import { HistoryError } from "./backend.ts";
import { MAX_TIER_ID } from "./sqlite-schema.ts";

export interface Tier {
  /** The tier's bits in a point's key; fixed in the file for a step, whatever the config. */
  readonly id: number;
  readonly raw: boolean;
  /** The rollup step; for raw, the recording interval (raw points keep their own times). */
  readonly stepMs: number;
  /** Points older than this are deleted; a tier no longer configured has -Infinity. */
  readonly retentionMs: number;
  /** Every step that starts before it is rolled up; null: nothing yet. Raw: always null. */
  watermarkMs: number | null;
}

export interface TierConfig {
  intervalMs: number;
  rawRetentionMs: number;
  rollups: readonly { stepMs: number; retentionMs: number }[];
}

/** The raw tier's step_ms in the file: raw points are at whatever interval they came. */
const RAW_STEP = 0;

export class Tiers {
  /** Raw, then the rollups from the finest to the coarsest, each computed from the one before. */
  readonly chain: readonly Tier[];
  /** In the file but no longer configured: their points are deleted, then the tier. */
  readonly stale: Tier[];
  readonly #setWatermark: Statement<unknown, [number, number]>;
  readonly #drop: Statement<unknown, [number]>;

  private constructor(db: Database, chain: Tier[], stale: Tier[]) {
    this.chain = chain;
    this.stale = stale;
    this.#setWatermark = db.prepare("UPDATE tiers SET watermark_ms = ? WHERE id = ?");
    this.#drop = db.prepare("DELETE FROM tiers WHERE id = ?");
  }

  static load(db: Database, config: TierConfig): Tiers {
    const wanted = validate(config);
    const rows = db
      .query<{ id: number; step_ms: number; watermark_ms: number | null }, []>(
        "SELECT id, step_ms, watermark_ms FROM tiers",
      )
      .all();
    const byStep = new Map(rows.map((row) => [row.step_ms, row]));
    const used = new Set(rows.map((row) => row.id));
    const chain: Tier[] = [];
    const added: Tier[] = [];
    for (const { stepMs, retentionMs } of wanted) {
      const raw = chain.length === 0;
      const row = byStep.get(raw ? RAW_STEP : stepMs);
      byStep.delete(raw ? RAW_STEP : stepMs);
      let id = row?.id;
      if (id === undefined) {
        id = 0;
        while (used.has(id)) id++;
        if (id > MAX_TIER_ID) {
          throw new HistoryError(
            `too many history tiers: at most ${MAX_TIER_ID + 1} (raw and rollups, counting steps removed from the config whose points are still being deleted)`,
          );
        }
        used.add(id);
      }
      const tier = { id, raw, stepMs, retentionMs, watermarkMs: row?.watermark_ms ?? null };
      chain.push(tier);
      if (!row) added.push(tier);
    }
    if (added.length > 0) {
      const insert = db.prepare<unknown, [number, number]>(
        "INSERT INTO tiers (id, step_ms) VALUES (?, ?)",
      );
      db.transaction(() => {
        for (const tier of added) insert.run(tier.id, tier.raw ? RAW_STEP : tier.stepMs);
      }).immediate();
    }
    const stale = [...byStep.values()].map((row) => ({
      id: row.id,
      raw: false,
      stepMs: row.step_ms,
      retentionMs: Number.NEGATIVE_INFINITY,
      watermarkMs: null,
    }));
    return new Tiers(db, chain, stale);
  }

  /** Call in the transaction that writes the rollup points up to it. */
  setWatermark(tier: Tier, watermarkMs: number): void {
    this.#setWatermark.run(watermarkMs, tier.id);
    tier.watermarkMs = watermarkMs;
  }

  /** A stale tier whose points are all gone. */
  drop(tier: Tier): void {
    this.#drop.run(tier.id);
    this.stale.splice(this.stale.indexOf(tier), 1);
  }

  /** Re-reads the watermarks: after a rolled-back transaction the ones in memory may be ahead. */
  reload(db: Database): void {
    const rows = db
      .query<{ id: number; watermark_ms: number | null }, []>("SELECT id, watermark_ms FROM tiers")
      .all();
    const byId = new Map(rows.map((row) => [row.id, row.watermark_ms]));
    for (const tier of this.chain) tier.watermarkMs = byId.get(tier.id) ?? null;
  }
}

function validate(config: TierConfig): { stepMs: number; retentionMs: number }[] {
  const positive = (ms: number) => Number.isSafeInteger(ms) && ms > 0;
  if (!positive(config.intervalMs) || !positive(config.rawRetentionMs)) {
    throw new HistoryError(
      "history interval and raw retention must be positive whole milliseconds",
    );
  }
  const rollups = [...config.rollups].sort((a, b) => a.stepMs - b.stepMs);
  let previousStepMs = config.intervalMs;
  for (const { stepMs, retentionMs } of rollups) {
    if (!positive(stepMs) || !positive(retentionMs) || stepMs <= previousStepMs) {
      throw new HistoryError(
        `history rollup steps must be positive, distinct and coarser than the interval (${config.intervalMs} ms); got ${stepMs} ms`,
      );
    }
    previousStepMs = stepMs;
  }
  return [{ stepMs: config.intervalMs, retentionMs: config.rawRetentionMs }, ...rollups];
}
