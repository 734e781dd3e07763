// Every panel drawn by OpenTUI's test renderer at 80x24 and 160x48: the character frame is
// compared with the stored one, and the lines that matter are checked by name.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestRenderer, type TestRendererSetup } from "@opentui/core/testing";
import { summarize } from "../../../src/client/summary.ts";
import { Trends } from "../../../src/client/trends.ts";
import { cpuPanel } from "../../../src/tui/panels/cpu.ts";
import { diskIoPanel } from "../../../src/tui/panels/disk-io.ts";
import { disksPanel } from "../../../src/tui/panels/disks.ts";
import { fleetPanel } from "../../../src/tui/panels/fleet.ts";
import { gpusPanel } from "../../../src/tui/panels/gpus.ts";
import { helpPanel, KEYS } from "../../../src/tui/panels/help.ts";
import { memoryPanel } from "../../../src/tui/panels/memory.ts";
import { networkPanel } from "../../../src/tui/panels/network.ts";
import type { PanelContent, Size } from "../../../src/tui/panels/panel.ts";
import { processesPanel } from "../../../src/tui/panels/processes.ts";
import { sensorsPanel } from "../../../src/tui/panels/sensors.ts";
import { BoxView } from "../../../src/tui/widgets/box-view.ts";
import { bigSnapshot, busySnapshot, fleetHosts, NOW_MS } from "./fixtures.ts";

const SIZES = [
  [80, 24],
  [160, 48],
] as const;

const snapshot = busySnapshot();
const history = new Trends();
for (let i = 0; i < 40; i++) {
  const tsMs = NOW_MS - (40 - i) * 1000;
  history.host("pve-web").record(busySnapshot(tsMs, (i * 13) % 100), tsMs, 1000);
}
const graphs = history.graphs("pve-web", { kind: "live", intervalMs: 1000 });

type PanelCase = [name: string, render: (size: Size) => PanelContent, mustShow: string[]];

const cases: PanelCase[] = [
  [
    "cpu",
    (s) => cpuPanel(snapshot.cpu, graphs.cpu, s, 71),
    ["total", "48%", "c7", "load 2.41 1.87 1.02"],
  ],
  ["cpu with 64 cores", (s) => cpuPanel(bigSnapshot().cpu, graphs.cpu, s), ["total", "c63"]],
  [
    "memory",
    (s) => memoryPanel(snapshot.memory, graphs.memory, s),
    ["mem", "12.5/32.0 GiB", "swap", "0.25/4.00 GiB", "avail 19.5 GiB"],
  ],
  ["disks", (s) => disksPanel(snapshot.disks, s), ["/var/lib/postgresql", "93%", "/boot"]],
  ["disk io", (s) => diskIoPanel(snapshot.disk_io, s), ["sda", "1.50 MiB/s", "12.0 MiB/s"]],
  [
    "network",
    (s) => networkPanel(snapshot.network, graphs, s),
    ["eth0", "2.50 MiB/s", "640 KiB/s", "wg0"],
  ],
  [
    "sensors",
    (s) => sensorsPanel(snapshot.sensors, graphs.sensor, s),
    ["coretemp Package id 0", "71°C", "nvme Composite", "44°C"],
  ],
  [
    "gpus",
    (s) => gpusPanel(snapshot.gpus, graphs.gpu, s),
    ["NVIDIA GeForce RTX 3060", "35%", "mem 3.00/12.0 GiB", "61°C", "98 W"],
  ],
  [
    "processes",
    (s) =>
      processesPanel(
        {
          processes: snapshot.processes,
          sort: { key: "cpu", descending: true },
          filter: "",
          offset: 0,
        },
        s,
      ),
    ["PID", "CPU%▼", "30555", "www-data", "65%", "310 MiB", "node", "processes 213"],
  ],
  [
    "fleet",
    (s) =>
      fleetPanel(
        {
          rows: fleetHosts().map((host) => ({ host, summary: summarize(host, NOW_MS) })),
          fleetSize: 3,
          selectedId: "dns",
          offset: 0,
          filter: "",
          order: "problems",
          nowMs: NOW_MS,
          datedSinceMs: null,
          cpuHistory: (id, columns) =>
            history.graphs(id, { kind: "live", intervalMs: 1000 }).cpu.values(columns),
        },
        s,
      ),
    ["HOST", "pve-web", "● online", "48%", "93%", "71°C", "3d 4h", "▸ dns", "○ offline 3m"],
  ],
  ["help", () => helpPanel(), ["q  Ctrl+C", "c m p n", "bytes per second"]],
];

let setups: Map<string, TestRendererSetup>;

beforeAll(async () => {
  setups = new Map();
  for (const [w, h] of SIZES)
    setups.set(`${w}x${h}`, await createTestRenderer({ width: w, height: h }));
});
afterAll(async () => {
  for (const setup of setups.values()) await setup.dispose();
});

async function draw(setup: TestRendererSetup, content: PanelContent): Promise<string> {
  const { width, height } = setup.renderer;
  const view = new BoxView(setup.renderer, {
    rect: { x: 0, y: 0, width, height },
    title: content.title,
    lines: content.lines,
    highlight: content.highlight,
  });
  setup.renderer.root.add(view);
  await setup.renderOnce();
  const frame = setup.captureCharFrame();
  setup.renderer.root.remove(view);
  view.destroy();
  return frame;
}

for (const [w, h] of SIZES) {
  describe(`panels at ${w}x${h}`, () => {
    for (const [name, render, mustShow] of cases) {
      test(name, async () => {
        const setup = setups.get(`${w}x${h}`);
        if (!setup) throw new Error("no renderer");
        const frame = await draw(setup, render({ width: w - 2, height: h - 2 }));
        const lines = frame.split("\n").slice(0, h);
        for (const line of lines) expect(Bun.stringWidth(line)).toBe(w);
        expect(lines[0]).toStartWith("╭─");
        expect(lines[h - 1]).toStartWith("╰");
        for (const text of mustShow) expect(frame).toContain(text);
        expect(frame).toMatchSnapshot();
      });
    }
  });
}

test("the help lists every key binding", async () => {
  const setup = setups.get("80x24");
  if (!setup) throw new Error("no renderer");
  const frame = await draw(setup, helpPanel());
  for (const [keys] of KEYS) expect(frame).toContain(keys);
});
