// ProcFile: /proc files kept open and re-read with pread; regular files (fixtures) read by path.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProcFile } from "../../../src/collect/linux/proc-file.ts";
import { makeTempDir } from "./fixtures.ts";

function openPaths(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the fd readdir itself used, closed since
    }
  });
}

describe("ProcFile", () => {
  test("a kernel file stays open and every read regenerates its text", () => {
    const file = new ProcFile("/proc/self/stat");
    const first = file.read();
    expect(openPaths().filter((p) => p.endsWith("/stat")).length).toBeGreaterThan(0);
    // Field 3 is the state and the counters move, but each read is a whole, fresh line.
    for (let i = 0; i < 3; i++) {
      const text = file.read();
      expect(text.startsWith(`${process.pid} (`)).toBe(true);
      expect(text.endsWith("\n")).toBe(true);
    }
    expect(first.split(" ").length).toBeGreaterThan(40);
  });

  test("a kernel file larger than the buffer is read whole", () => {
    // smaps runs to tens of KB for a Bun process: more than the 16 KB the buffer starts with.
    const text = new ProcFile("/proc/self/smaps").read();
    expect(text.length).toBeGreaterThan(16 * 1024);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n").filter((l) => l.startsWith("VmFlags:")).length).toBeGreaterThan(10);
  });

  test("a kernel file of many short lines, over several pages, is read to its end", () => {
    // Each read of maps ends short at a page boundary, well above the size of a surely-last read.
    const text = new ProcFile("/proc/self/maps").read();
    expect(text.length).toBeGreaterThan(4096);
    const lastLine = (t: string) => t.trimEnd().split("\n").at(-1);
    expect(lastLine(text)).toBe(lastLine(readFileSync("/proc/self/maps", "utf8")));
  });

  test("a regular file (a fixture tree) is read by path, so a replaced file is seen", () => {
    const dir = makeTempDir("procfile");
    const path = join(dir, "loadavg");
    writeFileSync(path, "0.10 0.20 0.30 1/100 42\n");
    const file = new ProcFile(path);
    expect(file.read()).toBe("0.10 0.20 0.30 1/100 42\n");
    writeFileSync(`${path}.new`, "9.00 8.00 7.00 2/200 43\n");
    renameSync(`${path}.new`, path);
    expect(file.read()).toBe("9.00 8.00 7.00 2/200 43\n");
    expect(openPaths()).not.toContain(path);
  });

  test("a missing file throws on every read and is found once it appears", () => {
    const dir = makeTempDir("procfile");
    const file = new ProcFile(join(dir, "meminfo"));
    expect(() => file.read()).toThrow("ENOENT");
    expect(() => file.read()).toThrow("ENOENT");
    writeFileSync(join(dir, "meminfo"), "MemTotal: 1 kB\n");
    expect(file.read()).toBe("MemTotal: 1 kB\n");
  });
});
