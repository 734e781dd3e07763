// A watched host's view in the terminal: the fleet frame's snapshot with the watched sections
// (processes, guests, containers) from the detail, and the reason one could not be read kept,
// so that its panel says why instead of vanishing.
import { describe, expect, test } from "bun:test";
import type { Snapshot } from "../../../src/protocol/index.ts";
import { hostSnapshot, initialState } from "../../../src/tui/source.ts";
import { insidePanelSpecs } from "../../../src/tui/views/inside-panels.ts";
import { busySnapshot, fleetHosts, NOW_MS } from "./fixtures.ts";

const REASON = "cannot read /sys/fs/cgroup/qemu.slice: permission denied";

describe("a watched host's snapshot", () => {
  const host = fleetHosts()[0];
  if (!host) throw new Error("no host in the fixtures");
  const state = initialState("http://10.0.0.2:7070", 1000);
  const withDetail = (detail: Snapshot) => ({
    ...state,
    detail: { id: host.id, snapshot: detail },
  });

  test("a watched section that failed keeps its reason, and its panel is shown with it", () => {
    const detail: Snapshot = {
      ...busySnapshot(NOW_MS),
      guests: null,
      containers: [],
      errors: { guests: REASON },
    };
    const merged = hostSnapshot(withDetail(detail), host);
    expect(merged?.guests).toBeNull();
    expect(merged?.errors?.guests).toBe(REASON);
    expect(insidePanelSpecs(merged).map((p) => p.id)).toContain("guests");
  });

  test("the fleet frame's own errors stay; processes come from the detail", () => {
    const base = host.snapshot;
    if (!base) throw new Error("the fixture host has no snapshot");
    const withError = { ...host, snapshot: { ...base, errors: { sensors: "no hwmon" } } };
    const detail: Snapshot = { ...busySnapshot(NOW_MS) };
    const merged = hostSnapshot(withDetail(detail), withError);
    expect(merged?.errors).toEqual({ sensors: "no hwmon" });
    expect(merged?.processes).toEqual(detail.processes);
  });
});
