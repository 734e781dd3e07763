// `hwm [--role ...]`: resolve the config, start the node, run until SIGINT/SIGTERM.
import { defineCommand } from "citty";
import { resolveConfig } from "../config/load.ts";
import { createLogger } from "../log.ts";
import { startNode } from "../node.ts";
import { runArgs } from "./run-args.ts";

export default defineCommand({
  meta: { name: "run", description: "Run a node (the default command).", hidden: true },
  args: runArgs,
  async run({ args }) {
    const flags = {
      role: args.role,
      config: args.config,
      listen: args.listen,
      token: args.token,
      "interval-ms": args["interval-ms"],
      tui: args.tui,
      "log-level": args["log-level"],
      procfs: args.procfs,
      sysfs: args.sysfs,
    };
    const config = resolveConfig(flags, process.env);
    const log = createLogger(config.logLevel);
    const node = await startNode(config, log, {
      reloadConfig: () => resolveConfig(flags, process.env),
    });
    if (config.role !== "sender") {
      log.info(
        "the web dashboard is not part of this build yet: use GET /api/v1/hosts or WS /api/v1/live",
      );
    }
    if (config.tui && process.stdout.isTTY) {
      log.info("the terminal dashboard is not part of this build yet: running headless");
    }
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        log.info("stopping", { signal });
        node.stop().then(resolve, resolve);
      };
      process.once("SIGINT", () => shutdown("SIGINT"));
      process.once("SIGTERM", () => shutdown("SIGTERM"));
    });
  },
});
