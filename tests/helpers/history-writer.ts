// The SIGKILL test's child: writes history rounds (20 hosts × 70 metrics, 10 s apart on a
// synthetic clock) in a loop until killed, and prints each round's number once writeRound has
// returned, that is once the round is committed.
// Usage: bun tests/helpers/history-writer.ts <file>
import { writeSync } from "node:fs";
import { SqliteHistory } from "../../src/history/sqlite.ts";
import { createLogger } from "../../src/log.ts";

const T0 = Date.UTC(2026, 0, 1);
const path = process.argv[2];
if (!path) throw new Error("usage: history-writer.ts <file>");
const store = SqliteHistory.open(path, {
  intervalMs: 10_000,
  rawRetentionMs: 3_600_000,
  rollups: [{ stepMs: 60_000, retentionMs: 86_400_000 }],
  log: createLogger("error", (line) => writeSync(2, `${line}\n`)),
});
for (let k = 0; ; k++) {
  const tsMs = T0 + k * 10_000;
  const samples = Array.from({ length: 20 }, (_, h) => ({
    host: `host-${h}`,
    tsMs,
    values: new Map(
      Array.from({ length: 70 }, (_, m) => [`cpu.cores_pct[${m}]`, (k + m + h) % 100]),
    ),
  }));
  const hosts = samples.map((s) => ({
    id: s.host,
    info: null,
    lastSeenMs: tsMs,
    status: "online" as const,
    lastError: null,
  }));
  store.writeRound(samples, hosts, [], tsMs);
  // Synchronous: when the parent reads this line, the round is in the file.
  writeSync(1, `${k}\n`);
}
