// Layout arithmetic, and the promise behind it: at every terminal size from 80x24 up, no box
// overlaps another or leaves the screen, and no line is wider than its box (graphs over the
// recorded hour and firing alerts included).
import { describe, expect, test } from "bun:test";
import { Trends } from "../../../src/client/trends.ts";
import { columns, type Rect, stack } from "../../../src/tui/layout.ts";
import { INITIAL_UI, reconcile, type UiState } from "../../../src/tui/state.ts";
import { lineText, lineWidth } from "../../../src/tui/text.ts";
import { buildScreen } from "../../../src/tui/views/screen.ts";
import {
  alertingHosts,
  bigSnapshot,
  busySnapshot,
  NOW_MS,
  receiverSource,
  recordedHour,
  senderSource,
} from "./fixtures.ts";

describe("stack", () => {
  const rect = { x: 0, y: 0, width: 40, height: 12 };

  test("minimums first, then wants by priority, spare rows to the grower", () => {
    const { placed, dropped } = stack(rect, [
      { id: "a", min: 3, want: 5, priority: 1 },
      { id: "b", min: 3, want: 3, grow: true, priority: 0 },
      { id: "c", min: 3, want: 4, priority: 2 },
    ]);
    expect(dropped).toEqual([]);
    expect(placed.map((p) => [p.id, p.rect.y, p.rect.height])).toEqual([
      ["a", 0, 5],
      ["b", 5, 3],
      ["c", 8, 4],
    ]);
  });

  test("panels that cannot get their minimum are dropped, lowest priority first", () => {
    const { placed, dropped } = stack(rect, [
      { id: "a", min: 5, want: 5, priority: 0 },
      { id: "b", min: 5, want: 5, priority: 2 },
      { id: "c", min: 5, want: 5, priority: 1 },
    ]);
    expect(dropped).toEqual(["b"]);
    expect(placed.map((p) => p.id)).toEqual(["a", "c"]);
    expect(placed.reduce((n, p) => n + p.rect.height, 0)).toBe(12);
  });

  test("columns split the width exactly", () => {
    const parts = columns({ x: 3, y: 0, width: 81, height: 5 }, [0.5, 0.5]);
    expect(parts.map((p) => [p.x, p.width])).toEqual([
      [3, 41],
      [44, 40],
    ]);
  });
});

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function checkScreen(
  ui: UiState,
  kind: "receiver" | "sender",
  width: number,
  height: number,
  big = false,
  recorded = false,
) {
  const source = kind === "receiver" ? receiverSource() : senderSource();
  if (recorded && kind === "receiver") source.state.hosts = alertingHosts();
  if (big) {
    const [first, ...rest] = source.state.hosts;
    if (first) source.state.hosts = [{ ...first, snapshot: bigSnapshot() }, ...rest];
  }
  const history = new Trends();
  for (let i = 0; i < 5; i++) {
    const tsMs = NOW_MS + i * 1000;
    history.host("pve-web").record(busySnapshot(tsMs, 20 * i), tsMs, 1000);
  }
  if (recorded) history.seed(recordedHour("pve-web"));
  const input = { state: source.state, history, width, height, nowMs: NOW_MS, notice: null };
  let model = buildScreen({ ...input, ui });
  model = buildScreen({ ...input, ui: reconcile(ui, model.facts) });
  const where = `${kind} ${ui.view} ${width}x${height}${recorded ? " recorded" : ""}`;
  expect(model.boxes.length, where).toBeGreaterThan(0);
  // The header is cut at the edge; what the alerts say must end before it.
  const header = lineText(model.header);
  const more = header.indexOf("+1 more");
  if (more >= 0) expect(Bun.stringWidth(header.slice(0, more + 7)) <= width, where).toBe(true);
  for (const [i, box] of model.boxes.entries()) {
    const { x, y, width: w, height: h } = box.rect;
    expect(
      x >= 0 && y >= 1 && x + w <= width && y + h <= height - 1,
      `${where} ${box.id} on screen`,
    ).toBe(true);
    expect(h >= 3, `${where} ${box.id} has a line`).toBe(true);
    expect(box.lines.length <= h - 2, `${where} ${box.id} lines fit`).toBe(true);
    for (const line of box.lines)
      expect(lineWidth(line) <= w - 2, `${where} ${box.id} width`).toBe(true);
    for (const other of model.boxes.slice(i + 1)) {
      expect(overlaps(box.rect, other.rect), `${where} ${box.id} / ${other.id}`).toBe(false);
    }
  }
}

describe("every size from 80x24 up", () => {
  const sizes: [number, number][] = [];
  for (const width of [80, 81, 90, 99, 100, 119, 120, 139, 140, 160, 200, 260]) {
    for (const height of [24, 25, 30, 36, 48, 60]) sizes.push([width, height]);
  }

  test("fleet view: boxes inside the screen, apart, and lines inside their boxes", () => {
    for (const [w, h] of sizes) checkScreen(INITIAL_UI, "receiver", w, h);
  });

  test("host view of a receiver's host", () => {
    const ui: UiState = { ...INITIAL_UI, view: "host", openId: "pve-web", selectedId: "pve-web" };
    for (const [w, h] of sizes) checkScreen(ui, "receiver", w, h);
  });

  test("a sender's own host", () => {
    for (const [w, h] of sizes) checkScreen(INITIAL_UI, "sender", w, h);
  });

  test("graphs over the recorded hour, hosts with firing alerts", () => {
    const ui: UiState = { ...INITIAL_UI, view: "host", openId: "pve-web", selectedId: "pve-web" };
    for (const [w, h] of sizes) {
      checkScreen(INITIAL_UI, "receiver", w, h, false, true);
      checkScreen(ui, "receiver", w, h, false, true);
      checkScreen(ui, "receiver", w, h, true, true);
    }
  });

  test("a large host: 64 cores, 20 mounts, 10 interfaces, 30 sensors, long names", () => {
    for (const [w, h] of sizes) checkScreen(INITIAL_UI, "sender", w, h, true);
    for (const [w, h] of sizes) checkScreen(INITIAL_UI, "receiver", w, h, true);
  });

  test("below the minimum the screen only says so", () => {
    const source = receiverSource();
    const model = buildScreen({
      state: source.state,
      ui: INITIAL_UI,
      history: new Trends(),
      width: 30,
      height: 8,
      nowMs: NOW_MS,
      notice: null,
    });
    expect(model.boxes).toEqual([]);
    expect(model.header.map((s) => s.text).join("")).toContain("terminal too small: 30x8");
  });
});
