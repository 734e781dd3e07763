// `hwm [--role ...]`: resolve the config, start the node, show the terminal dashboard when on a
// terminal (quitting it stops the node), run until SIGINT/SIGTERM.
import { defineCommand } from "citty";
import { type CliFlags, type Config, resolveConfig, startupWarnings } from "../config/index.ts";
import { createLogger, type Logger } from "../log.ts";
import { type RunningNode, startNode } from "../node.ts";
import { certificateFingerprint } from "../server/fingerprint.ts";
import type { TuiSession } from "../tui/index.ts";
import { loadTui } from "../tui/load.ts";
import { normalizeNodeUrl } from "../tui/url.ts";
import { runArgs } from "./run-args.ts";

/** Warnings kept while the dashboard owns the screen, printed after it gives the terminal back. */
const MAX_HELD_LINES = 50;

/**
 * Log lines go to stderr, except while the dashboard owns the screen: then info and debug are
 * dropped and warnings go to its status bar (and are printed once it is gone).
 */
class LogRoute {
  screen: TuiSession | null = null;
  private readonly held: string[] = [];

  readonly write = (line: string): void => {
    if (!this.screen) {
      process.stderr.write(`${line}\n`);
      return;
    }
    // formatLine: "<ISO time> <level> <message and fields>"
    const [, level = "", ...rest] = line.split(" ");
    if (level !== "warn" && level !== "error") return;
    this.held.push(line);
    if (this.held.length > MAX_HELD_LINES) this.held.shift();
    this.screen.notify(level, rest.join(" "));
  };

  release(): void {
    this.screen = null;
    for (const line of this.held.splice(0)) process.stderr.write(`${line}\n`);
  }
}

async function showDashboard(
  config: Config,
  node: RunningNode,
  log: Logger,
): Promise<TuiSession | null> {
  const loaded = await loadTui();
  if (!loaded.ok) {
    log.warn(`${loaded.message}: running headless`);
    log.debug("terminal dashboard", { reason: loaded.reason });
    return null;
  }
  const url = normalizeNodeUrl(node.url);
  return loaded.tui.startTui({
    url: typeof url === "string" ? url : node.url,
    // A receiver's dashboard is opened with the dashboard's secret, a sender's with the fleet token.
    token: config.role === "sender" ? config.token : (config.dashboard.token ?? config.token),
    fingerprint: config.tls ? certificateFingerprint(config.tls.cert) : null,
    intervalMs: config.intervalMs,
  });
}

export default defineCommand({
  meta: { name: "run", description: "Run a node (the default command).", hidden: true },
  args: runArgs,
  async run({ args }) {
    // citty's parsed args are the flags themselves, typed by their definitions.
    const flags: CliFlags = args;
    const config = resolveConfig(flags, process.env);
    const route = new LogRoute();
    const log = createLogger(config.logLevel, route.write);
    for (const warning of startupWarnings(config)) log.warn(warning);
    // Keys need stdin too: a dashboard that cannot be quitted with q would be a trap.
    const onTerminal = process.stdout.isTTY === true && process.stdin.isTTY === true;
    const withScreen = config.tui && onTerminal;
    const node = await startNode(config, log, {
      reloadConfig: () => resolveConfig(flags, process.env),
    });
    if (config.role !== "sender") log.info("web dashboard", { url: `${node.url}/` });
    let screen: TuiSession | null = null;
    try {
      screen = withScreen ? await showDashboard(config, node, log) : null;
    } catch (err) {
      await node.stop();
      throw err;
    }
    route.screen = screen;
    await new Promise<void>((resolve, reject) => {
      let stopping = false;
      const shutdown = async (reason: string, error?: unknown) => {
        if (stopping) return;
        stopping = true;
        if (screen) await screen.stop();
        route.release();
        log.info("stopping", reason.startsWith("SIG") ? { signal: reason } : { reason });
        await node.stop().catch(() => {});
        if (error === undefined) resolve();
        else reject(error);
      };
      process.once("SIGINT", () => void shutdown("SIGINT"));
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      // The user started the node in the foreground: quitting its dashboard stops it.
      screen?.done.then(
        () => void shutdown("dashboard closed"),
        (err: unknown) => void shutdown("dashboard failed", err),
      );
    });
  },
});
