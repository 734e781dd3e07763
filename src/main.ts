#!/usr/bin/env bun
// Entry point: the citty root with lazily loaded subcommands; the only place that exits.
import { type CommandDef, defineCommand, runCommand, type SubCommandsDef, showUsage } from "citty";
import { checkFlags } from "./commands/flags.ts";
import { runArgs } from "./commands/run-args.ts";
import { restartWithRuntimeEnv } from "./commands/runtime-env.ts";
import { UsageError } from "./config/index.ts";
import { COMMIT, VERSION } from "./version.ts";

const subCommands = {
  run: () => import("./commands/run.ts").then((m) => m.default),
  token: () => import("./commands/token.ts").then((m) => m.default),
  "check-config": () => import("./commands/check-config.ts").then((m) => m.default),
  service: () => import("./commands/service.ts").then((m) => m.default),
  tui: () => import("./commands/tui.ts").then((m) => m.default),
  notify: () => import("./commands/notify.ts").then((m) => m.default),
  tls: () => import("./commands/tls.ts").then((m) => m.default),
  demo: () => import("./commands/demo.ts").then((m) => m.default),
} satisfies SubCommandsDef;

const main = defineCommand({
  meta: {
    name: "hwm",
    version: VERSION,
    description:
      "Distributed hardware monitor: run as sender on every machine, receiver (or both) where you watch.",
  },
  args: runArgs,
  subCommands,
  default: "run",
});

/** The subcommand named on the command line, if any: the first word that is not a flag value. */
function subCommandName(rawArgs: readonly string[]): keyof typeof subCommands | null {
  const valueFlags = new Set(
    Object.entries(runArgs)
      .filter(([, d]) => d.type === "string")
      .map(([n]) => `--${n}`),
  );
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] ?? "";
    if (valueFlags.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    return arg in subCommands ? (arg as keyof typeof subCommands) : null;
  }
  return null;
}

async function start(rawArgs: string[]): Promise<number> {
  const name = subCommandName(rawArgs);
  const asksHelp = rawArgs.includes("--help") || rawArgs.includes("-h");
  const asksVersion = rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v");
  // A node runs for days: first give the runtime the settings it only reads at start-up.
  if ((name === null || name === "run") && !asksHelp && !asksVersion) restartWithRuntimeEnv();
  // citty types each command by its own args; here any command will do.
  const command = (name ? await subCommands[name]() : main) as CommandDef;
  if (asksHelp) {
    await showUsage(command, name ? (main as CommandDef) : undefined);
    return 0;
  }
  if (asksVersion) {
    console.log(`hwm ${VERSION} (${COMMIT})`);
    return 0;
  }
  const commandArgs = name ? rawArgs.slice(rawArgs.indexOf(name) + 1) : rawArgs;
  checkFlags(commandArgs, (command.args ?? {}) as Record<string, never>);
  await runCommand(main, { rawArgs });
  return 0;
}

start(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`hwm: ${err.message}`);
      process.exit(2);
    }
    // citty's own usage errors: an unknown command, a missing argument (check-config without FILE).
    if (err instanceof Error && err.name === "CLIError") {
      // citty colours the names it quotes; plain text where stderr is a log or a pipe.
      const message = process.stderr.isTTY ? err.message : Bun.stripANSI(err.message);
      console.error(`hwm: ${message}\nSee "hwm --help".`);
      process.exit(2);
    }
    console.error(`hwm: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
