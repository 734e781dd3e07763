// The cgroup files of every guest and container, kept open between snapshots and re-read with
// pread (as ProcFile does for /proc): a hypervisor's 100 cgroups mean 400 small files a
// snapshot, and open + read + close of each would cost more than the budget of the whole read.
import { closeSync, openSync } from "node:fs";
import { MAX_KEPT_CGROUP_FILES } from "../constants.ts";
import { readBytes } from "./proc-file.ts";
import { errnoCode } from "./roots.ts";

export class CgroupFiles {
  /** Open descriptors by directory, then file name: a gone cgroup's files close together. */
  readonly #dirs = new Map<string, Map<string, number>>();
  readonly #seen = new Set<string>();
  #count = 0;

  /** A file's text, or null when it does not exist (see bytes). */
  read(dir: string, name: string): string | null {
    const bytes = this.bytes(dir, name);
    return bytes === null ? null : bytes.toString("utf8", 0, bytes.length);
  }

  /**
   * A file's bytes, valid until the next read of any file; null when it does not exist (no such
   * controller, or the cgroup went away between the directory listing and this read). A kept
   * descriptor of a removed cgroup fails with ENODEV: it is closed and the path opened afresh,
   * which finds the new cgroup of a guest restarted under the same name, or nothing. Other
   * errors (EACCES) throw.
   */
  bytes(dir: string, name: string): Buffer | null {
    this.#seen.add(dir);
    let files = this.#dirs.get(dir);
    const kept = files?.get(name);
    if (files && kept !== undefined) {
      try {
        return readBytes(kept);
      } catch {
        files.delete(name);
        this.#count -= 1;
        closeQuietly(kept);
      }
    }
    let fd: number;
    try {
      fd = openSync(`${dir}/${name}`, "r");
    } catch (error) {
      if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return null;
      throw error;
    }
    let bytes: Buffer;
    try {
      bytes = readBytes(fd);
    } catch (error) {
      closeQuietly(fd);
      // Removed between open and read.
      if (errnoCode(error) === "ENODEV" || errnoCode(error) === "ENOENT") return null;
      throw error;
    }
    if (this.#count >= MAX_KEPT_CGROUP_FILES) {
      closeQuietly(fd);
      return bytes;
    }
    if (!files) {
      files = new Map();
      this.#dirs.set(dir, files);
    }
    files.set(name, fd);
    this.#count += 1;
    return bytes;
  }

  /** Close the files of directories not read since the last call: cgroups that went away. */
  endRound(): void {
    for (const [dir, files] of this.#dirs) {
      if (this.#seen.has(dir)) continue;
      for (const fd of files.values()) closeQuietly(fd);
      this.#count -= files.size;
      this.#dirs.delete(dir);
    }
    this.#seen.clear();
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to give back.
  }
}
