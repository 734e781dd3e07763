// Alert rules on what a hypervisor reports: a failing disk's health.disks[*].ok, a busy guest's
// guests[*].cpu_pct, the failed-unit count; and the sections the rules make a receiver ask for.
import { describe, expect, test } from "bun:test";
import { AlertEngine } from "../../../src/alerts/engine.ts";
import { silentLogger } from "../../../src/log.ts";
import type { Guest, Health, HostState } from "../../../src/protocol/index.ts";
import { host, monday, rule } from "../../helpers/alerts.ts";

const T0 = monday(10);
const MIN = 60_000;

function engineWith(...whens: [name: string, when: string, hosts?: string[]][]) {
  return new AlertEngine({
    rules: whens.map(([name, when, hosts]) => rule(when, { name, hosts })),
    notifiers: [],
    log: silentLogger,
    store: null,
  });
}

function guest(id: number, cpuPct: number): Guest {
  return {
    id,
    kind: id < 200 ? "vm" : "ct",
    name: `g${id}`,
    status: "running",
    cpu_pct: cpuPct,
    cores: 2,
    mem_used_bytes: 1024 ** 3,
    mem_limit_bytes: 2 * 1024 ** 3,
    disk_read_bps: 0,
    disk_write_bps: 0,
    net_rx_bps: 0,
    net_tx_bps: 0,
    uptime_s: 100,
  };
}

function disk(device: string, ok: boolean | null): Health["disks"][number] {
  return {
    device,
    kind: "sat",
    model: "WDC WD40EFRX",
    serial: `S-${device}`,
    ok,
    celsius: 35,
    power_on_hours: 1000,
    wear_pct: null,
    reallocated_sectors: ok === false ? 812 : 0,
    pending_sectors: 0,
    media_errors: null,
    error: null,
  };
}

/** A Proxmox host as the receiver's alerts see it: with its guests and its health. */
function pve(guests: Guest[], disks: Health["disks"], failedUnits = 0): HostState {
  const state = host("pve", { cpuPct: 20 });
  const snapshot = state.snapshot ?? { v: 1, host: "pve", ts_ms: 0, uptime_s: 0 };
  snapshot.guests = guests;
  snapshot.health = {
    collected_ms: T0,
    disks,
    pools: [],
    failed_units: Array.from({ length: failedUnits }, (_, i) => ({
      name: `u${i}.service`,
      description: null,
      load: "loaded",
      active: "failed",
      sub: "failed",
    })),
    unavailable: {},
  };
  return { ...state, snapshot };
}

describe("rules on a hypervisor's metrics", () => {
  test("health.disks[*].ok < 1 fires for the failing disk only, and resolves when it passes", () => {
    const engine = engineWith(["disk", "health.disks[*].ok < 1"]);
    engine.evaluate([pve([], [disk("/dev/sda", true), disk("/dev/sdb", false)])], T0);
    expect(engine.firing("pve")).toEqual([
      {
        rule: "disk",
        key: "/dev/sdb",
        since_ms: T0,
        message: "pve: health.disks[/dev/sdb].ok is 0 (failing) (< 1)",
      },
    ]);
    // No verdict (a disk in standby) is no value: the alert does not fire for it, and ends.
    engine.evaluate([pve([], [disk("/dev/sda", true), disk("/dev/sdb", null)])], T0 + MIN);
    expect(engine.firing("pve")).toEqual([]);
  });

  test("guests[*].cpu_pct > 90 fires for the busy guest after `for`", () => {
    const engine = new AlertEngine({
      rules: [rule("guests[*].cpu_pct > 90", { name: "busy-guest", for: 5 * MIN })],
      notifiers: [],
      log: silentLogger,
      store: null,
    });
    engine.evaluate([pve([guest(101, 97.5), guest(102, 12)], [])], T0);
    expect(engine.firing("pve")).toEqual([]);
    expect(engine.state(T0).rules[0]?.instances.map((i) => [i.key, i.state])).toEqual([
      ["101", "pending"],
    ]);
    engine.evaluate([pve([guest(101, 180), guest(102, 12)], [])], T0 + 5 * MIN);
    expect(engine.firing("pve")).toEqual([
      {
        rule: "busy-guest",
        key: "101",
        since_ms: T0 + 5 * MIN,
        message: "pve: guests[101].cpu_pct is 180.0 % (> 90) for 5 min",
      },
    ]);
  });

  test("the failed-unit count", () => {
    const engine = engineWith(["units", "health.failed_units > 0"]);
    engine.evaluate([pve([], [], 2)], T0);
    expect(engine.firing("pve").map((f) => f.message)).toEqual([
      "pve: health.failed_units is 2 (> 0)",
    ]);
  });

  test("a host's rules on guests or containers make it asked for those sections", () => {
    const engine = engineWith(
      ["g", "guests[*].cpu_pct > 90", ["pve-*"]],
      ["c", "containers[web].mem_used_bytes > 1000", ["docker"]],
      ["h", "health.disks[*].ok < 1"],
      ["cpu", "cpu.total_pct > 90"],
    );
    expect(engine.sections("pve-1")).toEqual(["guests"]);
    expect(engine.sections("docker")).toEqual(["containers"]);
    expect(engine.sections("nas")).toEqual([]);
  });
});
