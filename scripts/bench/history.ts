// History store benchmark: 30 days of 200 hosts × 71 metrics in the SQLite file, then the file
// size, the cost of a round (write, rollups, retention), the disk bytes a round writes, a
// rollup catch-up's worst round, and the dashboards' queries.
// Usage: bun scripts/bench/history.ts [--hosts 200] [--days 30] [--dir /path/on/the/disk]
//
// Writing 30 days of real rounds would take 259 200 of them. So the rollup tiers older than the
// last two hours are inserted directly (packed exactly as the rollup path packs them, through
// StepAggregate, with the watermarks set where they would be); the store is then reopened (a
// restart: it continues from the watermarks) and the last two hours are written as real rounds
// at the default 10 s interval with synthetic times, so raw points, every rollup tier and
// retention run through the real path and the tiers end in their steady state.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { HistoryQuery } from "../../src/history/backend.ts";
import { Layouts } from "../../src/history/layouts.ts";
import {
  METRIC_FAMILIES,
  type MetricRef,
  parseMetric,
  snapshotMetrics,
} from "../../src/history/metrics.ts";
import { type PointView, StepAggregate } from "../../src/history/packed.ts";
import { PointsTable } from "../../src/history/points-table.ts";
import { type HostRow, type SampleRow, SqliteHistory } from "../../src/history/sqlite.ts";
import { silentLogger } from "../../src/log.ts";
import type { Snapshot } from "../../src/protocol/index.ts";
import { median, percentile } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    hosts: { type: "string", default: "200" },
    days: { type: "string", default: "30" },
    dir: { type: "string" },
  },
});
const HOSTS = Number(opts.hosts);
const DAYS = Number(opts.days);
const INTERVAL_MS = 10_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// The defaults of HISTORY_DEFAULTS: raw 1 h, 1 min for 24 h, 10 min for 7 d, 1 h for 90 d.
const ROLLUPS = [
  { stepMs: 60_000, retentionMs: DAY_MS },
  { stepMs: 600_000, retentionMs: 7 * DAY_MS },
  { stepMs: HOUR_MS, retentionMs: 90 * DAY_MS },
];
const OPTIONS = {
  intervalMs: INTERVAL_MS,
  rawRetentionMs: HOUR_MS,
  rollups: ROLLUPS,
  log: silentLogger,
};
/** Real rounds at the end: long enough for every tier to roll up through the real path. */
const LIVE_MS = 2 * HOUR_MS;

const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "hwm-bench-history-"));
const path = join(dir, "history.db");
const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const liveFromMs = endMs - LIVE_MS;

/** A plausible host: 16 cores, 4 filesystems, 3 disks, 4 interfaces, 6 sensors: 71 metrics. */
function snapshotOf(host: number, tsMs: number): Snapshot {
  const t = tsMs / 60_000;
  const wave = (period: number, phase = 0) => 0.5 + 0.5 * Math.sin((t + host * 7 + phase) / period);
  const pct = (x: number) => Math.min(100, Math.max(0, x));
  const total = 64 * 2 ** 30;
  const used = Math.round(total * (0.3 + 0.4 * wave(240)));
  return {
    v: 1,
    host: `host-${host}`,
    ts_ms: tsMs,
    uptime_s: Math.round(tsMs / 1000) - 1_600_000_000 + host,
    cpu: {
      total_pct: pct(100 * wave(30)),
      user_pct: pct(70 * wave(30)),
      system_pct: pct(20 * wave(45)),
      iowait_pct: pct(5 * wave(10)),
      steal_pct: 0,
      cores_pct: Array.from({ length: 16 }, (_, c) => pct(100 * wave(20, c * 13))),
      load: [4 * wave(30), 3.5 * wave(60), 3 * wave(120)],
      freq_mhz: 2000 + 1500 * wave(15),
    },
    memory: {
      total_bytes: total,
      used_bytes: used,
      available_bytes: total - used,
      cached_bytes: Math.round(total * 0.2),
      swap_total_bytes: 8 * 2 ** 30,
      swap_used_bytes: Math.round(2 ** 28 * wave(600)),
    },
    disks: ["/", "/var", "/home", "/srv"].map((mount, d) => {
      const size = 2 ** (38 + d);
      const usedBytes = Math.round(size * (0.2 + 0.1 * d + 0.001 * wave(10_000, d)));
      return {
        mount,
        fs: "ext4",
        device: `/dev/sd${"abcd"[d]}1`,
        total_bytes: size,
        used_bytes: usedBytes,
        available_bytes: size - usedBytes,
      };
    }),
    disk_io: ["sda", "sdb", "nvme0n1"].map((device, d) => ({
      device,
      read_bps: 5e7 * wave(5, d),
      write_bps: 3e7 * wave(7, d),
      busy_pct: pct(60 * wave(5, d)),
      read_total_bytes: 0,
      write_total_bytes: 0,
    })),
    network: ["eth0", "eth1", "wg0", "docker0"].map((iface, n) => ({
      iface,
      rx_bps: 1e7 * wave(3, n),
      tx_bps: 5e6 * wave(4, n),
      rx_total_bytes: 0,
      tx_total_bytes: 0,
    })),
    sensors: ["Package id 0", "Core 0", "Core 1", "Core 2", "Core 3", "Composite"].map(
      (label, s) => ({
        label,
        chip: s === 5 ? "nvme" : "coretemp",
        celsius: 40 + 30 * wave(25, s),
        max_celsius: 90,
        crit_celsius: 100,
      }),
    ),
  };
}

/** A rollup point as the rollup path would make it, from means, maxima and a count. */
class SyntheticStep implements PointView {
  readonly valid = true;
  constructor(
    readonly values: readonly number[],
    readonly points: number,
  ) {}
  count(): number {
    return this.points;
  }
  mean(i: number): number {
    return this.values[i] ?? 0;
  }
  max(i: number): number {
    return (this.values[i] ?? 0) * 1.1;
  }
}

function seed(): number {
  const store = SqliteHistory.open(path, OPTIONS);
  const db = store.db;
  const tierIds = new Map(
    db
      .query<{ id: number; step_ms: number }, []>("SELECT id, step_ms FROM tiers")
      .all()
      .map((row) => [row.step_ms, row.id]),
  );
  const points = new PointsTable(db);
  const layouts = new Layouts(db);
  const hostIds = Array.from({ length: HOSTS }, (_, h) => {
    db.run("INSERT INTO hosts (name) VALUES (?)", [`host-${h}`]);
    return (
      db.query<{ id: number }, [string]>("SELECT id FROM hosts WHERE name = ?").get(`host-${h}`)
        ?.id ?? 0
    );
  });
  let rows = 0;
  for (const { stepMs, retentionMs } of ROLLUPS) {
    const tierId = tierIds.get(stepMs) ?? 0;
    const fromMs = Math.max(endMs - retentionMs, endMs - DAYS * DAY_MS);
    db.transaction(() => {
      for (let h = 0; h < HOSTS; h++) {
        for (let tsMs = fromMs; tsMs < liveFromMs; tsMs += stepMs) {
          const values = snapshotMetrics(snapshotOf(h, tsMs));
          const names = [...values.keys()];
          const step = new StepAggregate();
          step.add(names, new SyntheticStep([...values.values()], stepMs / INTERVAL_MS));
          const packed = step.encode();
          points.write(
            false,
            tierId,
            hostIds[h] ?? 0,
            tsMs,
            layouts.idOf(packed.names, endMs),
            packed.data,
          );
          rows++;
        }
      }
      db.run("UPDATE tiers SET watermark_ms = ? WHERE id = ?", [liveFromMs, tierId]);
    })();
  }
  store.close();
  return rows;
}

function diskWriteBytes(): number {
  const match = /wchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"));
  return Number(match?.[1] ?? 0);
}

interface RoundTimes {
  writeMs: number[];
  /** Rollup time of the rounds that rolled something up. */
  rollingMs: number[];
  rollupMs: number[];
  retentionMs: number[];
  totalMs: number[];
  writtenBytes: number;
  rounds: number;
}

/** Real rounds from fromMs to toMs, every host answering; the snapshot kept every 5 minutes. */
function live(
  store: SqliteHistory,
  fromMs: number,
  toMs: number,
  done: (nowMs: number) => boolean = () => false,
): RoundTimes {
  const times: RoundTimes = {
    writeMs: [],
    rollingMs: [],
    rollupMs: [],
    retentionMs: [],
    totalMs: [],
    writtenBytes: 0,
    rounds: 0,
  };
  const before = diskWriteBytes();
  for (let nowMs = fromMs; nowMs < toMs; nowMs += INTERVAL_MS) {
    const samples: SampleRow[] = [];
    const hosts: HostRow[] = [];
    const snapshotDue = (nowMs - fromMs) % (5 * 60_000) === 0;
    for (let h = 0; h < HOSTS; h++) {
      const snapshot = snapshotOf(h, nowMs);
      samples.push({ host: `host-${h}`, tsMs: nowMs, values: snapshotMetrics(snapshot) });
      hosts.push({
        id: `host-${h}`,
        info: null,
        snapshot: snapshotDue ? snapshot : undefined,
        lastSeenMs: nowMs,
        status: "online",
        lastError: null,
      });
    }
    store.writeRound(samples, hosts, [], nowMs);
    const s = store.roundStats;
    times.writeMs.push(s.writeMs);
    times.rollupMs.push(s.rollupMs);
    if (s.rolledUp > 0) times.rollingMs.push(s.rollupMs);
    times.retentionMs.push(s.retentionMs);
    times.totalMs.push(s.writeMs + s.rollupMs + s.retentionMs);
    times.rounds++;
    if (done(nowMs)) break;
  }
  times.writtenBytes = diskWriteBytes() - before;
  return times;
}

async function timeQuery(
  store: SqliteHistory,
  q: HistoryQuery,
  runs = 5,
): Promise<{ ms: number; points: number; series: number; stepMs: number }> {
  await store.query(q); // warm the page cache and the JIT once
  const ms: number[] = [];
  let points = 0;
  let series = 0;
  let stepMs = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const answer = await store.query(q);
    ms.push(performance.now() - start);
    points = 0;
    series = 0;
    stepMs = answer.stepMs;
    for (const host of answer.hosts.values()) {
      for (const s of host.values()) {
        series++;
        points += s.length;
      }
    }
  }
  return { ms: ms.reduce((a, b) => a + b, 0) / ms.length, points, series, stepMs };
}

const ref = (name: string): MetricRef => {
  const parsed = parseMetric(name);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
};
const every = METRIC_FAMILIES.map((f) => ref(f.key ? f.name.replace("[]", "[*]") : f.name));
const f1 = (ms: number) => `${ms.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const results: [string, string][] = [];

console.error(`bench: ${HOSTS} hosts, ${DAYS} days, file ${path}`);
let start = performance.now();
const seeded = seed();
console.error(
  `seeded ${seeded} rollup points in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);

const store = SqliteHistory.open(path, OPTIONS);
start = performance.now();
const rounds = live(store, liveFromMs, endMs + INTERVAL_MS);
console.error(
  `${rounds.rounds} live rounds in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);

const rollupRounds = rounds.rollingMs;
const count = (sql: string) => store.db.query<{ n: number }, []>(sql).get()?.n ?? 0;
const pageSize = count("SELECT page_size AS n FROM pragma_page_size");
results.push(
  ["database size (file + WAL)", mb(store.sizeBytes())],
  [
    "  of which points (dbstat)",
    mb(count("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'points'")),
  ],
  [
    "  free pages",
    `${count("SELECT freelist_count AS n FROM pragma_freelist_count")} × ${pageSize} B`,
  ],
  [
    "points stored (raw / 1 min / 10 min / 1 h)",
    [0, 1, 2, 3]
      .map((t) => count(`SELECT count(*) AS n FROM points_readable WHERE tier = ${t}`))
      .join(" / "),
  ],
  [
    `write per round, ${HOSTS} hosts (median / p95)`,
    `${f1(median(rounds.writeMs))} / ${f1(percentile(rounds.writeMs, 95))}`,
  ],
  [
    `rollups in the ${rollupRounds.length} rounds that rolled up (median / p95 / max)`,
    `${f1(median(rollupRounds))} / ${f1(percentile(rollupRounds, 95))} / ${f1(Math.max(...rounds.rollupMs))}`,
  ],
  [
    "retention per round (median / p95)",
    `${f1(median(rounds.retentionMs))} / ${f1(percentile(rounds.retentionMs, 95))}`,
  ],
  [
    "whole round (median / p95 / max)",
    `${f1(median(rounds.totalMs))} / ${f1(percentile(rounds.totalMs, 95))} / ${f1(Math.max(...rounds.totalMs))}`,
  ],
  ["bytes written to disk per round (WAL + checkpoints)", mb(rounds.writtenBytes / rounds.rounds)],
);

const oneHost = await timeQuery(store, {
  hosts: ["host-7"],
  metrics: every,
  fromMs: endMs - 30 * DAY_MS,
  toMs: endMs,
  stepMs: null,
  agg: "avg",
});
results.push([
  `30-day chart, one host, every metric (${oneHost.series} series × ${Math.round(oneHost.points / oneHost.series)} points, step ${oneHost.stepMs / 60_000} min)`,
  f1(oneHost.ms),
]);
const oneCpu = await timeQuery(store, {
  hosts: ["host-7"],
  metrics: [ref("cpu.total_pct")],
  fromMs: endMs - 30 * DAY_MS,
  toMs: endMs,
  stepMs: null,
  agg: "max",
});
results.push([
  `30-day chart, one host, cpu.total_pct max (${oneCpu.points} points)`,
  f1(oneCpu.ms),
]);
const week = await timeQuery(store, {
  hosts: ["host-7"],
  metrics: every,
  fromMs: endMs - 7 * DAY_MS,
  toMs: endMs,
  stepMs: null,
  agg: "avg",
});
results.push([
  `7-day chart, one host, every metric (step ${week.stepMs / 60_000} min)`,
  f1(week.ms),
]);
const hour = await timeQuery(store, {
  hosts: ["host-7"],
  metrics: every,
  fromMs: endMs - HOUR_MS,
  toMs: endMs,
  stepMs: null,
  agg: "avg",
});
results.push([
  `1-hour chart, one host, every metric (raw, ${Math.round(hour.points / hour.series)} points)`,
  f1(hour.ms),
]);
const fleet = await timeQuery(store, {
  hosts: Array.from({ length: Math.min(100, HOSTS) }, (_, h) => `host-${h}`),
  metrics: [ref("cpu.total_pct")],
  fromMs: endMs - DAY_MS,
  toMs: endMs,
  stepMs: null,
  agg: "avg",
});
results.push([
  `24 h cpu.total_pct, ${fleet.series} hosts (step ${fleet.stepMs / 60_000} min, ${Math.round(fleet.points / fleet.series)} points each)`,
  f1(fleet.ms),
]);
store.close();

// A tier added to the config (5 min, between 1 min and 10 min) starts from the oldest 1-min
// point, 24 h back: the worst catch-up there is; it is spread over rounds.
const wider = SqliteHistory.open(path, {
  ...OPTIONS,
  rollups: [...ROLLUPS, { stepMs: 300_000, retentionMs: 3 * DAY_MS }],
});
const watermark = (stepMs: number) =>
  wider.db
    .query<{ w: number | null }, [number]>("SELECT watermark_ms AS w FROM tiers WHERE step_ms = ?")
    .get(stepMs)?.w ?? 0;
const catchUp = live(
  wider,
  endMs + INTERVAL_MS,
  endMs + 6 * HOUR_MS,
  (nowMs) => watermark(300_000) >= Math.floor(nowMs / 300_000) * 300_000 - 300_000,
);
results.push(
  [
    "a 5-min tier added: worst round while it catches up on 24 h (rollups / whole round)",
    `${f1(Math.max(...catchUp.rollupMs))} / ${f1(Math.max(...catchUp.totalMs))}`,
  ],
  ["  rounds until it has caught up", String(catchUp.rounds)],
);
wider.close();

// Retention of the 1-h tier cut from 90 to 7 days: 23 days of 1-h points go, 2000 a round, and
// incremental vacuum gives the pages back to the file system, 256 a round.
const shorter = SqliteHistory.open(path, {
  ...OPTIONS,
  rollups: [ROLLUPS[0], ROLLUPS[1], { stepMs: HOUR_MS, retentionMs: 7 * DAY_MS }].flatMap((r) =>
    r ? [r] : [],
  ),
});
const sizeBeforeBytes = shorter.sizeBytes();
const fromMs = endMs + 7 * HOUR_MS;
const shrink = live(shorter, fromMs, fromMs + 6 * HOUR_MS, () => {
  const free =
    shorter.db
      .query<{ n: number }, []>("SELECT freelist_count AS n FROM pragma_freelist_count")
      .get()?.n ?? 0;
  const old =
    shorter.db
      .query<{ n: number }, [number]>(
        "SELECT count(*) AS n FROM points_readable WHERE tier = 3 AND ts_ms < ?",
      )
      .get(fromMs - 7 * DAY_MS)?.n ?? 0;
  return old === 0 && free <= 1024;
});
shorter.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
results.push(
  [
    "1-h tier cut from 90 d to 7 d: file before → after, rounds taken",
    `${mb(sizeBeforeBytes)} → ${mb(shorter.sizeBytes())}, ${shrink.rounds} rounds`,
  ],
  [
    "  worst round meanwhile (retention + vacuum / whole round)",
    `${f1(Math.max(...shrink.retentionMs))} / ${f1(Math.max(...shrink.totalMs))}`,
  ],
);
shorter.close();

console.log("| measure | value |");
console.log("| --- | --- |");
for (const [name, value] of results) console.log(`| ${name} | ${value} |`);
if (!opts.dir) rmSync(dir, { recursive: true, force: true });
