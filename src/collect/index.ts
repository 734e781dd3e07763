// The collector's public surface: createCollector() answers snapshot and info requests from
// per-section caches. No timers and no background sampling: all work happens inside a call.

import { TextfileReader } from "../custom/textfile.ts";
import {
  type HostInfo,
  PROTOCOL_VERSION,
  type Section,
  type SectionData,
  type Snapshot,
} from "../protocol/index.ts";
import { type Clock, systemClock } from "./clock.ts";
import {
  BASELINE_MS,
  CUSTOM_TIMEOUT_MS,
  DEFAULT_TOP_PROCESSES,
  MAX_SAMPLE_AGE_MS,
  SECTION_TTL_MS,
} from "./constants.ts";
import { DEFAULT_HEALTH, type HealthOptions, HealthReader } from "./linux/health.ts";
import { createLinuxSource } from "./linux/source.ts";
import { allOf, andThen, type MaybePromise } from "./maybe.ts";
import { type Outcome, SectionCache } from "./section-cache.ts";
import { createSiSource } from "./si.ts";
import type { PlatformSection, Source, SourceOptions } from "./source.ts";
import { errorMessage, withTimeout } from "./timeout.ts";

export type { Clock } from "./clock.ts";

export interface CollectorOptions {
  /** Where /proc is (default /proc): point at a host's tree to monitor it from a container. Linux only. */
  procfs?: string;
  /** Where /sys is (default /sys). Linux only. */
  sysfs?: string;
  /** Where Proxmox VE's guest configs are (default /etc/pve). Linux only. */
  pveDir?: string;
  /** How many processes the processes section lists, busiest first (default 50). */
  topProcesses?: number;
  /** Which collectors to use (default process.platform): /proc and /sys on linux, systeminformation elsewhere. */
  platform?: NodeJS.Platform;
  /**
   * For tests: a fake monotonic clock and sleep. They drive the section caches' TTLs, the age
   * of the previous reading, and the baseline wait; snapshot.ts_ms stays on the real clock.
   */
  clock?: Clock;
  /** For tests: readers in place of the platform's (the caches, timeouts and errors stay real). */
  source?: (options: SourceOptions) => Source;
  /** The health section's sources and cache ([health] in the config). */
  health?: HealthOptions;
  /** Where the custom section's *.prom files are ([custom] textfile_dir); null or absent: none. */
  textfileDir?: string | null;
}

export interface Collector {
  /** The asked-for sections only, as keys; a section that failed or timed out is null with a message in errors. */
  snapshot(sections: readonly Section[]): Promise<Snapshot>;
  /** Static host facts; read once, then cached. */
  info(): Promise<HostInfo>;
}

type SectionCaches = { [S in Section]: SectionCache<SectionData[S]> };

export function createCollector(options: CollectorOptions = {}): Collector {
  const clock = options.clock ?? systemClock;
  const sourceOptions: SourceOptions = {
    procfs: options.procfs ?? "/proc",
    sysfs: options.sysfs ?? "/sys",
    pveDir: options.pveDir ?? "/etc/pve",
    topProcesses: options.topProcesses ?? DEFAULT_TOP_PROCESSES,
    clock,
    timing: { baselineMs: BASELINE_MS, maxSampleAgeMs: MAX_SAMPLE_AGE_MS },
  };
  const platform = options.platform ?? process.platform;
  const createSource =
    options.source ?? (platform === "linux" ? createLinuxSource : createSiSource);
  const source = createSource(sourceOptions);
  const health = new HealthReader(sourceOptions.procfs, clock, options.health ?? DEFAULT_HEALTH);
  const textfiles = new TextfileReader(options.textfileDir ?? null);
  const caches = createCaches(source, clock, {
    health: () => health.read(),
    custom: () => textfiles.read(),
  });
  let info: Promise<HostInfo> | undefined;

  return {
    snapshot(sections) {
      const wanted = sections.filter((s, i) => sections.indexOf(s) === i);
      const outcomes = wanted.map((section) => caches[section].get());
      // The /proc sections answer at once; wait only when some reader really is asynchronous.
      return Promise.resolve(
        andThen(allOf(outcomes), (settled) => buildSnapshot(source, wanted, settled)),
      );
    },

    info() {
      // A failed read is not cached: the next call tries again.
      info ??= withTimeout(source.info(), source.timeoutsMs.info, "host info").catch(
        (error: unknown) => {
          info = undefined;
          throw error;
        },
      );
      return info;
    },
  };
}

/** The sections asked for, in that order; a failed one is null, with its message in errors. */
function buildSnapshot(
  source: Source,
  wanted: readonly Section[],
  outcomes: readonly Outcome<unknown>[],
): Snapshot {
  const snapshot: Snapshot = {
    v: PROTOCOL_VERSION,
    host: source.hostname(),
    ts_ms: Date.now(),
    uptime_s: source.uptimeS(),
  };
  const values = snapshot as Record<Section, unknown>;
  const errors: Partial<Record<Section, string>> = {};
  let failed = false;
  wanted.forEach((section, i) => {
    const outcome = outcomes[i];
    if (outcome?.ok) values[section] = outcome.value;
    else {
      values[section] = null;
      errors[section] = errorMessage(outcome?.error);
      failed = true;
    }
  });
  if (failed) snapshot.errors = errors;
  return snapshot;
}

/** The readers that are the same on every platform: health and custom. */
type CommonReaders = {
  [S in Exclude<Section, PlatformSection>]: () => MaybePromise<SectionData[S]>;
};

function createCaches(source: Source, clock: Clock, common: CommonReaders): SectionCaches {
  const cache = <S extends PlatformSection>(section: S): SectionCache<SectionData[S]> =>
    new SectionCache(section, source.sections[section], {
      ttlMs: SECTION_TTL_MS[section],
      timeoutMs: source.timeoutsMs[section],
      clock,
    });
  return {
    cpu: cache("cpu"),
    memory: cache("memory"),
    disks: cache("disks"),
    disk_io: cache("disk_io"),
    network: cache("network"),
    sensors: cache("sensors"),
    gpus: cache("gpus"),
    processes: cache("processes"),
    guests: cache("guests"),
    containers: cache("containers"),
    // The health reader answers at once from its own reading: no timer.
    health: new SectionCache("health", common.health, {
      ttlMs: SECTION_TTL_MS.health,
      timeoutMs: 0,
      clock,
    }),
    custom: new SectionCache("custom", common.custom, {
      ttlMs: SECTION_TTL_MS.custom,
      timeoutMs: CUSTOM_TIMEOUT_MS,
      clock,
    }),
  };
}
