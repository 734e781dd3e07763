// The dashboard's graphs seeded from a real receiver's recorded history: a receiver with history
// on (SQLite, every 500 ms) polls a real sender; a few seconds later the TUI's source for that node
// learns that it records, asks for the host's hour, and the graphs hold the time before the
// dashboard connected, running into the live points without a gap.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Trends } from "../../src/client/trends.ts";
import { HistorySeeder } from "../../src/tui/seed.ts";
import type { DataSource, SourceState } from "../../src/tui/source.ts";
import { connectNode } from "../../src/tui/ws-source.ts";
import { type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-tui-history-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function start(args: string[]): Promise<RunningProcess> {
  const proc = await startHwm([...args, "--no-tui"]);
  cleanups.push(() => proc.stop());
  return proc;
}

/** Waits (bounded) until `ok` holds of the source's state. */
function until(source: DataSource, ok: (s: SourceState) => boolean): Promise<SourceState> {
  return new Promise((resolve, reject) => {
    if (ok(source.state)) return resolve(source.state);
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(`timed out; last state: link ${source.state.link}, ${source.state.problem}`),
      );
    }, 10_000);
    const stop = source.onChange(() => {
      if (!ok(source.state)) return;
      clearTimeout(timer);
      stop();
      resolve(source.state);
    });
  });
}

describe("a receiver that records history", () => {
  test("the TUI's source seeds a host's graphs from the history route", async () => {
    const sender = await start(["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN]);
    const config = join(dir, "receiver.toml");
    writeFileSync(
      config,
      [
        'role = "receiver"',
        'listen = "127.0.0.1:0"',
        `token = "${TOKEN}"`,
        "interval_ms = 250",
        "[history]",
        "enabled = true",
        "interval_ms = 500",
        `path = "${join(dir, "history.db")}"`,
        "[[senders]]",
        'name = "pve"',
        `url = "${sender.url}"`,
        "",
      ].join("\n"),
    );
    const receiver = await start(["--config", config]);
    // The receiver records while nobody watches: give it a few recordings before the TUI comes.
    await Bun.sleep(3000);
    const connectedMs = Date.now();

    const source = connectNode({
      url: receiver.url,
      token: TOKEN,
      fingerprint: null,
      intervalMs: 250,
    });
    cleanups.push(() => source.close());
    const history = new Trends();
    const notes: string[] = [];
    // What the Dashboard does: every change recorded live, the shown host's history asked once.
    source.onChange(() => {
      const { hosts, nodeTsMs, intervalMs } = source.state;
      history.update(hosts, nodeTsMs, intervalMs);
    });
    const seeder = new HistorySeeder({
      source,
      seed: (answer) => history.seed(answer),
      note: (text) => notes.push(text),
    });
    cleanups.push(() => seeder.stop());

    const state = await until(
      source,
      (s) => s.link === "live" && s.hosts.some((h) => h.id === "pve" && h.snapshot !== null),
    );
    expect(state.features?.history).toBe("sqlite");
    seeder.show("pve");
    const deadline = Date.now() + 8000;
    while (!history.hasRecorded("pve") && notes.length === 0 && Date.now() < deadline) {
      await Bun.sleep(50);
    }
    expect(notes).toEqual([]);
    expect(history.hasRecorded("pve")).toBe(true);

    // Let a few live points arrive after the recorded ones.
    await Bun.sleep(1500);
    // One column per second over the last 30 s: the recorded seconds before the dashboard
    // connected have values, and from the first value to the newest there is no hole.
    const graphs = history.graphs("pve", { kind: "recorded", spanMs: 30_000 });
    const columns = graphs.cpu.values(30);
    const first = columns.findIndex((v) => v !== null);
    expect(first).toBeGreaterThanOrEqual(0);
    const newestMs = Date.now();
    const firstColumnMs = newestMs - (30 - first) * 1000;
    expect(firstColumnMs).toBeLessThan(connectedMs - 1000);
    expect(columns.slice(first).every((v) => v !== null)).toBe(true);
    for (const v of columns.slice(first)) expect(v).toBeGreaterThanOrEqual(0);
  }, 30_000);
});
