// Where the Linux collectors read from: /proc and /sys, or a host's trees mounted elsewhere
// (a container, a fixture), like node_exporter's --path.procfs and --path.sysfs.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

export const DEFAULT_PROCFS = "/proc";
export const DEFAULT_SYSFS = "/sys";

export interface Roots {
  procfs: string;
  sysfs: string;
  /**
   * The root of the machine being described, or null for the machine we run on. With a custom
   * procfs (say /host/proc) the host's own files (/etc/os-release, /etc/passwd, mount points) are
   * looked for beside it, at /host/..., before the local ones.
   */
  hostRoot: string | null;
}

export function makeRoots(procfs = DEFAULT_PROCFS, sysfs = DEFAULT_SYSFS): Roots {
  const trimmedProcfs = trimSlash(procfs);
  return {
    procfs: trimmedProcfs,
    sysfs: trimSlash(sysfs),
    hostRoot: trimmedProcfs === DEFAULT_PROCFS ? null : dirname(trimmedProcfs),
  };
}

/** Candidate paths for a file of the described host: every one beside a custom procfs first, then the local ones. */
export function hostFileCandidates(roots: Roots, ...absolutePaths: string[]): string[] {
  const { hostRoot } = roots;
  return hostRoot === null
    ? absolutePaths
    : [...absolutePaths.map((path) => hostRoot + path), ...absolutePaths];
}

/** The content of the first candidate that can be read, or null. */
export function readFirst(paths: readonly string[]): string | null {
  for (const path of paths) {
    const text = readOptional(path);
    if (text !== null) return text;
  }
  return null;
}

/** A file's text, or null when it cannot be read (absent on this kernel, permission, ...). */
export function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Like readOptional, for sysfs attributes whose read can block on hardware (I2C sensors, GPUs). */
export async function readOptionalAsync(path: string): Promise<string | null> {
  try {
    return await Bun.file(path).text();
  } catch {
    return null;
  }
}

/** Node's errno code of a failed fs call, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
