// The terminal dashboard at 80x24, 120x40 and 200x60 in a real terminal (tmux) against a real
// receiver polling the demo fleet simulator (`hwm demo --no-tui`): the fleet problems first with
// the unauthorized and offline hosts' reasons in their rows, `s` cycling the order with the title
// naming it, and the host view with what each size has room for (network before sensors at
// 80x24; memory, network totals, per-sensor graphs beside the processes at 200x60), every graph
// with its scale. Content is asserted, not pixels: the numbers move from frame to frame.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hwmCommand, type RunningProcess, startHwm } from "../helpers/process.ts";
import { externalTool } from "../helpers/tools.ts";

const TMUX = externalTool("tmux", "tmux", "the terminal dashboard at three sizes");
const hasTmux = !TMUX.skip;
const maybe = hasTmux ? describe : describe.skip;

const dir = mkdtempSync(join(tmpdir(), "hwm-tui-sizes-"));
/** Our own tmux server, its socket in our temporary directory: nothing shared, nothing left. */
const SOCKET = join(dir, "tmux.sock");
let demo: RunningProcess | null = null;

function tmux(...args: string[]): string {
  const r = Bun.spawnSync([TMUX.path(), "-S", SOCKET, ...args], { stdout: "pipe", stderr: "pipe" });
  return r.stdout.toString();
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** A terminal of this size running `hwm tui` on the demo's receiver. */
function terminal(width: number, height: number): string {
  const name = `t${width}x${height}`;
  const command = [...hwmCommand(), "tui", demo?.url ?? ""].map(quote).join(" ");
  tmux("new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command);
  return name;
}

function screen(name: string): string[] {
  return tmux("capture-pane", "-p", "-t", name).split("\n");
}

/** Polls the screen (bounded) until `ok` holds; returns it, or throws with what was there. */
async function waitFor(name: string, ok: (lines: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = screen(name);
    if (ok(lines)) return lines;
    await Bun.sleep(150);
  }
  throw new Error(`screen never matched; it showed:\n${lines.join("\n")}`);
}

/** The fleet table's host ids, top to bottom. */
function hostRows(lines: string[]): string[] {
  const ids: string[] = [];
  for (const line of lines) {
    const match = /^│[▸ ] (\S+)\s+[●○⊘◐◌!]/.exec(line);
    if (match?.[1]) ids.push(match[1]);
  }
  return ids;
}

const row = (lines: string[], id: string) =>
  lines.find((l) => new RegExp(`^│[▸ ] ${id} `).test(l)) ?? "";
const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

beforeAll(async () => {
  if (!hasTmux) return;
  demo = await startHwm(["demo", "--no-tui", "--listen", "127.0.0.1:0"], {}, 20_000);
}, 30_000);

afterAll(async () => {
  if (hasTmux) tmux("kill-server");
  await demo?.stop();
});

maybe("hwm tui on the demo fleet", () => {
  for (const [width, height] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    test(`${width}x${height}: the fleet sorted with reasons, then a host`, async () => {
      const t = terminal(width, height);
      try {
        // The offline host's reason comes once its first request timed out.
        let lines = await waitFor(
          t,
          (l) =>
            row(l, "old-laptop").includes("no answer") &&
            row(l, "guest-vm").includes("refused") &&
            hostRows(l).length === 13,
        );
        expect(lines[1]).toContain("sort: problems first (s)");
        expect(lines[0]).toContain("11 online · 1 offline · 1 unauthorized");
        // Problems first: the hosts that cannot be read lead, by name.
        expect(hostRows(lines).slice(0, 2)).toEqual(["guest-vm", "old-laptop"]);
        expect(row(lines, "guest-vm")).toContain("⊘ unauthorized");
        expect(row(lines, "guest-vm")).toContain("the sender refused the token (HTTP 401)");
        expect(row(lines, "old-laptop")).toContain("○ offline");
        expect(row(lines, "old-laptop")).toMatch(/no answer within \d+ ms/);
        // The full, hot and failing hosts come before the plain quiet ones.
        const order = hostRows(lines);
        expect(order.indexOf("nas")).toBeLessThan(order.indexOf("minecraft"));
        expect(order.indexOf("backup")).toBeLessThan(order.indexOf("minecraft"));
        for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(width);
        if (width >= 120) expect(lines[2]).toContain("CPU max 100%");
        // A wide terminal does not hand the spare columns to the OS name.
        if (width >= 200) {
          const os = (lines[2] ?? "").lastIndexOf(" OS ") + 1;
          expect(os).toBeGreaterThan(0);
          const name = row(lines, "pve").slice(os).replace(/│$/, "").trimEnd();
          expect(name).toMatch(/^[A-Z]\S* .* (x64|arm64)$/);
          expect(name.length).toBeLessThanOrEqual(36);
        }

        tmux("send-keys", "-t", t, "s");
        lines = await waitFor(t, (l) => (l[1] ?? "").includes("sort: name (s)"));
        expect(lines[2]).toContain("HOST▲");
        const named = hostRows(lines);
        expect(named).toEqual([...named].sort(byName));
        tmux("send-keys", "-t", t, "s");
        lines = await waitFor(t, (l) => (l[1] ?? "").includes("sort: cpu (s)"));
        expect(lines[2]).toContain("CPU▼");
        // The busy host heads the CPU order; the ones that cannot be read have no number now.
        expect(hostRows(lines)[0]).toBe("pve-web");
        expect(hostRows(lines).slice(-2).sort()).toEqual(["guest-vm", "old-laptop"]);

        tmux("send-keys", "-t", t, "Home", "Enter");
        lines = await waitFor(
          t,
          (l) => (l[0] ?? "").includes("pve-web ● online") && l.join("\n").includes("PID"),
        );
        const text = lines.join("\n");
        for (const panel of ["─ cpu 8 cores", "─ memory", "─ network", "─ processes"]) {
          expect(text).toContain(panel);
        }
        for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(width);
        if (width === 80) {
          // Little room: network is kept before sensors.
          expect(text).not.toContain("─ sensors");
          expect(lines[height - 1]).toContain("no room");
        } else {
          // The graphs carry their span and scale.
          expect(text).toMatch(/─ cpu 8 cores · [\dhms ]+ · max 100%/);
          expect(text).toMatch(/─ network · [\dhms ]+ · max [\d.]+\s\S?i?B\/s/);
          expect(text).toMatch(/─ sensors · [\dhms ]+ · max \d+°C/);
          expect(text).toContain("received, total · max");
        }
        if (width === 200) {
          // Processes beside the panels, and the rows that were empty are graphs now.
          expect(lines[1]).toMatch(/─ cpu 8 cores.*─ processes/);
          expect(text).toMatch(/─ memory · [\dhms ]+ · max 100%/);
          expect(text).toContain("sent, total · max");
          // The memory graph takes the left column's spare rows (35 of them were empty before).
          const top = lines.findIndex((l) => l.includes("─ memory"));
          const bottom = lines.findIndex((l, i) => i > top && l.startsWith("╰"));
          expect(bottom - top).toBeGreaterThan(15);
        }
      } finally {
        tmux("kill-session", "-t", t);
      }
    }, 60_000);
  }
});
