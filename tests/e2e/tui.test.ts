// The terminal dashboard as people use it, in a real terminal (tmux) with the real program and
// real sender and receiver processes on loopback: what the screen shows, keys, quitting with the
// terminal given back (no alternate screen, echo on), a killed sender turning offline, graphs from
// a receiver's recorded history and its firing alerts, and a headless node that never loads
// OpenTUI's native library.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  hwmCommand,
  ROOT,
  type RunningProcess,
  startHwm,
  startSender,
  TOKEN,
} from "../helpers/process.ts";

const hasTmux = Bun.spawnSync(["sh", "-c", "command -v tmux"]).exitCode === 0;
if (!hasTmux && process.env.CI) throw new Error("tmux is required for the e2e tests in CI");
if (!hasTmux) console.warn("skipped: the terminal dashboard e2e tests: tmux is not installed");
const maybe = hasTmux ? describe : describe.skip;

/**
 * OpenTUI's native library in /proc/PID/maps: libopentui.so from node_modules, or, in the compiled
 * binary (HWM_BIN), the copy Bun extracts from the executable to /tmp/.bun-<hash>.so.
 */
const OPENTUI_LIBRARY = /\/libopentui[^/\s]*\.so|\/\.bun-[^/\s]+\.so/;

const dir = mkdtempSync(join(tmpdir(), "hwm-tui-e2e-"));
/** Our own tmux server, its socket in our temporary directory: nothing shared, nothing left. */
const SOCKET = join(dir, "tmux.sock");
const cleanups: (() => unknown)[] = [];
let session = 0;

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", "-S", SOCKET, ...args], { stdout: "pipe", stderr: "pipe" });
  return r.stdout.toString();
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** A fresh 120x36 terminal running a plain shell, for one test. */
function terminal(): string {
  const name = `t${++session}`;
  const env = `HOME=${quote(dir)} XDG_CONFIG_HOME=${quote(join(dir, "config"))} PS1='$ '`;
  tmux(
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    "120",
    "-y",
    "36",
    `env ${env} bash --norc --noprofile`,
  );
  cleanups.push(() => tmux("kill-session", "-t", name));
  return name;
}

function screen(name: string): string {
  return tmux("capture-pane", "-p", "-t", name);
}

/** Polls the screen (bounded) until `ok` holds; returns it, or throws with what was there. */
async function waitFor(
  name: string,
  ok: (text: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = screen(name);
    if (ok(text)) return text;
    await Bun.sleep(100);
  }
  throw new Error(`screen never matched; it showed:\n${text}`);
}

function keys(name: string, ...k: string[]): void {
  tmux("send-keys", "-t", name, ...k);
}

function run(name: string, args: string[]): void {
  keys(name, "-l", [...hwmCommand(), ...args].map(quote).join(" "));
  keys(name, "Enter");
}

/** The program ended: the shell's prompt is the last line (typing earlier could be flushed). */
function atPrompt(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines[lines.length - 1]?.trim() === "$";
}

/** After the program ended: the shell is back, not in the alternate screen, and echo is on. */
async function expectTerminalRestored(name: string, exitCode = 0): Promise<void> {
  await waitFor(name, atPrompt);
  keys(
    name,
    "-l",
    "s=$?; clear; echo EXIT=$s; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo -e icanon -e -icanon",
  );
  keys(name, "Enter");
  const text = await waitFor(name, (t) => /EXIT=\d+[\s\S]*(icanon|-icanon)/.test(t));
  expect(text).toContain(`EXIT=${exitCode}`);
  expect(text.split("\n").map((l) => l.trim())).toContain("echo");
  expect(text.split("\n").map((l) => l.trim())).toContain("icanon");
  expect(tmux("display", "-p", "-t", name, "#{alternate_on}").trim()).toBe("0");
}

let sender: RunningProcess;
let receiver: RunningProcess;
let hostname = "";

beforeAll(async () => {
  if (!hasTmux) return;
  sender = await startSender();
  cleanups.push(() => sender.stop());
  const config = join(dir, "fleet.toml");
  writeFileSync(
    config,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 500\n` +
      `[[senders]]\nname = "web-1"\nurl = "${sender.url}"\n`,
  );
  receiver = await startHwm(["--config", config, "--no-tui"]);
  cleanups.push(() => receiver.stop());
  const info = await fetch(`${sender.url}/api/v1/info`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  hostname = ((await info.json()) as { hostname: string }).hostname;
}, 30_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (hasTmux) tmux("kill-server");
});

maybe("hwm tui attached to a receiver", () => {
  test("fleet, drill-down, sorting, help, back; q gives the terminal back", async () => {
    const t = terminal();
    run(t, ["tui", receiver.url, "--token", TOKEN]);
    const fleet = await waitFor(
      t,
      (s) => s.includes("web-1") && s.includes("● online") && s.includes("● live"),
    );
    expect(fleet).toContain("fleet");
    expect(tmux("display", "-p", "-t", t, "#{alternate_on}").trim()).toBe("1");
    // Values change from frame to frame (the CPU and the uptime at least).
    const row = (s: string) => s.split("\n").find((l) => l.includes("web-1")) ?? "";
    const before = row(fleet);
    await waitFor(t, (s) => row(s) !== before && row(s).includes("● online"));

    keys(t, "Enter");
    const host = await waitFor(
      t,
      (s) => s.includes("processes") && s.includes("PID") && /\d+\.\d%/.test(s),
    );
    expect(host).toContain("web-1 ● online");
    expect(host).toContain("cores");
    keys(t, "m");
    await waitFor(t, (s) => s.includes("MEM▼"));
    keys(t, "?");
    await waitFor(t, (s) => s.includes("help — keys"));
    keys(t, "x");
    await waitFor(t, (s) => !s.includes("help — keys"));
    keys(t, "Escape");
    await waitFor(t, (s) => s.includes("fleet") && s.includes("HOST"));
    keys(t, "q");
    await expectTerminalRestored(t);
  }, 60_000);

  test("a killed sender turns offline on screen", async () => {
    const doomed = await startSender();
    const config = join(dir, "doomed.toml");
    writeFileSync(
      config,
      `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 500\n` +
        `[[senders]]\nname = "doomed"\nurl = "${doomed.url}"\n`,
    );
    const fleetNode = await startHwm(["--config", config, "--no-tui"]);
    cleanups.push(() => fleetNode.stop());
    const t = terminal();
    run(t, ["tui", fleetNode.url, "--token", TOKEN]);
    await waitFor(t, (s) => /doomed\s+● online/.test(s));
    doomed.proc.kill("SIGKILL");
    const after = await waitFor(t, (s) => /doomed\s+○ offline/.test(s));
    expect(after).toContain("1 offline");
    keys(t, "q");
    await expectTerminalRestored(t);
  }, 60_000);
});

maybe("hwm tui attached to a receiver that records and alerts", () => {
  test("graphs start from the recorded hour; a firing alert is marked and named", async () => {
    const config = join(dir, "recording.toml");
    writeFileSync(
      config,
      `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 500\n` +
        `[history]\nenabled = true\ninterval_ms = 500\npath = "${join(dir, "recording.db")}"\n` +
        `[[alerts]]\nname = "busy"\nwhen = "cpu.total_pct >= 0"\n` +
        `[[senders]]\nname = "web-1"\nurl = "${sender.url}"\n`,
    );
    const recording = await startHwm(["--config", config, "--no-tui"]);
    cleanups.push(() => recording.stop());
    // A few recordings before the dashboard comes.
    await Bun.sleep(2500);
    const t = terminal();
    run(t, ["tui", recording.url, "--token", TOKEN]);
    const fleet = await waitFor(t, (s) => /web-1\s+● online ▲1/.test(s));
    expect(fleet).toContain("▲ 1 alert firing");
    keys(t, "Enter");
    const host = await waitFor(t, (s) => s.includes("cpu.total_pct is") && s.includes("· 1h"));
    expect(host.split("\n")[0]).toContain("web-1 ● online  ▲ cpu.total_pct is");
    expect(host).toMatch(/─ cpu \d+ cores · 1h/);
    keys(t, "g");
    await waitFor(t, (s) => /─ cpu \d+ cores · (\d+m )?\d+s/.test(s));
    keys(t, "q");
    await expectTerminalRestored(t);
  }, 60_000);
});

maybe("hwm tui: other ways out", () => {
  test("Ctrl+C quits and restores the terminal", async () => {
    const t = terminal();
    run(t, ["tui", sender.url, "--token", TOKEN]);
    await waitFor(t, (s) => s.includes(`${hostname} ● online`) && s.includes("PID"));
    keys(t, "C-c");
    await expectTerminalRestored(t);
  }, 60_000);

  test("closing the terminal (SIGHUP) ends it", async () => {
    const t = terminal();
    run(t, ["tui", sender.url, "--token", TOKEN]);
    await waitFor(t, (s) => s.includes("PID"));
    const shell = tmux("display", "-p", "-t", t, "#{pane_pid}").trim();
    const child = Number(
      Bun.spawnSync(["pgrep", "-P", shell]).stdout.toString().trim().split("\n")[0],
    );
    expect(child).toBeGreaterThan(0);
    tmux("kill-session", "-t", t);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && Bun.spawnSync(["kill", "-0", String(child)]).exitCode === 0) {
      await Bun.sleep(100);
    }
    expect(Bun.spawnSync(["kill", "-0", String(child)]).exitCode).not.toBe(0);
  }, 60_000);

  test("a foreground node with a config file (SIGHUP reloads it) stops when its terminal closes", async () => {
    const config = join(dir, "foreground.toml");
    writeFileSync(config, `role = "both"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\n`);
    const t = terminal();
    run(t, ["--config", config]);
    await waitFor(t, (s) => s.includes("fleet") && s.includes("● live"));
    const shell = tmux("display", "-p", "-t", t, "#{pane_pid}").trim();
    const child = Number(
      Bun.spawnSync(["pgrep", "-P", shell]).stdout.toString().trim().split("\n")[0],
    );
    expect(child).toBeGreaterThan(0);
    tmux("kill-session", "-t", t);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && Bun.spawnSync(["kill", "-0", String(child)]).exitCode === 0) {
      await Bun.sleep(100);
    }
    expect(Bun.spawnSync(["kill", "-0", String(child)]).exitCode).not.toBe(0);
  }, 60_000);

  test("a wrong token says so on screen; q still quits", async () => {
    const t = terminal();
    run(t, ["tui", sender.url, "--token", "wrong-token-0123456789abcdef"]);
    await waitFor(t, (s) => s.includes("refused the token (HTTP 401)"));
    keys(t, "q");
    await expectTerminalRestored(t);
  }, 60_000);
});

maybe("hwm in the foreground on a terminal", () => {
  test("a sender shows its own host; q stops it and restores the terminal", async () => {
    const t = terminal();
    run(t, ["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN]);
    const shown = await waitFor(t, (s) => s.includes(`${hostname} ● online`) && s.includes("PID"));
    expect(shown).toContain("cpu");
    expect(shown).toContain("memory");
    keys(t, "q");
    await waitFor(t, (s) => s.includes("stopping"));
    await expectTerminalRestored(t);
  }, 60_000);

  test("role both shows the fleet of itself; SIGTERM restores the terminal too", async () => {
    const t = terminal();
    run(t, ["--role", "both", "--listen", "127.0.0.1:0", "--token", TOKEN]);
    await waitFor(t, (s) => s.includes("fleet") && s.includes(hostname) && s.includes("● live"));
    const shell = tmux("display", "-p", "-t", t, "#{pane_pid}").trim();
    const child =
      Bun.spawnSync(["pgrep", "-P", shell]).stdout.toString().trim().split("\n")[0] ?? "";
    expect(child).toMatch(/^\d+$/);
    expect(readFileSync(`/proc/${child}/maps`, "utf8")).toMatch(OPENTUI_LIBRARY);
    process.kill(Number(child), "SIGTERM");
    await waitFor(t, (s) => s.includes("stopping"));
    await expectTerminalRestored(t);
  }, 60_000);

  test("hwm demo opens the fleet of simulated hosts, the URL printed; q stops it all", async () => {
    const t = terminal();
    run(t, ["demo", "--listen", "127.0.0.1:0"]);
    const shown = await waitFor(
      t,
      (s) =>
        s.includes("● live") &&
        ["pve-web", "nas", "gpu-box", "old-laptop", "guest-vm"].every((h) => s.includes(h)),
      20_000,
    );
    expect(shown).toContain("fleet");
    expect(shown).toContain("unauthorized");
    keys(t, "q");
    const after = await waitFor(t, atPrompt);
    expect(after).toMatch(/web dashboard at http:\/\/127\.0\.0\.1:\d+\//);
    await expectTerminalRestored(t);
  }, 60_000);
});

// On linux-x64 with glibc, asking OpenTUI for its musl library is a real missing native library.
const muslMissing =
  process.platform === "linux" &&
  process.arch === "x64" &&
  !existsSync(join(ROOT, "node_modules/@opentui/core-linux-x64-musl"));

maybe("a build without OpenTUI's native library for its platform", () => {
  test.if(muslMissing)(
    "says so in one line and runs headless; hwm tui fails with the reason",
    async () => {
      const t = terminal();
      keys(t, "-l", "export OPENTUI_LIBC=musl");
      keys(t, "Enter");
      run(t, ["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN]);
      const text = await waitFor(t, (s) => s.includes("running headless"));
      expect(text).toContain(
        "warn the terminal dashboard is not available in this build for linux-x64: running headless",
      );
      expect(tmux("display", "-p", "-t", t, "#{alternate_on}").trim()).toBe("0");
      const url = /listening url=(\S+)/.exec(text.replaceAll("\n", ""))?.[1] ?? "";
      const res = await fetch(`${url}/api/v1/info`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      keys(t, "C-c");
      await waitFor(t, atPrompt);
      run(t, ["tui", url, "--token", TOKEN]);
      const failed = await waitFor(t, (s) =>
        s.includes("hwm: the terminal dashboard is not available"),
      );
      expect(failed).toContain("linux-x64");
      await expectTerminalRestored(t, 1);
    },
    60_000,
  );
});

describe("headless", () => {
  test("a sender without a terminal never loads OpenTUI's native library", async () => {
    const headless = await startHwm(["--role", "sender", "--listen", "127.0.0.1:0"]);
    cleanups.push(() => headless.stop());
    const res = await fetch(`${headless.url}/api/v1/snapshot?sections=cpu`);
    expect(res.status).toBe(200);
    const maps = readFileSync(`/proc/${headless.proc.pid}/maps`, "utf8");
    expect(maps).not.toMatch(OPENTUI_LIBRARY);
    expect(headless.log()).not.toContain("terminal dashboard");
  });
});
