// Firing alerts on screen: a red "▲N" in the fleet table's status cell and a count in the titles,
// the first alert's message (and how many more) in the host view's header, all within 80x24 and
// 120x40, and "alert" as a fleet filter.
import { afterEach, describe, expect, test } from "bun:test";
import { COLORS } from "../../../src/tui/theme.ts";
import { alertingHosts, FakeSource, fleetHosts, NOW_MS } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

function alertingSource(): FakeSource {
  return new FakeSource({
    kind: "receiver",
    link: "live",
    hosts: alertingHosts(),
    features: { history: null, alerts: true },
    session: 1,
  });
}

async function open(width: number, height: number, source = alertingSource()): Promise<Harness> {
  harness = await startHarness(source, width, height);
  return harness;
}

const row = (lines: string[], id: string) => lines.find((l) => l.includes(` ${id} `)) ?? "";

for (const [w, h] of [
  [80, 24],
  [120, 40],
] as const) {
  describe(`at ${w}x${h}`, () => {
    test("the fleet table marks the hosts with firing alerts", async () => {
      const t = await open(w, h);
      const lines = await t.lines();
      for (const line of lines) expect(Bun.stringWidth(line)).toBe(w);
      expect(lines[0]).toContain("▲ 3 alerts firing");
      expect(lines[1]).toContain("fleet 3 hosts · 2 online · ▲ 2 alerting");
      expect(row(lines, "pve-web")).toContain("● online ▲2");
      // The count is kept over the last-seen time when both do not fit.
      expect(row(lines, "backup-nas")).toContain("○ offline ▲1");
      expect(row(lines, "dns")).not.toContain("▲");
      expect(lines.join("\n")).toMatchSnapshot();
    });

    test("the host view's header gives the first alert's message and how many more", async () => {
      const t = await open(w, h);
      // Problems first: the offline backup-nas heads the table, pve-web follows.
      t.mockInput.pressArrow("down");
      t.mockInput.pressEnter();
      await Bun.sleep(5);
      const lines = await t.lines();
      for (const line of lines) expect(Bun.stringWidth(line)).toBe(w);
      expect(lines[0]).toContain("pve-web ● online  ▲ disks[/var/lib/postgresql].used_pct is 93");
      expect(lines[0]).toContain("+1 more");
      expect(lines.join("\n")).toMatchSnapshot();
    });
  });
}

test("the alert colour: the marker is drawn in the theme's red, the status in its own", async () => {
  const t = await open(80, 24);
  await t.frame();
  const hex = (c: { r: number; g: number; b: number }) =>
    [c.r, c.g, c.b]
      .map((x) =>
        Math.round(x * 255)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("");
  const colourOf = (text: string) => {
    for (const line of t.captureSpans().lines) {
      const span = line.spans.find((s) => s.text.includes(text));
      if (span) return `#${hex(span.fg)}`;
    }
    throw new Error(`"${text}" not drawn`);
  };
  expect(colourOf("▲2")).toBe(COLORS.bad);
  expect(colourOf("▲1")).toBe(COLORS.bad);
  expect(colourOf("▲ 3 alerts firing")).toBe(COLORS.bad);
  expect(colourOf("● online")).toBe(COLORS.good);
});

test("a long message is cut so that the count of the others stays on screen", async () => {
  const source = alertingSource();
  const [first, ...rest] = alertingHosts();
  if (!first?.alerts?.[0]) throw new Error("fixture");
  const long = { ...first.alerts[0], message: `${"a very long alert message ".repeat(8)}end` };
  source.set({ hosts: [{ ...first, alerts: [long, ...first.alerts.slice(1)] }, ...rest] });
  const t = await open(80, 24, source);
  t.mockInput.pressArrow("down");
  t.mockInput.pressEnter();
  await Bun.sleep(5);
  const header = (await t.lines())[0] ?? "";
  expect(Bun.stringWidth(header)).toBe(80);
  expect(header.trimEnd()).toEndWith("… +1 more");
});

test("a host whose alerts resolve loses its marker", async () => {
  const source = alertingSource();
  const t = await open(80, 24, source);
  expect(row(await t.lines(), "pve-web")).toContain("▲2");
  source.set({ hosts: fleetHosts(NOW_MS + 1000) });
  const lines = await t.lines();
  expect(row(lines, "pve-web")).not.toContain("▲");
  expect(lines[0]).not.toContain("firing");
});

test('"alert" filters the fleet to the hosts with firing alerts; a rule name finds its hosts', async () => {
  const t = await open(80, 24);
  await t.press("/");
  for (const ch of "alert") await t.press(ch);
  let screen = (await t.lines()).join("\n");
  expect(screen).toContain("pve-web");
  expect(screen).toContain("backup-nas");
  expect(screen).not.toContain(" dns ");
  await t.press("ESCAPE");
  await t.press("/");
  for (const ch of "hot_cpu") await t.press(ch);
  screen = (await t.lines()).join("\n");
  expect(screen).toContain("pve-web");
  expect(screen).not.toContain("backup-nas");
});
