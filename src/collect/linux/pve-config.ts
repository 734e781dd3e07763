// Proxmox VE guest configs: /etc/pve/qemu-server/<vmid>.conf and /etc/pve/lxc/<ctid>.conf give
// each guest's name and configured size, for running guests and stopped ones alike.
import { readdirSync, type Stats, statSync } from "node:fs";
import { readOptional } from "./roots.ts";

export type GuestKind = "vm" | "ct";

export interface GuestConfig {
  id: number;
  kind: GuestKind;
  name: string | null;
  /** null for a CT without `cores:` (it may use every host core). */
  cores: number | null;
  memBytes: number | null;
  /** Templates never run; they are left out of the list. */
  template: boolean;
}

/** PVE's own defaults when a key is absent (qm and pct manuals). */
const VM_DEFAULTS = { cores: 1, sockets: 1, memoryMib: 512 };
const CT_DEFAULT_MEMORY_MIB = 512;
const MIB = 1024 * 1024;
/** VMIDs are 100 to 999999999. */
const VMID = /^([1-9]\d{2,8})\.conf$/;

/**
 * One guest config. The current settings end at the first `[section]` (snapshots, [PENDING],
 * [special:cloudinit]); `#` lines are the description. Lines that are not `key: value`, and
 * values that are not plain positive numbers (or absurdly large), are ignored rather than
 * trusted: the guest then shows PVE's default, or null.
 */
export function parseGuestConfig(id: number, kind: GuestKind, text: string): GuestConfig {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("[")) break;
    const colon = line.indexOf(":");
    if (line.startsWith("#") || colon <= 0) continue;
    values.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const memoryMib = size(values.get("memory"));
  const template = values.get("template") === "1";
  if (kind === "vm") {
    const vcpus = count(values.get("vcpus"));
    const cores = count(values.get("cores")) ?? VM_DEFAULTS.cores;
    const sockets = count(values.get("sockets")) ?? VM_DEFAULTS.sockets;
    return {
      id,
      kind,
      name: text256(values.get("name")),
      cores: vcpus ?? cores * sockets,
      memBytes: (memoryMib ?? VM_DEFAULTS.memoryMib) * MIB,
      template,
    };
  }
  return {
    id,
    kind,
    name: text256(values.get("hostname")),
    cores: count(values.get("cores")),
    memBytes: (memoryMib ?? CT_DEFAULT_MEMORY_MIB) * MIB,
    template,
  };
}

/** Every guest config under the PVE directory, by "vm:100" / "ct:101"; unreadable ones are skipped. */
export function readGuestConfigs(pveDir: string): Map<string, GuestConfig> {
  return new GuestConfigFiles(pveDir).read();
}

/**
 * pmxcfs keeps whole seconds: a file written within this long before it was read may change
 * again without its mtime moving, so it is read again next time.
 */
const MTIME_SLACK_MS = 2_000;

/** The configs of one PVE directory, each file parsed again only when its size or mtime moved. */
export class GuestConfigFiles {
  readonly #pveDir: string;
  readonly #byPath = new Map<string, { mtimeMs: number; size: number; config: GuestConfig }>();

  constructor(pveDir: string) {
    this.#pveDir = pveDir;
  }

  read(): Map<string, GuestConfig> {
    const configs = new Map<string, GuestConfig>();
    const seen = new Set<string>();
    for (const [kind, folder] of [
      ["vm", "qemu-server"],
      ["ct", "lxc"],
    ] as const) {
      let names: string[];
      try {
        names = readdirSync(`${this.#pveDir}/${folder}`);
      } catch {
        continue;
      }
      for (const file of names) {
        const id = VMID.exec(file)?.[1];
        if (id === undefined) continue;
        const path = `${this.#pveDir}/${folder}/${file}`;
        const config = this.#config(path, Number(id), kind);
        if (config === null) continue;
        seen.add(path);
        if (!config.template) configs.set(guestKey(kind, config.id), config);
      }
    }
    for (const path of this.#byPath.keys()) if (!seen.has(path)) this.#byPath.delete(path);
    return configs;
  }

  #config(path: string, id: number, kind: GuestKind): GuestConfig | null {
    let stat: Stats | undefined;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (!stat) return null;
    const known = this.#byPath.get(path);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.config;
    const text = readOptional(path);
    if (text === null) return null;
    const config = parseGuestConfig(id, kind, text);
    if (stat.mtimeMs < Date.now() - MTIME_SLACK_MS) {
      this.#byPath.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, config });
    } else this.#byPath.delete(path);
    return config;
  }
}

export function guestKey(kind: GuestKind, id: number): string {
  return `${kind}:${id}`;
}

/** A count of cores or sockets: 1 to 8192 (Linux's NR_CPUS maximum). */
function count(value: string | undefined): number | null {
  const n = value !== undefined && /^\d{1,5}$/.test(value) ? Number(value) : 0;
  return n >= 1 && n <= 8192 ? n : null;
}

/**
 * Memory in MiB: `memory: 4096`, or since PVE 8.1 a property string `memory: current=4096,...`.
 * Up to 2^33 MiB (8 PiB) so that the bytes stay exact.
 */
function size(value: string | undefined): number | null {
  const match = value === undefined ? null : /^(?:current=)?(\d{1,10})(?:,|$)/.exec(value);
  const n = match?.[1] === undefined ? 0 : Number(match[1]);
  return n >= 1 && n <= 2 ** 33 ? n : null;
}

/** A name as the wire carries names: at most 256 characters. */
function text256(value: string | undefined): string | null {
  return value ? value.slice(0, 256) : null;
}
