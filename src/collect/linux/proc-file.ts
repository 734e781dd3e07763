// A /proc file read on every snapshot (/proc/stat, meminfo, net/dev, diskstats, loadavg): the
// file stays open and each read starts with a pread at offset 0 into a buffer kept for the
// purpose, as procps' top does. The kernel regenerates the text on every read from offset 0.
// readFileSync would open, stat, read, close and allocate afresh each time: ~100 µs more per
// snapshot at a 1 Hz poll, and native allocations the runtime then has to give back.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";

/** Grows on demand (a /proc/stat with thousands of interrupt counters), shared by every file. */
let buffer = Buffer.allocUnsafe(16 * 1024);

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
    // One read returns what fits in the kernel's seq_file page (~4 KB of /proc/net/dev on a
    // host with many interfaces): read on until the end, as readFileSync would.
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) return buffer.toString("utf8", 0, length);
      length += n;
    }
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
