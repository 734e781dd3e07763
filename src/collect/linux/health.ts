// The `health` section: S.M.A.R.T., ZFS pools, mdraid arrays and failed systemd units, read in
// the background and served from the last reading. A snapshot never waits for it: the first
// request starts a reading and answers "collecting"; later ones get the last reading at once,
// and a reading older than max_age starts a new one. Never two readings at a time.
import {
  type FailedUnit,
  type Health,
  type HealthSource,
  type Pool,
  PROTOCOL_CAPS,
} from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import { HEALTH_MAX_AGE_MS, HEALTH_TOOL_TIMEOUT_MS } from "../constants.ts";
import { readMdraid } from "./health-mdraid.ts";
import { ToolRunner } from "./health-run.ts";
import { readSmart } from "./health-smart.ts";
import { readFailedUnits } from "./health-units.ts";
import { readZfs } from "./health-zfs.ts";

export interface HealthOptions {
  /** false: the section answers with an error saying it is turned off. */
  enabled: boolean;
  /** A reading is served this long before a request starts the next one. */
  maxAgeMs: number;
  /** Each tool run (one smartctl per disk, zpool, systemctl) is killed after this. */
  toolTimeoutMs: number;
  /** Where smartctl, zpool and systemctl are looked up. */
  path: string;
}

export const DEFAULT_HEALTH: HealthOptions = {
  enabled: true,
  maxAgeMs: HEALTH_MAX_AGE_MS,
  toolTimeoutMs: HEALTH_TOOL_TIMEOUT_MS,
  path: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
};

/** All disks are read one after another; after this long the rest are skipped until next time. */
const SMART_BUDGET_MS = 60_000;

export class HealthCollecting extends Error {
  override name = "HealthCollecting";
}

export class HealthReader {
  readonly #options: HealthOptions;
  readonly #procfs: string;
  readonly #clock: Clock;
  readonly #runner: ToolRunner;
  #last: { health: Health; atMs: number } | undefined;
  #reading: Promise<void> | undefined;

  constructor(procfs: string, clock: Clock, options: HealthOptions = DEFAULT_HEALTH) {
    this.#procfs = procfs;
    this.#clock = clock;
    this.#options = options;
    this.#runner = new ToolRunner({ timeoutMs: options.toolTimeoutMs, path: options.path });
  }

  /** The last reading, at once; starts a new one when there is none or it is too old. */
  read(): Health {
    if (!this.#options.enabled) {
      throw new Error("health checks are turned off in the config ([health] enabled = false)");
    }
    const last = this.#last;
    if (!last || this.#clock.nowMs() - last.atMs >= this.#options.maxAgeMs) this.refresh();
    if (last) return last.health;
    throw new HealthCollecting(
      "collecting: the first health reading (S.M.A.R.T., pools, failed units) is under way; ask again in a few seconds",
    );
  }

  /** Starts a reading unless one runs; resolves when the running one is done. */
  refresh(): Promise<void> {
    this.#reading ??= this.#collect().then((health) => {
      this.#last = { health, atMs: this.#clock.nowMs() };
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #collect(): Promise<Health> {
    const unavailable: Partial<Record<HealthSource, string>> = {};
    const attempt = async <T>(
      source: HealthSource,
      read: () => Promise<T>,
      none: T,
    ): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        unavailable[source] =
          `not available: ${error instanceof Error ? error.message : String(error)}`;
        return none;
      }
    };
    const deadlineMs = Date.now() + SMART_BUDGET_MS;
    const [disks, zfs, units] = await Promise.all([
      attempt("smart", () => readSmart(this.#runner, deadlineMs), []),
      attempt<Pool[]>("zfs", () => readZfs(this.#runner), []),
      attempt<FailedUnit[]>("units", () => readFailedUnits(this.#runner), []),
    ]);
    const md = readMdraid(this.#procfs);
    if (md === null)
      unavailable.mdraid = `not available: no ${this.#procfs}/mdstat (the md driver is not loaded)`;
    return {
      collected_ms: Date.now(),
      disks: disks.slice(0, PROTOCOL_CAPS.disks),
      pools: [...zfs, ...(md ?? [])].slice(0, PROTOCOL_CAPS.pools),
      failed_units: units.slice(0, PROTOCOL_CAPS.units),
      unavailable,
    };
  }
}
