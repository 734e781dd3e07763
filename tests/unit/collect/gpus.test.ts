// GPUs: nvidia-smi output (and a fake nvidia-smi on PATH), amdgpu sysfs, adapters by name.
import { describe, expect, test } from "bun:test";
import { chmodSync } from "node:fs";
import * as v from "valibot";
import {
  GpuReader,
  parseNvidiaSmiCsv,
  readAmdGpus,
  runNvidiaSmi,
  sysfsGpuNames,
} from "../../../src/collect/gpus.ts";
import { GpuSchema } from "../../../src/protocol/index.ts";
import { FIRECRACKER_VM, HANDMADE, makeTempDir, writeFiles } from "./fixtures.ts";

const MIB = 1024 * 1024;
const noNames = async () => [];

/** A directory holding an executable `nvidia-smi` shell script with the given body. */
function fakeNvidiaSmi(body: string): string {
  const dir = makeTempDir("nvidia-smi");
  writeFiles(dir, { "nvidia-smi": `#!/bin/sh\n${body}\n` });
  chmodSync(`${dir}/nvidia-smi`, 0o755);
  return dir;
}

describe("nvidia-smi", () => {
  test("CSV rows: MiB to bytes, [N/A] and [Not Supported] to null", () => {
    const gpus = parseNvidiaSmiCsv(
      "NVIDIA GeForce RTX 3090, 87, 20480, 24576, 71, 312.45\n" +
        "Tesla K80, [N/A], 1024, 11441, 38, [Not Supported]\n",
    );
    expect(gpus).toEqual([
      {
        name: "NVIDIA GeForce RTX 3090",
        vendor: "NVIDIA",
        util_pct: 87,
        mem_used_bytes: 20480 * MIB,
        mem_total_bytes: 24576 * MIB,
        celsius: 71,
        power_watts: 312.45,
      },
      {
        name: "Tesla K80",
        vendor: "NVIDIA",
        util_pct: null,
        mem_used_bytes: 1024 * MIB,
        mem_total_bytes: 11441 * MIB,
        celsius: 38,
        power_watts: null,
      },
    ]);
    for (const g of gpus) expect(v.is(GpuSchema, g)).toBe(true);
  });

  test("a fake nvidia-smi first on PATH is found and asked for exactly our query", async () => {
    const dir = fakeNvidiaSmi(
      'if [ "$1" != "--query-gpu=name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw" ] || [ "$2" != "--format=csv,noheader,nounits" ]; then echo "bad args: $*" >&2; exit 2; fi\n' +
        'echo "NVIDIA RTX A2000, 3, 512, 6138, 45, 11.20"',
    );
    const reader = new GpuReader({
      sysfs: `${FIRECRACKER_VM}/sys`,
      linux: true,
      path: `${dir}:/usr/bin:/bin`,
      names: noNames,
    });
    expect(await reader.read()).toEqual([
      {
        name: "NVIDIA RTX A2000",
        vendor: "NVIDIA",
        util_pct: 3,
        mem_used_bytes: 512 * MIB,
        mem_total_bytes: 6138 * MIB,
        celsius: 45,
        power_watts: 11.2,
      },
    ]);
  });

  test("a failing nvidia-smi (driver not loaded) is an error with its message", async () => {
    const dir = fakeNvidiaSmi(
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver."\nexit 9',
    );
    await expect(runNvidiaSmi(`${dir}/nvidia-smi`)).rejects.toThrow(
      "nvidia-smi exited with 9: NVIDIA-SMI has failed",
    );
  });
});

describe("AMD and others", () => {
  test("amdgpu sysfs: busy %, VRAM, temperature and power; connectors and other vendors ignored", async () => {
    expect(await readAmdGpus(`${HANDMADE}/amd-gpu/sys`, [])).toEqual([
      {
        name: "AMD GPU (card0)",
        vendor: "AMD",
        util_pct: 37,
        mem_used_bytes: 2147483648,
        mem_total_bytes: 17163091968,
        celsius: 61,
        power_watts: 123.46,
      },
    ]);
  });

  test("adapters known only by name are listed without readings; ones read in detail are not repeated", async () => {
    const reader = new GpuReader({
      sysfs: `${HANDMADE}/amd-gpu/sys`,
      linux: true,
      path: "",
      names: async () => [
        {
          name: "Advanced Micro Devices, Inc. [AMD/ATI] Navi 21",
          vendor: "Advanced Micro Devices, Inc. [AMD/ATI]",
          busAddress: null,
        },
        {
          name: "Intel Corporation UHD Graphics 770",
          vendor: "Intel Corporation",
          busAddress: null,
        },
      ],
    });
    const gpus = await reader.read();
    expect(gpus.map((g) => [g.vendor, g.name, g.util_pct])).toEqual([
      ["AMD", "AMD GPU (card0)", 37],
      ["Intel Corporation", "Intel Corporation UHD Graphics 770", null],
    ]);
  });

  test("no GPU at all: an empty list", async () => {
    const reader = new GpuReader({
      sysfs: `${FIRECRACKER_VM}/sys`,
      linux: true,
      path: "",
      names: noNames,
    });
    expect(await reader.read()).toEqual([]);
    // Known to be none (like the names, until a restart): later reads answer at once.
    const again = reader.read();
    expect(again instanceof Promise).toBe(false);
    expect(again).toEqual([]);
  });
});

describe("sysfsGpuNames", () => {
  test("lists real GPUs from /sys/class/drm by vendor, without spawning anything", async () => {
    const names = await sysfsGpuNames(`${HANDMADE}/amd-gpu/sys`);
    expect(names.map((n) => [n.vendor, n.name])).toEqual([
      ["AMD", "AMD GPU (card0)"],
      ["Intel", "Intel GPU (card1)"],
    ]);
  });

  test("virtual display chips (virtio, QEMU std VGA, Cirrus) and BMC VGA are not GPUs", async () => {
    const root = makeTempDir("drm");
    writeFiles(root, {
      "class/drm/card0/device/vendor": "0x1af4\n",
      "class/drm/card1/device/vendor": "0x1234\n",
      "class/drm/card2/device/vendor": "0x1a03\n",
      "class/drm/card3/device/vendor": "0x10de\n",
      "class/drm/card3/device/product_name": "Tesla T4\n",
    });
    const names = await sysfsGpuNames(root);
    expect(names.map((n) => n.name)).toEqual(["Tesla T4"]);
  });

  test("the firecracker VM has no GPU", async () => {
    expect(await sysfsGpuNames(`${FIRECRACKER_VM}/sys`)).toEqual([]);
  });
});
