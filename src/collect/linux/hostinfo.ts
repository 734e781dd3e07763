// Static host facts for HostInfo: hostname, kernel, OS name, CPU model and count, memory, boot time.
import os from "node:os";
import { type HostInfo, PROTOCOL_VERSION } from "../../protocol/index.ts";
import { VERSION } from "../../version.ts";
import { parseBootTimeMs } from "./cpu.ts";
import { parseMeminfoKb } from "./memory.ts";
import { hostFileCandidates, type Roots, readFirst, readOptional } from "./roots.ts";

/** PRETTY_NAME of an os-release file (shell-style quoting), else NAME + VERSION, else null. */
export function parseOsRelease(text: string): string | null {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq <= 0 || line.startsWith("#")) continue;
    values.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1).trim()));
  }
  const pretty = values.get("PRETTY_NAME");
  if (pretty) return pretty;
  const name = values.get("NAME");
  if (!name) return null;
  const version = values.get("VERSION");
  return version ? `${name} ${version}` : name;
}

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return q === '"' ? inner.replace(/\\(["\\$`])/g, "$1") : inner;
  }
  return value;
}

export interface CpuinfoFacts {
  model: string | null;
  /** Logical CPUs: the "processor" entries. */
  cores: number;
}

/** CPU model and logical CPU count; ARM kernels name the model "Hardware" or "Processor", not "model name". */
export function parseCpuinfo(text: string): CpuinfoFacts {
  let model: string | null = null;
  let fallbackModel: string | null = null;
  let cores = 0;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "processor") {
      // On ARM "Processor : AArch64 Processor rev 4" is a model line; numbered ones are CPUs.
      if (/^\d+$/.test(value)) cores++;
      else fallbackModel ??= value;
    } else if (key === "model name" || key === "cpu model") {
      model ??= value;
    } else if (key === "Hardware" || key === "Processor") {
      fallbackModel ??= value;
    }
  }
  return { model: model || fallbackModel || null, cores };
}

export function readHostname(procfs: string): string {
  return readOptional(`${procfs}/sys/kernel/hostname`)?.trim() || os.hostname();
}

export function readHostInfo(roots: Roots): HostInfo {
  const { procfs } = roots;
  const cpuinfo = parseCpuinfo(readOptional(`${procfs}/cpuinfo`) ?? "");
  const meminfo = parseMeminfoKb(readOptional(`${procfs}/meminfo`) ?? "");
  const stat = readOptional(`${procfs}/stat`);
  const osRelease = readFirst(hostFileCandidates(roots, "/etc/os-release", "/usr/lib/os-release"));
  const cpus = os.cpus();
  return {
    v: PROTOCOL_VERSION,
    hostname: readHostname(procfs),
    platform: process.platform,
    os: (osRelease && parseOsRelease(osRelease)) || "Linux",
    kernel: readOptional(`${procfs}/sys/kernel/osrelease`)?.trim() || os.release(),
    arch: process.arch,
    cpu_model: cpuinfo.model ?? cpus[0]?.model ?? "unknown",
    cpu_cores: cpuinfo.cores > 0 ? cpuinfo.cores : cpus.length,
    memory_total_bytes: meminfo.MemTotal !== undefined ? meminfo.MemTotal * 1024 : os.totalmem(),
    boot_time_ms: stat === null ? null : parseBootTimeMs(stat),
    hwm_version: VERSION,
  };
}

/** Whole seconds since boot from /proc/uptime, or null. */
export function parseUptimeS(text: string): number | null {
  const seconds = Number.parseFloat(text);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.floor(seconds) : null;
}

export function readUptimeS(procfs: string): number | null {
  const text = readOptional(`${procfs}/uptime`);
  return text === null ? null : parseUptimeS(text);
}
