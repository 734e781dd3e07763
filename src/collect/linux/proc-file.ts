// A /proc file read on every snapshot (/proc/stat, meminfo, net/dev, diskstats, loadavg): the
// file stays open and each read starts with a pread at offset 0 into a buffer kept for the
// purpose, as procps' top does. The kernel regenerates the text on every read from offset 0.
// readFileSync would open, stat, read, close and allocate afresh each time: ~100 µs more per
// snapshot at a 1 Hz poll, and native allocations the runtime then has to give back.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";

/** Grows on demand (a /proc/stat with thousands of interrupt counters), shared by every file. */
let buffer = Buffer.allocUnsafe(16 * 1024);

/**
 * A read that returns less than asked for and at most this much was the last one. The kernel
 * ends a read short before the end only when the next record does not fit in its seq_file
 * buffer (a page, 4 KB or more), so such a read returns more than a page minus one record; the
 * records of the files read here (a line of net/dev or diskstats) are far below 2 KB. This
 * spares the second pread that would only find the end, for every file of a typical machine.
 */
const SURELY_LAST_READ_BYTES = 2048;

/**
 * The bytes of an open file, from offset 0, in the shared buffer: valid until the next read. One
 * read returns what fits in the kernel's seq_file page (~4 KB of /proc/net/dev on a host with
 * many interfaces): read on until the end, as readFileSync would. Throws like readSync (ENODEV
 * once a cgroup's directory is gone).
 */
export function readBytes(fd: number): Buffer {
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const asked = buffer.length - length;
    const n = readSync(fd, buffer, length, asked, length);
    length += n;
    if (n === 0 || (n < asked && n <= SURELY_LAST_READ_BYTES)) return buffer.subarray(0, length);
  }
}

/** The text of an open file, from offset 0 (see readBytes). */
export function readWhole(fd: number): string {
  const bytes = readBytes(fd);
  return bytes.toString("utf8", 0, bytes.length);
}

export class ProcFile {
  readonly path: string;
  #fd: number | null = null;
  #regular = false;

  constructor(path: string) {
    this.path = path;
  }

  /** The file's current text; throws like readFileSync (ENOENT, EACCES, ...). */
  read(): string {
    const fd = this.#regular ? null : this.#open();
    if (fd === null) return readFileSync(this.path, "utf8");
    return readWhole(fd);
  }

  /**
   * The open descriptor of a kernel-generated file (size 0), or null for a regular file (a
   * fixture tree given as --procfs), which is read by path each time so that a replaced file
   * is seen. A file that cannot be opened throws, and is tried again on the next read.
   */
  #open(): number | null {
    if (this.#fd !== null) return this.#fd;
    const fd = openSync(this.path, "r");
    if (fstatSync(fd).size > 0) {
      closeSync(fd);
      this.#regular = true;
      return null;
    }
    this.#fd = fd;
    return fd;
  }
}
