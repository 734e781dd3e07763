// The terminal dashboard's host view of a Proxmox host, in a real terminal (tmux) with the real
// program and a real receiver polling a simulated fleet on loopback: the guests panel lists the
// VMs and CTs with the busy one first and the stopped one marked, the containers and health
// panels are there, and a host with a failing disk sorts among the problems and names the disk on its view.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Fleet, fleetConfigToml, startFleet } from "../../scripts/bench/fleet-harness.ts";
import { hwmCommand, type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";
import { externalTool } from "../helpers/tools.ts";

const tmuxTool = externalTool("tmux", "tmux", "the terminal dashboard's guests e2e test");
const tmuxReady = !tmuxTool.skip;

const dir = mkdtempSync(join(tmpdir(), "hwm-tui-guests-"));
/** Our own tmux server, its socket in our temporary directory: nothing shared, nothing left. */
const SOCKET = join(dir, "tmux.sock");
let fleet: Fleet | null = null;
let receiver: RunningProcess | null = null;

function tmux(...args: string[]): string {
  const r = Bun.spawnSync([tmuxTool.path(), "-S", SOCKET, ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  return r.stdout.toString();
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Polls the screen (bounded) until `ok` holds; returns it, or throws with what was there. */
async function waitFor(ok: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = tmux("capture-pane", "-p", "-t", "g");
    if (ok(text)) return text;
    await Bun.sleep(100);
  }
  throw new Error(`screen never matched; it showed:\n${text}`);
}

const keys = (...k: string[]) => tmux("send-keys", "-t", "g", ...k);

beforeAll(async () => {
  if (!tmuxReady) return;
  fleet = await startFleet({
    senders: 0,
    token: TOKEN,
    hosts: [
      { name: "pve", character: "hypervisor" },
      { name: "store", character: "failing-disk" },
    ],
  });
  const config = join(dir, "fleet.toml");
  writeFileSync(
    config,
    fleetConfigToml(fleet.senders, { token: TOKEN, listen: "127.0.0.1:0", intervalMs: 500 }),
  );
  receiver = await startHwm(["--config", config, "--no-tui"]);
}, 30_000);

afterAll(async () => {
  if (tmuxReady) tmux("kill-server");
  await receiver?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.skipIf(!tmuxReady)(
  "a Proxmox host's view lists its guests, containers and health; a failing disk is named",
  async () => {
    if (!receiver) throw new Error("no receiver");
    const env = `HOME=${quote(dir)} XDG_CONFIG_HOME=${quote(join(dir, "config"))} PS1='$ '`;
    tmux(
      "new-session",
      "-d",
      "-s",
      "g",
      "-x",
      "160",
      "-y",
      "50",
      `env ${env} bash --norc --noprofile`,
    );
    const command = [...hwmCommand(), "tui", receiver.url, "--token", TOKEN].map(quote).join(" ");
    keys("-l", command);
    keys("Enter");
    // Problems first: the failing disk puts store above pve (by name it would be below).
    const fleetScreen = await waitFor((s) => /▸ store\s/.test(s) && s.includes("pve"));
    expect(fleetScreen.indexOf("store")).toBeLessThan(fleetScreen.indexOf(" pve "));
    // store is selected first: its health names the failing disk, first in the panel.
    keys("Enter");
    const store = await waitFor(
      (s) => /hwm\s+store ● online/.test(s) && s.includes("health · 1 disk failing"),
    );
    expect(store).toMatch(/sda\s+▲ FAILING/);

    // Then pve: its guests, the busy one first and the stopped one marked, containers, health.
    keys("Escape");
    // Down only once the fleet is back: sent at once, Esc and ↓ would read as one Alt sequence.
    await waitFor((s) => /hwm\s+fleet/.test(s) && /▸ store\s/.test(s));
    keys("Down");
    await waitFor((s) => /▸ pve\s/.test(s));
    keys("Enter");
    const host = await waitFor(
      // The first reading has no CPU yet (a rate needs two): wait for the second.
      (s) =>
        /guests 5\/6 running/.test(s) && /ci-runner\s+VM\s+\d+%/.test(s) && /containers 4/.test(s),
    );
    const lines = host.split("\n");
    const row = (name: string) => lines.find((l) => new RegExp(`[●○‖] ${name}\\b`).test(l)) ?? "";
    for (const name of ["db", "git", "dns", "monitoring", "ci-runner", "win11"])
      expect(row(name)).not.toBe("");
    expect(row("win11")).toContain("stopped");
    expect(row("win11")).toContain("○ win11");
    expect(row("ci-runner")).toMatch(/VM\s+\d+%/);
    // The busiest guest first: ci-runner at ~95 % of its one core; the stopped one last.
    const order = ["ci-runner", "db", "win11"].map((n) => lines.indexOf(row(n)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(host).toContain("homeassistant");
    expect(host).toContain("rpool");
    keys("q");
  },
  60_000,
);
