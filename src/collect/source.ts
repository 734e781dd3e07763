// What a platform's collectors provide: one reader per section, the static host facts, and the
// cheap per-snapshot facts. The caching, timeouts and error handling around them live in index.ts.
import type { HostInfo, Section, SectionData } from "../protocol/index.ts";
import type { Clock } from "./clock.ts";
import type { MaybePromise } from "./maybe.ts";
import type { SamplerTiming } from "./sampler.ts";

/** The sections every platform reads its own way; health and custom are the same everywhere (index.ts). */
export type PlatformSection = Exclude<Section, "health" | "custom">;

/** Synchronous where the data is at hand (the /proc readers), a promise where it is not. */
export type SectionReaders = { [S in PlatformSection]: () => MaybePromise<SectionData[S]> };

export interface Source {
  sections: SectionReaders;
  /** How long each section's read (and info()) may take before it yields an error (0: no timer). */
  timeoutsMs: Readonly<Record<PlatformSection | "info", number>>;
  info(): Promise<HostInfo>;
  /** Whole seconds since boot, or null when unknown. */
  uptimeS(): number | null;
  hostname(): string;
}

export interface SourceOptions {
  procfs: string;
  sysfs: string;
  /** Where Proxmox VE keeps the guest configs (default /etc/pve). */
  pveDir: string;
  topProcesses: number;
  clock: Clock;
  timing: SamplerTiming;
}
