// The host view's guests, containers and health panels as pure functions of a snapshot: every
// line within the panel's width, the busiest guest first and the stopped one last, the image
// only where it fits, a failing disk and a failed unit at the top, and no panel without data.

import { describe, expect, test } from "bun:test";
import { SimulatedGuests } from "../../../src/demo/guests.ts";
import { SimulatedHealth } from "../../../src/demo/health.ts";
import { createRng } from "../../../src/demo/random.ts";
import type { Snapshot } from "../../../src/protocol/index.ts";
import { containersPanel } from "../../../src/tui/panels/containers.ts";
import { guestsPanel } from "../../../src/tui/panels/guests.ts";
import { healthPanel } from "../../../src/tui/panels/health.ts";
import { lineText, lineWidth } from "../../../src/tui/text.ts";
import { insidePanelSpecs } from "../../../src/tui/views/inside-panels.ts";

const NOW_MS = 1_750_000_000_000;
const sim = new SimulatedGuests(createRng(7), NOW_MS);
sim.guests(NOW_MS);
sim.containers(NOW_MS);
sim.advance();
// The second reading: with CPU (the first has none, as on a real sender).
const guests = sim.guests(NOW_MS + 1000);
const containers = sim.containers(NOW_MS + 1000);
const nasHealth = new SimulatedHealth("failing-disk", NOW_MS).health(NOW_MS);
const unitHealth = new SimulatedHealth("failed-unit", NOW_MS).health(NOW_MS);

const texts = (lines: Parameters<typeof lineText>[0][]) => lines.map(lineText);

describe("guests panel", () => {
  test.each([30, 44, 60, 90])("at %i columns every line fits", (width) => {
    const content = guestsPanel(guests, undefined, { width, height: 10 });
    expect(content.title).toBe("guests 5/6 running");
    for (const line of content.lines) expect(lineWidth(line)).toBeLessThanOrEqual(width);
  });

  test("the busiest first, the stopped one last and marked; memory and uptime when wide", () => {
    const lines = texts(guestsPanel(guests, undefined, { width: 60, height: 10 }).lines);
    expect(lines[0]).toContain("● ci-runner");
    expect(lines[0]).toMatch(/VM\s+9\d%/);
    expect(lines.at(-1)).toMatch(/105 ○ win11\s+VM\s+stopped\s+— \/ 8\.00G/);
    expect(lines.find((l) => l.includes(" db "))).toMatch(/\/ 8\.00G\s+\d+[dhm]$/);
    expect(texts(guestsPanel(guests, undefined, { width: 30, height: 10 }).lines)[0]).not.toContain(
      "/",
    );
  });

  test("a short panel says how many did not fit; a failed section says why", () => {
    expect(guestsPanel(guests, undefined, { width: 60, height: 4 }).title).toBe(
      "guests 5/6 running · 2 more",
    );
    const failed = guestsPanel(null, "cgroups: permission denied", { width: 60, height: 4 });
    expect(texts(failed.lines)).toEqual(["unavailable: cgroups: permission denied"]);
  });
});

describe("containers panel", () => {
  test("the image where it fits, not on a narrow panel", () => {
    const wide = texts(containersPanel(containers, undefined, { width: 90, height: 6 }).lines);
    expect(wide.find((l) => l.includes("homeassistant"))).toContain("ghcr.io/home-assistant");
    const narrow = texts(containersPanel(containers, undefined, { width: 40, height: 6 }).lines);
    expect(narrow.join("\n")).not.toContain("ghcr.io");
    for (const width of [24, 40, 90])
      for (const line of containersPanel(containers, undefined, { width, height: 6 }).lines)
        expect(lineWidth(line)).toBeLessThanOrEqual(width);
  });
});

describe("health panel", () => {
  test("a failing disk first, in words, named in the title", () => {
    const content = healthPanel(nasHealth, undefined, { width: 60, height: 10 });
    expect(content.title).toBe("health · 1 disk failing");
    const lines = texts(content.lines);
    expect(lines[0]).toMatch(/^sda\s+▲ FAILING\s+47°C\s+52,113 h 1,376 bad sectors$/);
    expect(lines).toContain("zfs: not available: zpool is not installed (not found on PATH)");
  });

  test("a failed unit leads, before the sources that could not be read", () => {
    const lines = texts(healthPanel(unitHealth, undefined, { width: 60, height: 10 }).lines);
    expect(lines[0]).toBe("▲ certbot.service failed");
  });
});

describe("which panels a host view gets", () => {
  const base: Snapshot = { v: 1, host: "pve", ts_ms: NOW_MS, uptime_s: 1 };
  const ids = (s: Snapshot) => insidePanelSpecs(s).map((spec) => spec.id);

  test("only those with something to show", () => {
    expect(ids(base)).toEqual([]);
    expect(ids({ ...base, guests: [], containers: [] })).toEqual([]);
    expect(ids({ ...base, guests, containers, health: nasHealth })).toEqual([
      "guests",
      "containers",
      "health",
    ]);
  });

  test("a section that failed gets a panel saying why", () => {
    const failed = insidePanelSpecs({
      ...base,
      guests: null,
      errors: { guests: "cgroups: no answer" },
    });
    expect(failed.map((s) => s.id)).toEqual(["guests"]);
    expect(texts(failed[0]?.render({ width: 40, height: 3 }).lines ?? [])).toEqual([
      "unavailable: cgroups: no answer",
    ]);
  });
});
