// `hwm notify test NAME`: send one test message through a configured notifier (one attempt, 10 s
// at most) and say what happened; exit 1 when it failed, 2 when NAME is not configured.
import { defineCommand } from "citty";
import { deliverOnce } from "../alerts/deliver.ts";
import { testNotification } from "../alerts/notification.ts";
import { type NotifierConfig, resolveConfig, UsageError } from "../config/index.ts";

const configArg = {
  config: {
    type: "string",
    description: "TOML config file with the [[notifiers]] (env HWM_CONFIG)",
    valueHint: "FILE",
  },
} as const;

/** The notifier called `name`, or a usage error that lists the configured ones. */
export function findNotifier(notifiers: readonly NotifierConfig[], name: string): NotifierConfig {
  const found = notifiers.find((n) => n.name === name);
  if (found) return found;
  if (notifiers.length === 0) {
    throw new UsageError(
      `no notifier "${name}": the config has no [[notifiers]] (pass --config FILE or set HWM_CONFIG)`,
    );
  }
  const names = notifiers.map((n) => `${n.name} (${n.type})`).join(", ");
  throw new UsageError(`no notifier "${name}"; configured: ${names}`);
}

/** One test message; the line to print on success, an Error (exit 1) on failure. */
export async function sendTest(notifier: NotifierConfig, nowMs = Date.now()): Promise<string> {
  const result = await deliverOnce(notifier, testNotification(notifier.name, nowMs));
  const target = `${notifier.name} (${notifier.type})`;
  if (result.ok) return `sent to ${target}: HTTP ${result.status}`;
  throw new Error(`could not send to ${target}: ${result.reason}`);
}

const test = defineCommand({
  meta: { name: "test", description: "Send one test message through the notifier NAME." },
  args: {
    name: {
      type: "positional",
      required: true,
      description: "The notifier's name in [[notifiers]].",
      valueHint: "NAME",
    },
    ...configArg,
  },
  async run({ args }) {
    const config = resolveConfig({ config: args.config }, process.env);
    console.log(await sendTest(findNotifier(config.notifiers, args.name)));
  },
});

export default defineCommand({
  meta: { name: "notify", description: "Test a notifier: hwm notify test NAME [--config FILE]." },
  // Declared here too: src/main.ts checks the flags against this command's own list.
  args: configArg,
  subCommands: { test },
});
