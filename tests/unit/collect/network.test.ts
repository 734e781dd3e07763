// /proc/net/dev parsing and interface rates, against captured and hand-written trees.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { createCollector } from "../../../src/collect/index.ts";
import { networkRates, parseNetDev } from "../../../src/collect/linux/network.ts";
import { ProcFile } from "../../../src/collect/linux/proc-file.ts";
import { FakeClock } from "./fake-clock.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NETNS_BRIDGE, NODE_EXPORTER } from "./fixtures.ts";

describe("parseNetDev", () => {
  test("this VM's capture: two header lines skipped, lo left out", () => {
    const ifaces = parseNetDev(fixtureText(FIRECRACKER_VM, "proc/net/dev"));
    expect(ifaces.map((i) => i.iface)).toEqual(["ifb0", "ifb1", "eth0"]);
    expect(ifaces.find((i) => i.iface === "eth0")?.rxBytes).toBeGreaterThan(0);
  });

  test("a real capture of bridges, veths, a firewall bridge port and a tap: all kept, lo out", () => {
    const ifaces = parseNetDev(fixtureText(NETNS_BRIDGE, "proc/net/dev"));
    expect(ifaces.map((i) => i.iface)).toEqual([
      "br0",
      "fwpr100p0",
      "veth100i0",
      "vmbr0",
      "tap100i0",
      "veth101i0",
    ]);
    expect(ifaces.find((i) => i.iface === "vmbr0")).toEqual({
      iface: "vmbr0",
      rxBytes: 206116,
      txBytes: 4646,
    });
    expect(ifaces.find((i) => i.iface === "veth101i0")).toEqual({
      iface: "veth101i0",
      rxBytes: 209028,
      txBytes: 4318,
    });
    // "fwpr100p0:     656": a name longer than the kernel's 6-character column starts the line.
    expect(ifaces.find((i) => i.iface === "fwpr100p0")?.rxBytes).toBe(656);
  });

  test("the same capture through the collector: the network section, totals as counted", async () => {
    const collector = createCollector({
      procfs: `${NETNS_BRIDGE}/proc`,
      sysfs: `${NETNS_BRIDGE}/sys`,
      clock: new FakeClock(),
    });
    const snapshot = await collector.snapshot(["network"]);
    expect(snapshot.errors).toBeUndefined();
    const vmbr0 = snapshot.network?.find((n) => n.iface === "vmbr0");
    // Both readings of a static file: zero rates, not null ones.
    expect(vmbr0).toEqual({
      iface: "vmbr0",
      rx_bps: 0,
      tx_bps: 0,
      rx_total_bytes: 206116,
      tx_total_bytes: 4646,
    });
    expect(snapshot.network).toHaveLength(6);
  });

  test("a hypervisor: bridges, bond, taps, veths and firewall bridges all kept", () => {
    const ifaces = parseNetDev(fixtureText(HANDMADE, "proxmox-net/proc/net/dev"));
    expect(ifaces.map((i) => i.iface)).toEqual([
      "enp3s0",
      "enp4s0",
      "bond0",
      "vmbr0",
      "tap100i0",
      "veth101i0",
      "fwbr102i0",
      "vmbr0.20",
    ]);
    expect(ifaces[0]).toEqual({ iface: "enp3s0", rxBytes: 987654321012, txBytes: 123456789012 });
    // "vmbr0.20:4294967296": old kernels glue large counters to the colon.
    expect(ifaces.at(-1)).toEqual({ iface: "vmbr0.20", rxBytes: 4294967296, txBytes: 1024 });
  });

  test("node_exporter's tree has no proc/net/dev: reading it fails loudly", () => {
    expect(existsSync(`${NODE_EXPORTER}/proc/net/dev`)).toBe(false);
    expect(() => new ProcFile(`${NODE_EXPORTER}/proc/net/dev`).read()).toThrow("ENOENT");
  });
});

describe("networkRates", () => {
  const prev = [
    { iface: "eth0", rxBytes: 10_000, txBytes: 20_000 },
    { iface: "veth1", rxBytes: 900_000, txBytes: 900_000 },
  ];

  test("bytes per second over a known interval", () => {
    const cur = [{ iface: "eth0", rxBytes: 12_500, txBytes: 20_250 }];
    expect(networkRates(prev, cur, 250)).toEqual([
      {
        iface: "eth0",
        rx_bps: 10_000,
        tx_bps: 1_000,
        rx_total_bytes: 12_500,
        tx_total_bytes: 20_250,
      },
    ]);
  });

  test("a counter reset (interface recreated) or a new interface gives null rates", () => {
    const cur = [
      { iface: "veth1", rxBytes: 100, txBytes: 900_100 },
      { iface: "tap105i0", rxBytes: 5, txBytes: 5 },
    ];
    expect(networkRates(prev, cur, 1_000)).toEqual([
      { iface: "veth1", rx_bps: null, tx_bps: 100, rx_total_bytes: 100, tx_total_bytes: 900_100 },
      { iface: "tap105i0", rx_bps: null, tx_bps: null, rx_total_bytes: 5, tx_total_bytes: 5 },
    ]);
  });
});
