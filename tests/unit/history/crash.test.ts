// A receiver killed with SIGKILL in the middle of writing: the file opens again, and every round
// committed before the kill is in it (the one being written may be lost, nothing before it).
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { openStore, query, removeTempDirs, T0, tempDir } from "../../helpers/history.ts";

afterAll(removeTempDirs);

const WRITER = resolve(import.meta.dir, "../../helpers/history-writer.ts");

/** Starts the writer, waits until it has committed `rounds` rounds, kills it; returns the last. */
async function killAfter(path: string, rounds: number): Promise<number> {
  const child = Bun.spawn([process.execPath, WRITER, path], { stdout: "pipe", stderr: "pipe" });
  let last = -1;
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    text += decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    text = lines.pop() ?? "";
    for (const line of lines) last = Number(line);
    // Right after a commit the child builds the next round (~1 ms) and writes it (a few ms):
    // a kill a random moment later lands in any part of that.
    if (last >= rounds) {
      await Bun.sleep(Math.random() * 6);
      child.kill("SIGKILL");
      break;
    }
  }
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");
  return last;
}

describe("SIGKILL while writing", () => {
  test("the file opens and every committed round is there", async () => {
    for (const rounds of [30, 60, 90, 120, 150]) {
      const path = join(tempDir(), "history.db");
      const last = await killAfter(path, rounds);
      const check = new Database(path);
      expect(check.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      check.close();

      const store = openStore(path, {
        intervalMs: 10_000,
        rawRetentionMs: 3_600_000,
        rollups: [{ stepMs: 60_000, retentionMs: 86_400_000 }],
      });
      store.writeRound([], [], [], T0 + last * 10_000);
      const answer = await store.query(
        query(["host-0", "host-19"], ["cpu.cores_pct[5]"], T0, T0 + (last + 5) * 10_000),
      );
      const counts = ["host-0", "host-19"].map(
        (host) => answer.hosts.get(host)?.get("cpu.cores_pct[5]")?.length,
      );
      // The first and the last host of the last round: a round is one transaction.
      expect(counts[0]).toBe(counts[1]);
      for (const host of ["host-0", "host-19"]) {
        const points = answer.hosts.get(host)?.get("cpu.cores_pct[5]") ?? [];
        // Rounds 0 to some N, each exactly once, N at least the last one the child reported
        // (it may have committed more before the kill reached it): nothing committed is lost,
        // and the round being written is there whole or not at all.
        const rounds = points.map(([t]) => (t - T0) / 10_000);
        expect(rounds).toEqual(Array.from({ length: rounds.length }, (_, k) => k));
        expect(rounds.length).toBeGreaterThanOrEqual(last + 1);
      }
      const seen = store.loadHosts().find((h) => h.id === "host-0")?.lastSeenMs ?? 0;
      expect(seen).toBeGreaterThanOrEqual(T0 + last * 10_000);
      store.close();
    }
  });
});
