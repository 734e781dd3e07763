// HostInfo from /proc and os-release: parsers and whole trees.
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  parseCpuinfo,
  parseOsRelease,
  parseUptimeS,
  readHostInfo,
  readUptimeS,
} from "../../../src/collect/linux/hostinfo.ts";
import { makeRoots } from "../../../src/collect/linux/roots.ts";
import { HostInfoSchema } from "../../../src/protocol/index.ts";
import { VERSION } from "../../../src/version.ts";
import { FIRECRACKER_VM, fixtureText, NODE_EXPORTER } from "./fixtures.ts";

const ARM_CPUINFO = `processor	: 0
BogoMIPS	: 108.00
Features	: fp asimd evtstrm crc32 cpuid
CPU implementer	: 0x41

processor	: 1
BogoMIPS	: 108.00

Hardware	: BCM2835
Revision	: c03111
Model		: Raspberry Pi 4 Model B Rev 1.1
`;

const OLD_ARM_CPUINFO = `Processor	: ARMv7 Processor rev 4 (v7l)
processor	: 0
BogoMIPS	: 38.40

Hardware	: BCM2709
`;

describe("parsers", () => {
  test("os-release: PRETTY_NAME, unquoted", () => {
    expect(parseOsRelease(fixtureText(NODE_EXPORTER, "usr/lib/os-release"))).toBe(
      "Ubuntu 20.04.2 LTS",
    );
    expect(parseOsRelease(fixtureText(FIRECRACKER_VM, "etc/os-release"))).toBe(
      "Debian GNU/Linux 12 (bookworm)",
    );
    expect(parseOsRelease("NAME='Alpine Linux'\nVERSION=3.20\n")).toBe("Alpine Linux 3.20");
    expect(parseOsRelease('PRETTY_NAME="say \\"hi\\""\n')).toBe('say "hi"');
    expect(parseOsRelease("# nothing\n")).toBeNull();
  });

  test("cpuinfo: x86 model name and logical CPU count", () => {
    expect(parseCpuinfo(fixtureText(NODE_EXPORTER, "proc/cpuinfo"))).toEqual({
      model: "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz",
      cores: 8,
    });
  });

  test("cpuinfo on ARM: 'Hardware' or the old 'Processor' line names the model", () => {
    expect(parseCpuinfo(ARM_CPUINFO)).toEqual({ model: "BCM2835", cores: 2 });
    expect(parseCpuinfo(OLD_ARM_CPUINFO)).toEqual({
      model: "ARMv7 Processor rev 4 (v7l)",
      cores: 1,
    });
  });

  test("uptime in whole seconds", () => {
    expect(parseUptimeS("12345.67 40000.00\n")).toBe(12345);
    expect(parseUptimeS("")).toBeNull();
    expect(readUptimeS(`${FIRECRACKER_VM}/proc`)).toBeGreaterThan(0);
    expect(readUptimeS(`${NODE_EXPORTER}/proc`)).toBeNull(); // no uptime file there
  });
});

describe("readHostInfo", () => {
  test("node_exporter's tree: OS from beside procfs, CPU, memory and boot time from its files", () => {
    const info = readHostInfo(makeRoots(`${NODE_EXPORTER}/proc`, `${NODE_EXPORTER}/sys`));
    expect(v.is(HostInfoSchema, info)).toBe(true);
    expect(info).toMatchObject({
      os: "Ubuntu 20.04.2 LTS",
      cpu_model: "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz",
      cpu_cores: 8,
      memory_total_bytes: 3742148 * 1024,
      boot_time_ms: 1418183276000,
      arch: process.arch,
      platform: process.platform,
      hwm_version: VERSION,
    });
  });

  test("this VM's capture: hostname and kernel from proc/sys/kernel", () => {
    const info = readHostInfo(makeRoots(`${FIRECRACKER_VM}/proc`, `${FIRECRACKER_VM}/sys`));
    expect(info).toMatchObject({
      hostname: "vm",
      kernel: "6.18.44-fc-v669",
      os: "Debian GNU/Linux 12 (bookworm)",
      cpu_model: "Intel(R) Xeon(R) Processor",
      cpu_cores: 2,
    });
  });

  test("the machine running the tests validates", () => {
    expect(v.is(HostInfoSchema, readHostInfo(makeRoots()))).toBe(true);
  });
});
