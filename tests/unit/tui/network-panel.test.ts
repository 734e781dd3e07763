// The terminal's network panel leaves out what the web's network chart leaves out: bridge ports
// (a guest's tap, a container's veth) and interfaces idle since boot; its total counts the links,
// not the bridges that carry the same traffic again.
import { describe, expect, test } from "bun:test";
import { Trends } from "../../../src/client/trends.ts";
import type { NetworkIface, Snapshot } from "../../../src/protocol/index.ts";
import { networkPanel } from "../../../src/tui/panels/network.ts";
import { busySnapshot, NOW_MS } from "./fixtures.ts";

const KiB = 1024;
const iface = (name: string, rxKiB: number, txKiB: number, totalBytes = 1e9): NetworkIface => ({
  iface: name,
  rx_bps: rxKiB * KiB,
  tx_bps: txKiB * KiB,
  rx_total_bytes: totalBytes,
  tx_total_bytes: totalBytes,
});
const NETWORK = [
  iface("ens18", 400, 100),
  iface("vmbr0", 300, 80),
  iface("tap100i0", 200, 50),
  iface("veth101i0", 100, 30),
  iface("enp7s0", 0, 0, 0),
];

function render(height: number): string[] {
  const trends = new Trends();
  for (let i = 0; i < 10; i++) {
    const tsMs = NOW_MS - (10 - i) * 1000;
    const snap: Snapshot = { ...busySnapshot(tsMs), network: NETWORK };
    trends.host("pve").record(snap, tsMs, 1000);
  }
  const graphs = trends.graphs("pve", { kind: "live", intervalMs: 1000 });
  const content = networkPanel(NETWORK, graphs, { width: 70, height });
  return content.lines.map((line) => line.map((s) => s.text).join(""));
}

describe("the terminal's network panel", () => {
  test("lists links and bridges, never a bridge port nor an interface idle since boot", () => {
    const text = render(12).join("\n");
    expect(text).toContain("ens18");
    expect(text).toContain("vmbr0");
    for (const hidden of ["tap100i0", "veth101i0", "enp7s0"]) expect(text).not.toContain(hidden);
  });

  test("its total counts the link only: the bridge's traffic is the link's again", () => {
    const lines = render(12);
    expect(lines.find((l) => l.startsWith("↓ received, total"))).toMatch(/max 400\sKiB\/s/);
    expect(lines.find((l) => l.startsWith("↑ sent, total"))).toMatch(/max 100\sKiB\/s/);
  });
});
