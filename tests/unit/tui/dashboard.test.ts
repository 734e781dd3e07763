// The whole dashboard in OpenTUI's test renderer at 80x24 and 160x48: fleet and host views as
// character frames, and keys and mouse doing what the help says (select, open, back, sort,
// filter, help, quit), the watch sent to the source, resizing and reconnecting redrawn.
import { afterEach, describe, expect, test } from "bun:test";
import { busySnapshot, fleetHosts, NOW_MS, receiverSource, senderSource } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

async function open(source = receiverSource(), width = 80, height = 24): Promise<Harness> {
  harness = await startHarness(source, width, height);
  return harness;
}

/** The row and column of the first cell holding `text`. */
function find(lines: string[], text: string): { x: number; y: number } {
  const y = lines.findIndex((l) => l.includes(text));
  if (y < 0) throw new Error(`"${text}" not on screen:\n${lines.join("\n")}`);
  return { x: [...(lines[y] ?? "").slice(0, (lines[y] ?? "").indexOf(text))].length, y };
}

describe("frames", () => {
  for (const [w, h] of [
    [80, 24],
    [160, 48],
  ] as const) {
    test(`fleet view at ${w}x${h}`, async () => {
      const t = await open(receiverSource(), w, h);
      const lines = await t.lines();
      expect(lines[0]).toContain("fleet");
      expect(lines[0]).toContain("2 online · 1 offline");
      // Problems first: the host that cannot be read, the full disk, then the fine one.
      const row = (id: string) => lines.findIndex((l) => l.includes(id));
      expect(lines[row("▸ backup-nas")]).toContain("○ offline 3m");
      expect(lines[row("pve-web")]).toContain("● online");
      expect(row("backup-nas")).toBeLessThan(row("pve-web"));
      expect(row("pve-web")).toBeLessThan(row("dns"));
      expect(lines[h - 1]).toContain("● live");
      expect(lines[h - 1]).toContain("? help");
      expect(lines.join("\n")).toMatchSnapshot();
    });

    test(`host view of a receiver's host at ${w}x${h}`, async () => {
      const source = receiverSource();
      const t = await open(source, w, h);
      t.mockInput.pressArrow("down");
      t.mockInput.pressEnter();
      await Bun.sleep(5);
      source.set({ detail: { id: "pve-web", snapshot: busySnapshot() } });
      const lines = await t.lines();
      expect(lines[0]).toContain("pve-web ● online  up 3d 4h · 8 cores · 32.0 GiB");
      const screen = lines.join("\n");
      for (const panel of ["cpu 8 cores", "memory", "network · ", "disks 3", "processes 213"]) {
        expect(screen).toContain(`─ ${panel}`);
      }
      expect(screen).toContain("30555 www-data   R    65%");
      expect(lines[h - 1]).toContain("Esc back");
      expect(screen).toMatchSnapshot();
    });

    test(`a sender's own host at ${w}x${h}`, async () => {
      const t = await open(senderSource(), w, h);
      const lines = await t.lines();
      expect(lines[0]).toContain("pve-web ● online");
      expect(lines.join("\n")).toContain("node");
      expect(lines[h - 1]).not.toContain("Esc back");
      expect(lines.join("\n")).toMatchSnapshot();
    });

    test(`help overlay at ${w}x${h}`, async () => {
      const t = await open(receiverSource(), w, h);
      await t.press("?");
      const screen = (await t.lines()).join("\n");
      expect(screen).toContain("help — keys");
      expect(screen).toContain("q  Ctrl+C");
      expect(screen).toMatchSnapshot();
      await t.press("x");
      expect((await t.lines()).join("\n")).not.toContain("help — keys");
    });
  }
});

describe("keys", () => {
  test("arrows select, Enter opens and watches the host, Esc goes back and unwatches", async () => {
    const source = receiverSource();
    const t = await open(source);
    await t.frame();
    t.mockInput.pressArrow("down");
    t.mockInput.pressArrow("down");
    let lines = await t.lines();
    expect(lines.find((l) => l.includes("▸"))).toContain("dns");
    t.mockInput.pressEnter();
    lines = await t.lines();
    expect(lines[0]).toContain("dns ● online");
    expect(source.watched).toEqual(["dns"]);
    await t.press("ESCAPE");
    lines = await t.lines();
    expect(lines[0]).toContain("fleet");
    expect(source.watched).toEqual(["dns", null]);
    expect(lines.find((l) => l.includes("▸"))).toContain("dns");
  });

  test("c m p n sort the processes and mark the column", async () => {
    const source = senderSource();
    const t = await open(source);
    const firstRow = async () => {
      const lines = await t.lines();
      const header = lines.findIndex((l) => l.includes("PID"));
      return { header: lines[header] ?? "", row: lines[header + 1] ?? "" };
    };
    expect((await firstRow()).row).toContain("node");
    await t.press("m");
    expect((await firstRow()).header).toContain("MEM▼");
    expect((await firstRow()).row).toContain("postgres");
    await t.press("p");
    expect((await firstRow()).header).toContain("PID▲");
    expect((await firstRow()).row).toContain("systemd");
    await t.press("n");
    expect((await firstRow()).row).toContain("bash");
    await t.press("n");
    expect((await firstRow()).header).toContain("NAME▼");
    expect((await firstRow()).row).toContain("systemd");
  });

  test("/ filters the fleet as you type; Esc clears it", async () => {
    const t = await open();
    await t.press("/");
    for (const ch of "dn") await t.press(ch);
    let lines = await t.lines();
    expect(lines[23]).toContain("filter: dn█");
    expect(lines.join("\n")).not.toContain("backup-nas");
    expect(lines.join("\n")).toContain('filter "dn"');
    t.mockInput.pressEnter();
    await Bun.sleep(5);
    lines = await t.lines();
    expect(lines[23]).not.toContain("filter:");
    expect(lines.join("\n")).not.toContain("pve-web ");
    await t.press("ESCAPE");
    expect((await t.lines()).join("\n")).toContain("backup-nas");
  });

  test("q and Ctrl+C ask to quit", async () => {
    const t = await open();
    await t.press("q");
    expect(t.quits).toBe(1);
    t.mockInput.pressCtrlC();
    await Bun.sleep(5);
    expect(t.quits).toBe(2);
    expect(t.errors).toEqual([]);
  });
});

describe("mouse", () => {
  test("a click selects a host, a second click opens it", async () => {
    const t = await open();
    let lines = await t.lines();
    const at = find(lines, "dns");
    await t.mockMouse.click(at.x, at.y);
    lines = await t.lines();
    expect(lines.find((l) => l.includes("▸"))).toContain("dns");
    await t.mockMouse.click(at.x, at.y);
    lines = await t.lines();
    expect(lines[0]).toContain("dns ● online");
  });

  test("a click on a column header sorts by it, again reverses", async () => {
    const t = await open(senderSource(), 160, 48);
    let lines = await t.lines();
    const pid = find(lines, "PID");
    await t.mockMouse.click(pid.x + 1, pid.y);
    lines = await t.lines();
    expect(lines[pid.y]).toContain("PID▲");
    expect(lines[pid.y + 1]).toContain("      1 root");
    await t.mockMouse.click(pid.x + 1, pid.y);
    lines = await t.lines();
    expect(lines[pid.y]).toContain("PID▼");
    expect(lines[pid.y + 1]).toContain("31001");
    const mem = find(lines, "MEM");
    await t.mockMouse.click(mem.x, mem.y);
    expect((await t.lines())[pid.y]).toContain("MEM▼");
  });

  test("the wheel scrolls the process table", async () => {
    const t = await open(senderSource());
    let lines = await t.lines();
    const header = find(lines, "PID");
    expect(lines[header.y + 1]).toContain("node");
    await t.mockMouse.scroll(10, header.y + 2, "down");
    lines = await t.lines();
    expect(lines[header.y + 1]).not.toContain("node");
    expect(lines.join("\n")).toContain("3-8 of 8");
  });
});

describe("changes from outside", () => {
  test("a resize redraws the layout for the new size", async () => {
    const t = await open(receiverSource(), 80, 24);
    expect((await t.lines())[2]).not.toContain("CPU max 100%");
    t.resize(160, 48);
    await Bun.sleep(20);
    const lines = await t.lines();
    expect(lines).toHaveLength(48);
    expect(lines[2]).toContain("CPU max 100%");
    expect(lines[47]).toContain("● live");
  });

  test("a lost connection says reconnecting; new data recovers the view", async () => {
    const source = receiverSource();
    const t = await open(source);
    source.set({ link: "reconnecting", problem: "connection lost", updatedAtMs: NOW_MS - 12_000 });
    let lines = await t.lines();
    expect(lines[23]).toContain("⟳ reconnecting… connection lost");
    // Each row says how old it is, not a status nobody knows now.
    expect(lines.find((l) => l.includes("pve-web"))).toContain("◌ 12s ago");
    expect(lines.some((l) => l.includes("● online"))).toBe(false);
    source.set({ link: "live", problem: null, hosts: fleetHosts(NOW_MS + 1000, 90) });
    lines = await t.lines();
    expect(lines[23]).toContain("● live");
    expect(lines.find((l) => l.includes("pve-web"))).toContain("90%");
  });

  test("a host that goes offline shows it with its last-seen time", async () => {
    const source = receiverSource();
    const t = await open(source);
    const hosts = fleetHosts().map((h) =>
      h.id === "dns" ? { ...h, status: "offline" as const, last_seen_ms: NOW_MS - 5000 } : h,
    );
    source.set({ hosts });
    expect((await t.lines()).find((l) => l.includes("dns"))).toContain("○ offline 5s");
  });

  test("an error while drawing goes to onError (which restores the terminal), not up the stack", async () => {
    const source = receiverSource();
    const t = await open(source);
    await t.frame();
    // The host whose panels the preview draws: the second in problems-first order.
    t.mockInput.pressArrow("down");
    await t.frame();
    const [first, ...rest] = fleetHosts();
    if (!first?.snapshot?.cpu) throw new Error("fixture");
    const broken = { ...first.snapshot.cpu, cores_pct: null as unknown as number[] };
    source.set({ hosts: [{ ...first, snapshot: { ...first.snapshot, cpu: broken } }, ...rest] });
    expect(t.errors).toHaveLength(1);
    expect(String(t.errors[0])).toContain("TypeError");
  });

  test("warnings from the log show in the status bar", async () => {
    const t = await open();
    t.dashboard.notify("warn", "config reload failed");
    expect((await t.lines())[23]).toContain("config reload failed");
  });
});
