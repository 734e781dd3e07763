// A receiver that starts again finds every host as it was last written (facts, last snapshot,
// last seen, status, error), every point, and each host's status changes, newest first.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { HostRow, StatusChange } from "../../../src/history/sqlite.ts";
import type { HostInfo, Snapshot } from "../../../src/protocol/index.ts";
import {
  HOUR,
  openStore,
  query,
  removeTempDirs,
  sample,
  T0,
  tempDir,
} from "../../helpers/history.ts";

afterAll(removeTempDirs);

const info: HostInfo = {
  v: 1,
  hostname: "alpha",
  platform: "linux",
  os: "Debian GNU/Linux 12 (bookworm)",
  kernel: "6.1.0-18-amd64",
  arch: "x64",
  cpu_model: "Intel(R) N100",
  cpu_cores: 4,
  memory_total_bytes: 16 * 2 ** 30,
  boot_time_ms: T0 - 86_400_000,
  hwm_version: "0.1.0",
};

const snapshot: Snapshot = {
  v: 1,
  host: "alpha",
  ts_ms: T0 + 50_000,
  uptime_s: 86_450,
  memory: {
    total_bytes: 16 * 2 ** 30,
    used_bytes: 4 * 2 ** 30,
    available_bytes: 12 * 2 ** 30,
    cached_bytes: null,
    swap_total_bytes: 0,
    swap_used_bytes: 0,
  },
  processes: { count: 1, running: 1, top: [] },
};
const { processes: _, ...fleetSections } = snapshot;

const alpha: HostRow = {
  id: "alpha",
  info,
  snapshot,
  lastSeenMs: T0 + 50_000,
  status: "online",
  lastError: null,
};
const beta: HostRow = {
  id: "beta",
  info: null,
  snapshot: null,
  lastSeenMs: T0 - HOUR,
  status: "offline",
  lastError: "connection refused",
};

const change = (
  tsMs: number,
  from: StatusChange["from"],
  to: StatusChange["to"],
): StatusChange => ({
  host: "alpha",
  tsMs,
  from,
  to,
  error: to === "online" ? null : "timeout",
});

describe("restart", () => {
  test("hosts, points and status changes are all there after close and open", async () => {
    const path = join(tempDir(), "history.db");
    let store = openStore(path);
    for (let k = 0; k <= 5; k++) {
      const hosts = k === 0 ? [alpha, beta] : k === 5 ? [alpha] : [];
      const changes =
        k === 1
          ? [change(T0 + 10_000, "online", "stale"), change(T0 + 10_000, "stale", "offline")]
          : [];
      store.writeRound(
        [sample("alpha", T0 + k * 10_000, { "cpu.total_pct": k })],
        hosts,
        k === 4 ? [change(T0 + 40_000, "offline", "online")] : changes,
        T0 + k * 10_000,
      );
    }
    store.close();

    store = openStore(path);
    // The store's clock is its last round's (the receiver writes one a poll): a round with
    // nothing in it tells it the time on this test's clock.
    store.writeRound([], [], [], T0 + 60_000);
    // Processes are dropped: a restart shows the fleet view, not a watched host's table.
    expect(store.loadHosts()).toEqual([{ ...alpha, snapshot: fleetSections as Snapshot }, beta]);
    const answer = await store.query(query(["alpha"], ["cpu.total_pct"], T0, T0 + 50_000));
    expect(answer.hosts.get("alpha")?.get("cpu.total_pct")).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => [T0 + k * 10_000, k]),
    );
    expect(store.statusChanges("alpha", 10)).toEqual([
      change(T0 + 40_000, "offline", "online"),
      change(T0 + 10_000, "stale", "offline"),
      change(T0 + 10_000, "online", "stale"),
    ]);
    expect(store.statusChanges("alpha", 1)).toHaveLength(1);
    expect(store.statusChanges("beta", 10)).toEqual([]);
    expect(store.statusChanges("nobody", 10)).toEqual([]);
    store.close();
  });

  test("hosts left out of a round are untouched; an undefined snapshot keeps the stored one", () => {
    const path = join(tempDir(), "history.db");
    const store = openStore(path);
    store.writeRound([], [alpha, beta], [], T0);
    const later = {
      ...alpha,
      snapshot: undefined,
      lastSeenMs: T0 + 60_000,
      status: "stale" as const,
    };
    store.writeRound([], [later], [], T0 + 60_000);
    expect(store.loadHosts()).toEqual([{ ...later, snapshot: fleetSections as Snapshot }, beta]);
    const gone = { ...later, snapshot: null, info: null };
    store.writeRound([], [gone], [], T0 + 70_000);
    expect(store.loadHosts()[0]).toEqual({ ...gone, snapshot: null });
    store.close();
  });

  test("status changes are bounded per host: the oldest go", () => {
    const store = openStore(join(tempDir(), "history.db"));
    const changes = Array.from({ length: 1005 }, (_, i) =>
      change(T0 + i * 1000, i % 2 ? "offline" : "online", i % 2 ? "online" : "offline"),
    );
    store.writeRound([], [], changes, T0 + 1_005_000);
    const rows = store.db
      .query<{ n: number }, []>("SELECT count(*) AS n FROM status_changes")
      .get();
    expect(rows?.n).toBe(1000);
    const kept = store.statusChanges("alpha", 5000);
    expect(kept).toHaveLength(1000);
    expect(kept[0]?.tsMs).toBe(T0 + 1_004_000);
    expect(kept.at(-1)?.tsMs).toBe(T0 + 5000);
    store.close();
  });
});
