// `hwm demo`: hwm without a fleet. A dozen simulated hosts on loopback (busy, hot, full, offline,
// unauthorized, with a GPU, a Proxmox host with guests and containers, a failing disk, a failed
// unit) from the fleet simulator the benchmarks use, a receiver polling them, and the terminal
// dashboard on it; the web dashboard's URL is printed.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand, runCommand } from "citty";
import { formatListen, isLoopbackHost, parseListen, UsageError } from "../config/index.ts";
import { type FleetHost, fleetConfigToml, startFleet } from "../demo/fleet.ts";

const DEFAULT_LISTEN = "127.0.0.1:7070";

/**
 * The demo fleet: mostly quiet VMs, and one of each thing a dashboard must make stand out. The
 * Proxmox host's guests db, git, dns and monitoring are hosts here too, so the page links them.
 */
export const DEMO_HOSTS: readonly FleetHost[] = [
  { name: "pve", character: "hypervisor" },
  { name: "pve-web", character: "busy" },
  { name: "media", character: "hot" },
  { name: "nas", character: "full" },
  { name: "gpu-box", character: "gpu" },
  { name: "old-laptop", character: "offline" },
  { name: "guest-vm", character: "unauthorized" },
  { name: "db" },
  { name: "git" },
  { name: "dns" },
  { name: "backup", character: "failing-disk" },
  { name: "monitoring", character: "failed-unit" },
  { name: "minecraft" },
];

/** A port free on `host` now, so that the URL can be printed before the receiver starts. */
function freePort(host: string, port: number): number {
  const listener = Bun.listen({ hostname: host, port, socket: { data() {} } });
  listener.stop(true);
  return listener.port;
}

/** The port to listen on: the one asked for (0: any), or any free one when the default is taken. */
function choosePort(host: string, port: number, explicit: boolean): number {
  try {
    return freePort(host, port);
  } catch (err) {
    if (explicit) {
      throw new UsageError(`--listen ${formatListen({ host, port })}: ${(err as Error).message}`);
    }
    return freePort(host, 0);
  }
}

export default defineCommand({
  meta: {
    name: "demo",
    description:
      "Try hwm without a fleet: a receiver with a dozen simulated hosts on loopback, and its dashboards.",
  },
  args: {
    listen: {
      type: "string",
      valueHint: "HOST:PORT",
      description: `Where the web dashboard listens, loopback only (default ${DEFAULT_LISTEN}, or a free port when that one is taken)`,
    },
    tui: {
      type: "boolean",
      default: true,
      description: "Show the terminal dashboard (--no-tui: serve the web dashboard only)",
    },
  },
  async run({ args }) {
    const listen = parseListen(args.listen ?? DEFAULT_LISTEN);
    if (typeof listen === "string") throw new UsageError(`--listen: ${listen}`);
    if (!isLoopbackHost(listen.host)) {
      throw new UsageError(
        `--listen ${args.listen}: the demo listens on loopback only (127.0.0.1, [::1] or localhost)`,
      );
    }
    const port = choosePort(listen.host, listen.port, args.listen !== undefined);
    const address = formatListen({ host: listen.host, port });
    const senderToken = randomBytes(32).toString("base64url");
    const fleet = await startFleet({ senders: 0, hosts: DEMO_HOSTS, token: senderToken });
    const dir = mkdtempSync(join(tmpdir(), "hwm-demo-"));
    try {
      const config = join(dir, "demo.toml");
      writeFileSync(
        config,
        fleetConfigToml(fleet.senders, { senderToken, listen: address, intervalMs: 1000 }),
        { mode: 0o600 },
      );
      process.stderr.write(
        `hwm demo: ${DEMO_HOSTS.length} simulated hosts on loopback (a Proxmox host with guests; busy, hot, full, offline, unauthorized, a GPU, a failing disk, a failed unit)\n` +
          `hwm demo: web dashboard at http://${address}/ (no login: loopback only); Ctrl-C${args.tui ? " or q" : ""} stops it\n`,
      );
      const run = (await import("./run.ts")).default;
      await runCommand(run, {
        rawArgs: ["--config", config, ...(args.tui ? [] : ["--no-tui"])],
      });
    } finally {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
