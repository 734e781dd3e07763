// Disk I/O: /proc/diskstats counters of whole devices, rates and busy share from two readings.
import { existsSync } from "node:fs";
import type { DiskIo } from "../../protocol/index.ts";
import { counterRate, percentOf } from "../rates.ts";
import { ProcFile } from "./proc-file.ts";
import { readOptional } from "./roots.ts";
import { lineEnd, uintColumns, wordAt } from "./text.ts";

export interface DiskCounters {
  /** Kernel name: sda, nvme0n1, dm-0, md0, ... */
  name: string;
  /** diskstats counts 512-byte sectors whatever the device's real sector size. */
  readBytes: number;
  writeBytes: number;
  /** Milliseconds the device had I/O in flight. */
  ioTicksMs: number;
}

const SECTOR_BYTES = 512;

/** Every line of /proc/diskstats (partitions and virtual devices included; see isWholeDisk). */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    end = lineEnd(text, start);
    // major minor name reads merged sectors ms writes merged sectors ms in_flight io_ticks ...
    const cols = uintColumns(text, start, end);
    const name = cols.length < 13 ? undefined : wordAt(text, start, end, 2);
    if (name === undefined) continue;
    out.push({
      name,
      readBytes: (cols[5] ?? Number.NaN) * SECTOR_BYTES,
      writeBytes: (cols[9] ?? Number.NaN) * SECTOR_BYTES,
      ioTicksMs: cols[12] ?? Number.NaN,
    });
  }
  return out;
}

/** Devices that are not disks at all: RAM disks, loop devices, compressed swap, optical, floppy. */
const NOT_DISK_PREFIXES = ["ram", "loop", "zram", "sr", "fd"];

/** Partition names when sysfs cannot tell: sda1, vdb2, xvda1, hda1, nvme0n1p1, mmcblk0p1, md0p1. */
const PARTITION_NAME = /^((sd|vd|xvd|hd)[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+|md\d+)p\d+)$/;

export type DeviceKind = "disk" | "partition" | "other";

/** Name heuristic, for when sysfs knows nothing about the device. */
export function kindFromName(name: string): DeviceKind {
  if (NOT_DISK_PREFIXES.some((p) => name.startsWith(p))) return "other";
  return PARTITION_NAME.test(name) ? "partition" : "disk";
}

/**
 * Whole disk, partition or neither. sysfs is authoritative when it knows the device: a
 * partition has a `partition` file under /sys/class/block/<dev>/, a whole disk a /sys/block/<dev>.
 */
export function deviceKind(name: string, sysfs: string): DeviceKind {
  if (NOT_DISK_PREFIXES.some((p) => name.startsWith(p))) return "other";
  if (existsSync(`${sysfs}/class/block/${name}/partition`)) return "partition";
  if (existsSync(`${sysfs}/block/${name}`)) return "disk";
  return kindFromName(name);
}

/**
 * The label of a device: device-mapper devices (LVM, LUKS, multipath) by their mapper name,
 * which is stable across reboots unlike dm-N; every other device by its kernel name.
 */
export function deviceLabel(name: string, sysfs: string): string {
  if (!name.startsWith("dm-")) return name;
  const mapperName = readOptional(`${sysfs}/block/${name}/dm/name`)?.trim();
  return mapperName ? mapperName : name;
}

/** One entry per device of `cur`; a device new since `prev`, or a counter that went back, gives null rates. */
export function diskIoRates(
  prev: readonly DiskCounters[],
  cur: readonly DiskCounters[],
  elapsedMs: number,
  label: (name: string) => string = (name) => name,
): DiskIo[] {
  const before = new Map(prev.map((d) => [d.name, d]));
  return cur.map((d) => {
    const p = before.get(d.name);
    const busyMs = p && d.ioTicksMs >= p.ioTicksMs ? d.ioTicksMs - p.ioTicksMs : null;
    return {
      device: label(d.name),
      read_bps: counterRate(p?.readBytes, d.readBytes, elapsedMs),
      write_bps: counterRate(p?.writeBytes, d.writeBytes, elapsedMs),
      busy_pct: busyMs === null || !(elapsedMs > 0) ? null : percentOf(busyMs, elapsedMs),
      read_total_bytes: d.readBytes,
      write_total_bytes: d.writeBytes,
    };
  });
}

/**
 * Reads the counters of whole disks. Whether a name is a disk, and its label, are looked up in
 * sysfs once and remembered until the device list changes (a disk added, an LV renamed).
 */
export class DiskIoReader {
  readonly #diskstats: ProcFile;
  readonly #sysfs: string;
  readonly #kinds = new Map<string, DeviceKind>();
  readonly #labels = new Map<string, string>();
  #names = "";

  constructor(procfs: string, sysfs: string) {
    this.#diskstats = new ProcFile(`${procfs}/diskstats`);
    this.#sysfs = sysfs;
  }

  read(): DiskCounters[] {
    const all = parseDiskstats(this.#diskstats.read());
    const names = all.map((d) => d.name).join(" ");
    if (names !== this.#names) {
      this.#names = names;
      this.#kinds.clear();
      this.#labels.clear();
    }
    return all.filter((d) => this.#kind(d.name) === "disk");
  }

  label = (name: string): string => {
    let label = this.#labels.get(name);
    if (label === undefined) {
      label = deviceLabel(name, this.#sysfs);
      this.#labels.set(name, label);
    }
    return label;
  };

  #kind(name: string): DeviceKind {
    let kind = this.#kinds.get(name);
    if (kind === undefined) {
      kind = deviceKind(name, this.#sysfs);
      this.#kinds.set(name, kind);
    }
    return kind;
  }
}
