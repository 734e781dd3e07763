// GPUs: NVIDIA through nvidia-smi, AMD through amdgpu's sysfs files, any other by name only
// (on Linux from /sys/class/drm, elsewhere from systeminformation, asked once). No GPU → [].
import { readdirSync, realpathSync } from "node:fs";
import { basename } from "node:path";
import type { Gpu } from "../protocol/index.ts";
import { NVIDIA_SMI_TIMEOUT_MS } from "./constants.ts";
import { readOptionalAsync } from "./linux/roots.ts";
import { parseIntOrNull } from "./linux/text.ts";
import type { MaybePromise } from "./maybe.ts";
import { round2 } from "./rates.ts";

const MIB = 1024 * 1024;

export const NVIDIA_SMI_ARGS = [
  "--query-gpu=name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw",
  "--format=csv,noheader,nounits",
];

/** A display adapter systeminformation knows: its name, vendor and PCI address (for matching). */
export interface NamedGpu {
  name: string;
  vendor: string;
  busAddress: string | null;
}

/** One nvidia-smi CSV field; "[N/A]", "[Not Supported]" and the like → null. */
function smiNumber(field: string | undefined): number | null {
  if (field === undefined || field.startsWith("[")) return null;
  const n = Number.parseFloat(field);
  return Number.isFinite(n) ? n : null;
}

/** `name, util %, used MiB, total MiB, °C, W` per line, as asked for by NVIDIA_SMI_ARGS. */
export function parseNvidiaSmiCsv(text: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const cols = line.split(",").map((c) => c.trim());
    const util = smiNumber(cols[1]);
    const used = smiNumber(cols[2]);
    const total = smiNumber(cols[3]);
    const power = smiNumber(cols[5]);
    gpus.push({
      name: cols[0] || "NVIDIA GPU",
      vendor: "NVIDIA",
      util_pct: util === null ? null : Math.min(100, Math.max(0, util)),
      mem_used_bytes: used === null ? null : Math.round(used * MIB),
      mem_total_bytes: total === null ? null : Math.round(total * MIB),
      celsius: smiNumber(cols[4]),
      power_watts: power === null ? null : round2(power),
    });
  }
  return gpus;
}

/** Runs nvidia-smi once, killed after the timeout. */
export async function runNvidiaSmi(binary: string): Promise<Gpu[]> {
  const proc = Bun.spawn([binary, ...NVIDIA_SMI_ARGS], { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill(), NVIDIA_SMI_TIMEOUT_MS);
  try {
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) {
      const reason = (stderr.trim() || stdout.trim()).split("\n")[0] ?? "";
      throw new Error(`nvidia-smi exited with ${code}${reason ? `: ${reason}` : ""}`);
    }
    return parseNvidiaSmiCsv(stdout);
  } finally {
    clearTimeout(timer);
  }
}

/** amdgpu cards under /sys/class/drm: busy %, VRAM, and temperature and power from the card's hwmon. */
export async function readAmdGpus(sysfs: string, names: readonly NamedGpu[]): Promise<Gpu[]> {
  const base = `${sysfs}/class/drm`;
  const cards = listDir(base).filter((e) => /^card\d+$/.test(e));
  const gpus = await Promise.all(
    cards.map(async (card): Promise<Gpu | null> => {
      const dev = `${base}/${card}/device`;
      if ((await readOptionalAsync(`${dev}/vendor`))?.trim() !== "0x1002") return null;
      const hwmonDir = listDir(`${dev}/hwmon`)[0];
      const hwmon = hwmonDir === undefined ? null : `${dev}/hwmon/${hwmonDir}`;
      const [busy, used, total, temp, powerAvg, powerInput] = await Promise.all([
        readInt(`${dev}/gpu_busy_percent`),
        readInt(`${dev}/mem_info_vram_used`),
        readInt(`${dev}/mem_info_vram_total`),
        hwmon === null ? null : readInt(`${hwmon}/temp1_input`),
        hwmon === null ? null : readInt(`${hwmon}/power1_average`),
        // RDNA3 and later report power1_input instead of power1_average.
        hwmon === null ? null : readInt(`${hwmon}/power1_input`),
      ]);
      const microWatts = powerAvg ?? powerInput;
      return {
        name: amdName(dev, card, names),
        vendor: "AMD",
        util_pct: busy === null ? null : Math.min(100, Math.max(0, busy)),
        mem_used_bytes: used,
        mem_total_bytes: total,
        celsius: temp === null ? null : temp / 1000,
        power_watts: microWatts === null ? null : round2(microWatts / 1e6),
      };
    }),
  );
  return gpus.filter((g): g is Gpu => g !== null);
}

/** amdgpu has no marketing name in sysfs: take systeminformation's for the same PCI address. */
function amdName(dev: string, card: string, names: readonly NamedGpu[]): string {
  let pciAddress = "";
  try {
    pciAddress = basename(realpathSync(dev));
  } catch {}
  const named = names.find((n) => n.busAddress !== null && pciAddress.endsWith(n.busAddress));
  return named?.name ?? `AMD GPU (${card})`;
}

/**
 * Display chips of virtual machines and server BMCs (virtio, QEMU/Bochs, Cirrus, QXL, VMware,
 * VirtualBox, Hyper-V, Matrox G200, ASPEED): nothing anyone wants to watch as a GPU.
 */
const NOT_A_GPU_VENDORS = new Set([
  "0x1af4",
  "0x1234",
  "0x1013",
  "0x1b36",
  "0x15ad",
  "0x80ee",
  "0x1414",
  "0x102b",
  "0x1a03",
]);
const VENDOR_NAMES: Readonly<Record<string, string>> = {
  "0x10de": "NVIDIA",
  "0x1002": "AMD",
  "0x8086": "Intel",
};

/** Display adapters under <sysfs>/class/drm, without spawning anything (lspci would). */
export async function sysfsGpuNames(sysfs: string): Promise<NamedGpu[]> {
  const base = `${sysfs}/class/drm`;
  const named: NamedGpu[] = [];
  for (const card of listDir(base).filter((e) => /^card\d+$/.test(e))) {
    const dev = `${base}/${card}/device`;
    const vendorId = (await readOptionalAsync(`${dev}/vendor`))?.trim();
    if (vendorId === undefined || NOT_A_GPU_VENDORS.has(vendorId)) continue;
    const vendor = VENDOR_NAMES[vendorId] ?? vendorId;
    const product = (await readOptionalAsync(`${dev}/product_name`))?.trim();
    let busAddress: string | null = null;
    try {
      busAddress = basename(realpathSync(dev));
    } catch {}
    named.push({ name: product || `${vendor} GPU (${card})`, vendor, busAddress });
  }
  return named;
}

/** Display adapters as systeminformation names them. */
export async function siGpuNames(): Promise<NamedGpu[]> {
  // Imported on first use: loading systeminformation costs ~40 ms and memory the sender may never need.
  const { default: si } = await import("systeminformation");
  const graphics = await si.graphics();
  return graphics.controllers.map((c) => ({
    name: [c.vendor, c.model].filter((s) => typeof s === "string" && s !== "").join(" ") || "GPU",
    vendor: typeof c.vendor === "string" ? c.vendor : "",
    busAddress: typeof c.busAddress === "string" && c.busAddress !== "" ? c.busAddress : null,
  }));
}

export interface GpuReaderOptions {
  sysfs: string;
  /** amdgpu's sysfs files exist on Linux only. */
  linux: boolean;
  /** Where to look for nvidia-smi; defaults to the process's PATH. */
  path?: string;
  /** The names of every display adapter; systeminformation by default (slow: asked once). */
  names?: () => Promise<NamedGpu[]>;
}

export class GpuReader {
  readonly #options: GpuReaderOptions;
  #nvidiaSmi: string | null | undefined;
  #names: Promise<NamedGpu[]> | undefined;
  /** No adapter and no nvidia-smi: nothing to read until a restart (like the names). */
  #none = false;

  constructor(options: GpuReaderOptions) {
    this.#options = options;
  }

  /** The GPUs' readings; once there is known to be no GPU, an empty list at once. */
  read(): MaybePromise<Gpu[]> {
    return this.#none ? [] : this.#read();
  }

  async #read(): Promise<Gpu[]> {
    const names = await this.#namesOnce();
    const nvidiaSmi = this.#findNvidiaSmi();
    if (names.length === 0 && nvidiaSmi === null) {
      this.#none = true;
      return [];
    }
    const [nvidia, amd] = await Promise.all([
      nvidiaSmi === null ? [] : runNvidiaSmi(nvidiaSmi),
      this.#options.linux ? readAmdGpus(this.#options.sysfs, names) : [],
    ]);
    // Adapters already read in detail are not listed again by name.
    const others = names
      .filter((n) => !(nvidia.length > 0 && /nvidia/i.test(n.vendor)))
      .filter((n) => !(amd.length > 0 && /amd|ati\b|advanced micro/i.test(n.vendor)))
      .map(
        (n): Gpu => ({
          name: n.name,
          vendor: n.vendor,
          util_pct: null,
          mem_used_bytes: null,
          mem_total_bytes: null,
          celsius: null,
          power_watts: null,
        }),
      );
    return [...nvidia, ...amd, ...others];
  }

  /** Looked up once: installing a driver needs a restart of the sender anyway. */
  #findNvidiaSmi(): string | null {
    if (this.#nvidiaSmi === undefined) {
      const PATH = this.#options.path ?? process.env.PATH ?? "";
      this.#nvidiaSmi = Bun.which("nvidia-smi", { PATH });
    }
    return this.#nvidiaSmi;
  }

  /** Asked once; a failure means "no names", not a broken section. */
  #namesOnce(): Promise<NamedGpu[]> {
    this.#names ??= (this.#options.names ?? siGpuNames)().catch(() => []);
    return this.#names;
  }
}

async function readInt(path: string): Promise<number | null> {
  return parseIntOrNull(await readOptionalAsync(path));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
