// Disks: the real filesystems from mountinfo with their size, used and free bytes from statfs.
import { stat, statfs } from "node:fs/promises";
import type { Disk } from "../../protocol/index.ts";
import { MOUNT_STAT_TIMEOUT_MS } from "../constants.ts";
import { withTimeout } from "../timeout.ts";
import { type MountEntry, parseMountinfo, parseProcMounts, selectMounts } from "./mounts.ts";
import { type Roots, readOptional } from "./roots.ts";

export interface Usage {
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
}

/**
 * Filesystems whose stat() device number differs from mountinfo's by design (btrfs gives every
 * subvolume its own anonymous device), so the same-filesystem check cannot be applied.
 */
const DEV_MISMATCH_FS = new Set(["btrfs", "bcachefs"]);

/** The host's mount table: pid 1's view (the host's, even when we run in a mount namespace). */
export function readMountEntries(procfs: string): MountEntry[] {
  for (const path of [`${procfs}/1/mountinfo`, `${procfs}/self/mountinfo`]) {
    const text = readOptional(path);
    if (text !== null) return parseMountinfo(text);
  }
  const mounts = readOptional(`${procfs}/mounts`);
  if (mounts === null) throw new Error(`cannot read ${procfs}/1/mountinfo or ${procfs}/mounts`);
  return parseProcMounts(mounts);
}

/** The statfs numbers in bytes; f_blocks counts units of f_bsize (f_frsize, equal on Linux filesystems). */
export function usageFromStatfs(s: {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}): Usage {
  return {
    totalBytes: s.blocks * s.bsize,
    usedBytes: (s.blocks - s.bfree) * s.bsize,
    availableBytes: s.bavail * s.bsize,
  };
}

/** The device number stat() reports for "major:minor" (glibc's makedev encoding). */
export function devNumber(devId: string): number | null {
  const colon = devId.indexOf(":");
  const major = Number(devId.slice(0, colon));
  const minor = Number(devId.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(major) || !Number.isInteger(minor)) return null;
  // (major & 0xfff) << 8 | (major & ~0xfff) << 32 | (minor & 0xff) | (minor & ~0xff) << 12,
  // written with arithmetic because JavaScript's shifts are 32-bit.
  return (
    (major % 0x1000) * 0x100 +
    Math.floor(major / 0x1000) * 0x1000 * 2 ** 32 +
    (minor % 0x100) +
    Math.floor(minor / 0x100) * 0x100 * 0x1000
  );
}

/**
 * Reads filesystem usage without letting a dead network mount stall the section: each mount is
 * bounded in time, and a mount whose previous statfs is still stuck is skipped (null sizes)
 * instead of tying up another thread.
 */
export class DiskReader {
  readonly #roots: Roots;
  readonly #stuck = new Set<string>();

  constructor(roots: Roots) {
    this.#roots = roots;
  }

  async read(): Promise<Disk[]> {
    const mounts = selectMounts(readMountEntries(this.#roots.procfs));
    const usages = await Promise.all(mounts.map((m) => this.#usage(m)));
    const disks: Disk[] = [];
    mounts.forEach((m, i) => {
      const usage = usages[i] ?? null;
      // A zero-size filesystem holds nothing worth a row (an empty autofs placeholder, a pseudo fs we did not list).
      if (usage !== null && usage.totalBytes === 0) return;
      disks.push({
        mount: m.mount,
        fs: m.fs,
        device: m.device,
        total_bytes: usage?.totalBytes ?? null,
        used_bytes: usage?.usedBytes ?? null,
        available_bytes: usage?.availableBytes ?? null,
      });
    });
    return disks;
  }

  async #usage(entry: MountEntry): Promise<Usage | null> {
    const target = this.#roots.hostRoot === null ? entry.mount : this.#roots.hostRoot + entry.mount;
    if (this.#stuck.has(target)) return null;
    const pending = statMount(target, entry);
    this.#stuck.add(target);
    pending.finally(() => this.#stuck.delete(target)).catch(() => {});
    try {
      return await withTimeout(pending, MOUNT_STAT_TIMEOUT_MS, `statfs ${target}`);
    } catch {
      return null;
    }
  }
}

/**
 * statfs of the mount point, but only when the path really is that filesystem from where we
 * stand: read from a container or a fixture, "/" is some other filesystem, and its numbers
 * would be made up. Unreachable → null.
 */
async function statMount(target: string, entry: MountEntry): Promise<Usage | null> {
  try {
    if (entry.devId !== null && !DEV_MISMATCH_FS.has(entry.fs)) {
      const expected = devNumber(entry.devId);
      const st = await stat(target);
      if (expected !== null && st.dev !== expected) return null;
    }
    return usageFromStatfs(await statfs(target));
  } catch {
    return null;
  }
}
