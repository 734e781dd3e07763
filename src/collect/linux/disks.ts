// Disks: the real filesystems from mountinfo with their size, used and free bytes from statfs.
import { statfsSync, statSync } from "node:fs";
import { stat, statfs } from "node:fs/promises";
import type { Disk } from "../../protocol/index.ts";
import { MOUNT_STAT_TIMEOUT_MS } from "../constants.ts";
import { allOf, andThen, type MaybePromise } from "../maybe.ts";
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

/**
 * Filesystems on a local block device: statfs answers from the superblock in memory and cannot
 * hang, so they are read at once, without a thread hop or a timer. Every other kind (NFS, CIFS,
 * FUSE, ZFS, Ceph, ...) can stall statfs for minutes and is read asynchronously with a timeout.
 */
const LOCAL_FS = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "bcachefs",
  "f2fs",
  "jfs",
  "reiserfs",
  "nilfs2",
  "vfat",
  "exfat",
  "ntfs",
  "ntfs3",
  "hfsplus",
]);

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

  /** At once when every filesystem is local (see LOCAL_FS), as on most machines. */
  read(): MaybePromise<Disk[]> {
    const mounts = selectMounts(readMountEntries(this.#roots.procfs));
    return andThen(allOf(mounts.map((m) => this.#usage(m))), (usages) => diskRows(mounts, usages));
  }

  #usage(entry: MountEntry): MaybePromise<Usage | null> {
    const target = this.#roots.hostRoot === null ? entry.mount : this.#roots.hostRoot + entry.mount;
    return LOCAL_FS.has(entry.fs) ? statMountNow(target, entry) : this.#usageBounded(target, entry);
  }

  async #usageBounded(target: string, entry: MountEntry): Promise<Usage | null> {
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

/** One row per mount, sizes null where unknown; zero-size filesystems left out. */
function diskRows(mounts: readonly MountEntry[], usages: readonly (Usage | null)[]): Disk[] {
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

/**
 * statfs of the mount point, but only when the path really is that filesystem from where we
 * stand: read from a container or a fixture, "/" is some other filesystem, and its numbers
 * would be made up. Unreachable → null.
 */
async function statMount(target: string, entry: MountEntry): Promise<Usage | null> {
  try {
    const expected = expectedDev(entry);
    if (expected !== null && (await stat(target)).dev !== expected) return null;
    return usageFromStatfs(await statfs(target));
  } catch {
    return null;
  }
}

/** statMount for a local filesystem, synchronously. */
function statMountNow(target: string, entry: MountEntry): Usage | null {
  try {
    const expected = expectedDev(entry);
    if (expected !== null && statSync(target).dev !== expected) return null;
    return usageFromStatfs(statfsSync(target));
  } catch {
    return null;
  }
}

/** The device number the mount point must have, or null when it cannot be checked. */
function expectedDev(entry: MountEntry): number | null {
  if (entry.devId === null || DEV_MISMATCH_FS.has(entry.fs)) return null;
  return devNumber(entry.devId);
}
