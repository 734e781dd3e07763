// A host at a glance: a status problem says why a host is not online (the receiver's last_error
// in words), disk use is df's, and the severity puts the worst first in both dashboards.
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { COMPARE } from "../../../src/client/fleet-order.ts";
import { severityRank, summarize } from "../../../src/client/summary.ts";
import { type HostState, type Snapshot, SnapshotSchema } from "../../../src/protocol/index.ts";

const host = (patch: Partial<HostState>): HostState => ({
  id: "nas",
  url: "http://nas:7070",
  status: "online",
  info: null,
  snapshot: null,
  last_seen_ms: null,
  last_error: null,
  ...patch,
});

test.each([
  ["unauthorized", "UNAUTHORIZED", "the sender refused the token (HTTP 401)"],
  ["offline", "OFFLINE", "connection refused: nothing listens on nas:7070 (is hwm running there?)"],
  ["incompatible", "INCOMPATIBLE", "no hwm sender at this URL (HTTP 404)"],
  ["stale", "STALE", "no answer within 800 ms"],
] as const)("%s shows its reason", (status, label, reason) => {
  const [problem] = summarize(host({ status, last_error: reason }), 0).problems;
  expect(problem).toMatchObject({ label, detail: `${reason} · never seen`, title: reason });
});

test("without a reason, the status still says something, and when the host was last seen", () => {
  const [problem] = summarize(
    host({ status: "offline", last_seen_ms: 1_000 }),
    1_000 + 3 * 60_000,
  ).problems;
  expect(problem?.label).toBe("OFFLINE");
  expect(problem?.detail).toStartWith("not answering · last seen 3");
});

const GiB = 1024 ** 3;

/** A snapshot with the numbers a rule looks at; everything else empty. */
function snapshot(patch: {
  cpuPct?: number;
  disk?: { used: number; available: number; total: number };
  celsius?: { value: number; crit?: number };
}): Snapshot {
  return v.parse(SnapshotSchema, {
    v: 1,
    host: "nas",
    ts_ms: 1000,
    uptime_s: 100,
    cpu: {
      total_pct: patch.cpuPct ?? 5,
      user_pct: 1,
      system_pct: 1,
      iowait_pct: 0,
      steal_pct: null,
      cores_pct: [5],
      load: null,
      freq_mhz: null,
    },
    memory: {
      total_bytes: 8 * GiB,
      used_bytes: 2 * GiB,
      available_bytes: 6 * GiB,
      cached_bytes: null,
      swap_total_bytes: 0,
      swap_used_bytes: 0,
    },
    disks: patch.disk
      ? [
          {
            mount: "/",
            fs: "ext4",
            device: "/dev/sda1",
            total_bytes: patch.disk.total,
            used_bytes: patch.disk.used,
            available_bytes: patch.disk.available,
          },
        ]
      : [],
    disk_io: [],
    network: [],
    sensors: patch.celsius
      ? [
          {
            chip: "coretemp",
            label: "Package id 0",
            celsius: patch.celsius.value,
            max_celsius: null,
            crit_celsius: patch.celsius.crit ?? null,
          },
        ]
      : [],
    gpus: [],
  });
}

describe("disk use as df counts it", () => {
  test("used / (used + available): blocks reserved for root count as full", () => {
    // 100 GiB, 60 used, 30 available, 10 reserved: df says 67 %, used/total says 60 %.
    const s = summarize(
      host({
        snapshot: snapshot({ disk: { used: 60 * GiB, available: 30 * GiB, total: 100 * GiB } }),
      }),
      0,
    );
    expect(s.disk?.pct).toBeCloseTo((60 / 90) * 100, 6);
  });

  test("a disk is FULL at 90 % of what df counts, though less than 90 % of its size is used", () => {
    const s = summarize(
      host({
        snapshot: snapshot({ disk: { used: 85 * GiB, available: 5 * GiB, total: 100 * GiB } }),
      }),
      0,
    );
    expect(s.problems.map((p) => p.label)).toEqual(["FULL"]);
    expect(s.severity).toBe("problem");
  });
});

describe("severity", () => {
  const hosts: HostState[] = [
    host({ id: "fine", snapshot: snapshot({}) }),
    host({ id: "busy", snapshot: snapshot({ cpuPct: 99 }) }),
    host({
      id: "full",
      snapshot: snapshot({ disk: { used: 95 * GiB, available: 5 * GiB, total: 100 * GiB } }),
    }),
    host({ id: "hot", snapshot: snapshot({ celsius: { value: 101, crit: 100 } }) }),
    host({ id: "stale", status: "stale", snapshot: snapshot({}) }),
    host({ id: "offline", status: "offline", snapshot: snapshot({ cpuPct: 100 }) }),
    host({ id: "unauthorized", status: "unauthorized" }),
    host({ id: "incompatible", status: "incompatible" }),
  ];

  test("each state gets its place: down, stale, full or hot, busy, fine", () => {
    const by = Object.fromEntries(hosts.map((h) => [h.id, summarize(h, 0).severity]));
    expect(by).toEqual({
      fine: "fine",
      busy: "busy",
      full: "problem",
      hot: "problem",
      stale: "stale",
      offline: "down",
      unauthorized: "down",
      incompatible: "down",
    });
  });

  test("problems first puts the unreachable before 26 full disks, then the stale, then busy", () => {
    const many = [
      ...Array.from({ length: 26 }, (_, i) =>
        host({
          id: `efi${i}`,
          snapshot: snapshot({ disk: { used: 95 * GiB, available: 5 * GiB, total: 100 * GiB } }),
        }),
      ),
      ...hosts,
    ];
    const order = many
      .map((h) => summarize(h, 0))
      .sort(COMPARE.problems)
      .map((s) => s.id);
    expect(order.slice(0, 4)).toEqual(["incompatible", "offline", "unauthorized", "stale"]);
    expect(order.slice(-2)).toEqual(["busy", "fine"]);
    expect(severityRank("down")).toBeGreaterThan(severityRank("stale"));
  });

  test("an offline host drops its BUSY: its last values raise no problem of their own", () => {
    const s = summarize(hosts.find((h) => h.id === "offline") as HostState, 0);
    expect(s.problems.map((p) => p.label)).toEqual(["OFFLINE"]);
    expect(s.cpuPct).toBe(100);
    expect(s.dated).toBe(true);
  });

  test("a sensor is hot at its own critical limit, else at the fixed one", () => {
    const at = (value: number, crit?: number) =>
      summarize(host({ snapshot: snapshot({ celsius: { value, crit } }) }), 0).severity;
    expect(at(90, 100)).toBe("fine");
    expect(at(100, 100)).toBe("problem");
    expect(at(86)).toBe("problem");
  });

  test("a firing alert on a busy host makes it a problem", () => {
    const s = summarize(
      host({
        snapshot: snapshot({ cpuPct: 99 }),
        alerts: [{ rule: "cpu", key: null, since_ms: 0, message: "cpu high" }],
      }),
      0,
    );
    expect(s.severity).toBe("problem");
  });
});
