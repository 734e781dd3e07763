// A failing disk, a pool or array without its redundancy and a failed systemd unit are problems
// in the severity order (as bad as a full disk), each with a short reason in words.
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { COMPARE } from "../../../src/client/fleet-order.ts";
import { healthProblems } from "../../../src/client/health-problems.ts";
import { summarize } from "../../../src/client/summary.ts";
import {
  type DiskHealth,
  type Health,
  HealthSchema,
  type HostState,
  type Pool,
} from "../../../src/protocol/index.ts";

const disk = (device: string, ok: boolean | null): DiskHealth => ({
  device,
  kind: "sat",
  model: "ST4000VN008-2DR166",
  serial: null,
  ok,
  celsius: 40,
  power_on_hours: 1000,
  wear_pct: null,
  reallocated_sectors: 0,
  pending_sectors: 0,
  media_errors: 0,
  error: null,
});

const pool = (patch: Partial<Pool>): Pool => ({
  name: "tank",
  kind: "zfs",
  state: "ONLINE",
  ok: true,
  level: null,
  devices: 4,
  failed_devices: 0,
  progress_pct: null,
  detail: null,
  ...patch,
});

const unit = (name: string) => ({
  name,
  description: null,
  load: "loaded",
  active: "failed",
  sub: "failed",
});

/** A health section as the wire carries it (checked against the protocol). */
const health = (patch: Partial<Health>): Health =>
  v.parse(HealthSchema, {
    collected_ms: 1000,
    disks: [],
    pools: [],
    failed_units: [],
    unavailable: {},
    ...patch,
  });

const host = (id: string, h: Health | null, status: HostState["status"] = "online"): HostState => ({
  id,
  url: `http://${id}:7070`,
  status,
  info: null,
  snapshot: { v: 1, host: id, ts_ms: 1000, uptime_s: 100, health: h },
  last_seen_ms: 1000,
  last_error: null,
});

describe("health problems", () => {
  test("a disk that fails its self-assessment: DISK, named as people name it", () => {
    expect(
      healthProblems(health({ disks: [disk("/dev/sda", false), disk("/dev/sdb", true)] })),
    ).toEqual([{ label: "DISK", detail: "disk sda failing" }]);
  });

  test("a disk without a verdict (null) or that could not be read is no problem", () => {
    expect(healthProblems(health({ disks: [disk("/dev/sda", null)] }))).toEqual([]);
  });

  test("several failing disks in one line, the names cut after three", () => {
    const disks = ["sda", "sdb", "sdc", "sdd", "sde"].map((d) => disk(`/dev/${d}`, false));
    expect(healthProblems(health({ disks }))).toEqual([
      { label: "DISK", detail: "disks sda, sdb, sdc and 2 more failing" },
    ]);
  });

  test("a degraded ZFS pool and a degraded mdraid array, with their failed members", () => {
    const pools = [
      pool({ state: "DEGRADED", ok: false, failed_devices: 1 }),
      pool({
        name: "md0",
        kind: "mdraid",
        level: "raid1",
        state: "degraded",
        ok: false,
        devices: 2,
        failed_devices: 1,
      }),
      pool({ name: "rpool" }),
    ];
    expect(healthProblems(health({ pools }))).toEqual([
      { label: "POOL", detail: "pool tank DEGRADED, 1 failed device" },
      { label: "RAID", detail: "array md0 degraded, 1 failed device" },
    ]);
  });

  test("failed units: how many, and which", () => {
    expect(healthProblems(health({ failed_units: [unit("foo.service")] }))).toEqual([
      { label: "UNIT", detail: "1 failed unit: foo.service" },
    ]);
    expect(
      healthProblems(health({ failed_units: [unit("a.service"), unit("b.timer")] }))[0]?.detail,
    ).toBe("2 failed units: a.service, b.timer");
  });

  test("no health section (not asked, or failed) is no problem", () => {
    expect(healthProblems(null)).toEqual([]);
    expect(healthProblems(undefined)).toEqual([]);
  });
});

describe("in the severity order", () => {
  test("a failing disk or a failed unit makes an otherwise fine host a problem", () => {
    const failing = summarize(host("nas", health({ disks: [disk("/dev/sda", false)] })), 1000);
    expect(failing.severity).toBe("problem");
    expect(failing.problems).toEqual([{ level: "bad", label: "DISK", detail: "disk sda failing" }]);
    const unitFailed = summarize(
      host("web", health({ failed_units: [unit("foo.service")] })),
      1000,
    );
    expect(unitFailed.severity).toBe("problem");
    const degraded = summarize(
      host("pve", health({ pools: [pool({ state: "DEGRADED", ok: false })] })),
      1000,
    );
    expect(degraded.severity).toBe("problem");
    expect(summarize(host("ok", health({ disks: [disk("/dev/sda", true)] })), 1000).severity).toBe(
      "fine",
    );
  });

  test("problems first: the failing-disk host sorts with the full and hot, after the down, before the fine", () => {
    const order = [
      host("a-fine", health({})),
      host("b-unit", health({ failed_units: [unit("foo.service")] })),
      host("c-down", null, "offline"),
      host("d-disk", health({ disks: [disk("/dev/sda", false)] })),
    ]
      .map((h) => summarize(h, 1000))
      .sort(COMPARE.problems)
      .map((s) => `${s.id}:${s.severity}`);
    expect(order).toEqual(["c-down:down", "b-unit:problem", "d-disk:problem", "a-fine:fine"]);
  });

  test("an offline host's last health raises no problem of its own", () => {
    const s = summarize(host("nas", health({ disks: [disk("/dev/sda", false)] }), "offline"), 1000);
    expect(s.problems.map((p) => p.label)).toEqual(["OFFLINE"]);
  });
});
