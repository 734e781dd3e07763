// The dashboard's graphs start from the node's recorded hour: asked once per host per connection
// when its graphs are first on screen (host view, fleet preview), drawn over the hour with the
// span in the title, g for the live scale, and a failure that leaves them live with one note.
import { afterEach, describe, expect, test } from "bun:test";
import type { ApiResult } from "../../../src/client/api.ts";
import { RECORDED_METRICS } from "../../../src/client/trends.ts";
import type { HistoryResponse } from "../../../src/protocol/index.ts";
import { SEED_TIMEOUT_MS } from "../../../src/tui/seed.ts";
import { FakeSource, fleetHosts, NOW_MS, recordedHour } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

/** A receiver that records history, answering every request with the host's hour. */
function recordingSource(): FakeSource {
  const source = new FakeSource({
    kind: "receiver",
    link: "live",
    hosts: fleetHosts(),
    features: { history: "sqlite", alerts: false },
    session: 1,
  });
  source.answerHistory = async (id) => ({ ok: true, value: recordedHour(id) });
  return source;
}

async function open(source: FakeSource, width: number, height: number): Promise<Harness> {
  harness = await startHarness(source, width, height);
  await Bun.sleep(5);
  return harness;
}

/** Open the host in the host view and let its history arrive. */
async function openHost(t: Harness, id = "pve-web"): Promise<string[]> {
  while (!(await t.lines()).some((l) => l.includes(`▸ ${id}`))) t.mockInput.pressArrow("down");
  t.mockInput.pressEnter();
  await Bun.sleep(10);
  return t.lines();
}

/** The inside of the box whose title starts with `title`, row by row (borders cut off). */
function boxRows(lines: string[], title: string): string[] {
  const head = `╭─ ${title}`;
  const top = lines.findIndex((l) => l.includes(head));
  if (top < 0) throw new Error(`no box "${title}":\n${lines.join("\n")}`);
  const chars = [...(lines[top] ?? "")];
  const left = [...(lines[top] ?? "").slice(0, (lines[top] ?? "").indexOf(head))].length;
  const right = chars.indexOf("╮", left);
  const rows: string[] = [];
  for (let y = top + 1; y < lines.length; y++) {
    const row = [...(lines[y] ?? "")];
    if (row[left] === "╰") break;
    rows.push(row.slice(left + 1, right).join(""));
  }
  return rows;
}

/** The CPU graph's span on the live scale at 120 columns: 118 columns of 1 s. */
const LIVE_SPAN = "─ cpu 8 cores · 1m 58s";

describe("graphs from the recorded hour", () => {
  test("the host view at 120x40: the CPU graph spans the hour, filled from its start", async () => {
    const source = recordingSource();
    const t = await open(source, 120, 40);
    const lines = await openHost(t);
    const screen = lines.join("\n");
    expect(screen).toContain("─ cpu 8 cores · 1h");
    expect(screen).toContain("─ network · 1h");
    // The climb from 5% to 95% fills the graph from its left edge, not only the newest column.
    const graph = boxRows(lines, "cpu 8 cores").slice(1, 5);
    const bottom = graph[graph.length - 1] ?? "";
    expect(bottom.trim().length).toBeGreaterThan(bottom.length - 3);
    expect(graph[0]?.trimEnd().length).toBeGreaterThan(0);
    expect(graph[0]?.trimStart().length).toBeLessThan(bottom.trimStart().length);
    for (const line of lines) expect(Bun.stringWidth(line)).toBe(120);
    expect(screen).toMatchSnapshot();
  });

  test("the host view at 80x24: the network sparkline spans the hour", async () => {
    const t = await open(recordingSource(), 80, 24);
    const lines = await openHost(t);
    const network = boxRows(lines, "network · 1h");
    // eth0's burst in the middle of the hour shows as the tallest blocks of its 4 columns.
    expect(network[0]).toMatch(/eth0 .*[▁▂▃▄▅▆▇█]{4} $/);
    for (const line of lines) expect(Bun.stringWidth(line)).toBe(80);
    expect(lines.join("\n")).toMatchSnapshot();
  });

  test("asked once per host per connection, for the hour, bounded in time", async () => {
    const source = recordingSource();
    const t = await open(source, 120, 40);
    // The fleet's preview of the selected host is the first to be shown: problems first, the
    // offline backup-nas heads the table.
    expect(source.historyAsked.map((a) => a.id)).toEqual(["backup-nas"]);
    const asked = source.historyAsked[0];
    // Every series the host's graphs draw.
    expect(asked?.query.metrics).toEqual(RECORDED_METRICS);
    for (const graphed of ["cpu.total_pct", "memory.used_pct", "network[*].rx_bps"]) {
      expect(RECORDED_METRICS).toContain(graphed);
    }
    expect(asked?.query.from).toBe("-3600000ms");
    expect(asked?.timeoutMs).toBe(SEED_TIMEOUT_MS);
    expect(SEED_TIMEOUT_MS).toBeLessThanOrEqual(5000);
    // Opening it, going back, new frames: no second request.
    await openHost(t);
    await t.press("ESCAPE");
    source.set({ hosts: fleetHosts(NOW_MS + 1000, 50) });
    await t.lines();
    expect(source.historyAsked.map((a) => a.id)).toEqual(["backup-nas", "pve-web"]);
    // A new connection asks again: the node may have recorded while the link was down.
    source.set({ session: 2, hosts: fleetHosts(NOW_MS + 2000, 50) });
    await Bun.sleep(5);
    expect(source.historyAsked.map((a) => a.id)).toEqual(["backup-nas", "pve-web", "pve-web"]);
  });

  test("scrolling past hosts asks only for the one it stops at, one request at a time", async () => {
    const source = recordingSource();
    let release: (() => void) | null = null;
    source.answerHistory = (id) =>
      new Promise<ApiResult<HistoryResponse>>((resolve) => {
        release = () => resolve({ ok: true, value: recordedHour(id) });
      });
    const t = await open(source, 120, 40);
    expect(source.historyAsked.map((a) => a.id)).toEqual(["backup-nas"]);
    t.mockInput.pressArrow("down");
    t.mockInput.pressArrow("down");
    await t.lines();
    expect(source.historyAsked).toHaveLength(1);
    (release as (() => void) | null)?.();
    await Bun.sleep(5);
    expect(source.historyAsked.map((a) => a.id)).toEqual(["backup-nas", "dns"]);
  });

  test("g switches the graphs between the recorded hour and one column per interval", async () => {
    const t = await open(recordingSource(), 120, 40);
    await openHost(t);
    await t.press("g");
    let screen = (await t.lines()).join("\n");
    expect(screen).toContain(LIVE_SPAN);
    expect(screen).not.toContain("· 1h");
    await t.press("g");
    screen = (await t.lines()).join("\n");
    expect(screen).toContain("─ cpu 8 cores · 1h");
  });

  test("on the live scale, recorded steps fill the graph before the live points", async () => {
    const t = await open(recordingSource(), 120, 40);
    const lines = await openHost(t);
    await t.press("g");
    const graph = boxRows(await t.lines(), "cpu 8 cores").slice(1, 5);
    // 118 one-second columns: the hour's last 15 s steps (about 95%) held, then the live 47.5%.
    const bottom = graph[graph.length - 1] ?? "";
    expect(bottom.trim().length).toBe(bottom.length);
    expect(graph[0]?.slice(0, 100)).toMatch(/^[▆▇]{100}$/);
    expect(graph[0]?.slice(-1)).toBe(" ");
    expect(graph[2]?.slice(-1)).toBe("█");
    expect(lines.length).toBe(40);
  });

  test("a failed request leaves the graphs live and says why in the status bar", async () => {
    const source = recordingSource();
    source.answerHistory = async () => ({
      ok: false,
      error: { kind: "network", message: "the receiver did not answer in time" },
    });
    const t = await open(source, 120, 40);
    const lines = await openHost(t);
    expect(lines[39]).toContain(
      "no recorded history for pve-web: cannot reach the receiver (the receiver did not answer in time)",
    );
    expect(lines.join("\n")).toContain(LIVE_SPAN);
    // Once for the previewed backup-nas, once for pve-web: a failure is not asked again.
    expect(source.historyAsked.map((x) => x.id)).toEqual(["backup-nas", "pve-web"]);
    expect(t.errors).toEqual([]);
  });

  test("nothing is asked of a node without history, nor of a sender", async () => {
    const source = recordingSource();
    source.set({ features: { history: null, alerts: false } });
    const t = await open(source, 120, 40);
    await openHost(t);
    expect(source.historyAsked).toEqual([]);
    expect((await t.lines()).join("\n")).toContain(LIVE_SPAN);
  });

  test("an answer with no points keeps the live scale", async () => {
    const source = recordingSource();
    source.answerHistory = async (id) => ({ ok: true, value: { ...recordedHour(id), series: {} } });
    const t = await open(source, 120, 40);
    await openHost(t);
    expect((await t.lines()).join("\n")).toContain(LIVE_SPAN);
  });
});
