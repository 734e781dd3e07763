// A real receiver process with real sender processes and, optionally, fake senders from the
// fleet harness, all on loopback; for the dashboard's e2e tests and benchmark.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Fleet,
  type FleetHost,
  fleetConfigToml,
  startFleet,
} from "../../../scripts/bench/fleet-harness.ts";
import { type RunningProcess, startHwm, TOKEN } from "../../helpers/process.ts";

export interface StackOptions {
  /** Names of real `hwm --role sender` processes to start. */
  senders?: string[];
  /** Fake senders from the fleet harness (vm-001, vm-002, ...). */
  fake?: number;
  /** Named fake senders with a character (busy, hot, gpu, offline, …), e.g. `hwm demo`'s. */
  hosts?: readonly FleetHost[];
  intervalMs?: number;
  allowedOrigins?: string[];
  token?: string;
}

export interface Stack {
  receiver: RunningProcess;
  url: string;
  token: string;
  senders: Map<string, RunningProcess>;
  fleet: Fleet | null;
  /** Stops the receiver and starts a new one on the same port, config and state directory. */
  restartReceiver(gapMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const token = options.token ?? TOKEN;
  const intervalMs = options.intervalMs ?? 500;
  const senders = new Map<string, RunningProcess>();
  for (const name of options.senders ?? []) {
    senders.set(
      name,
      await startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--token", token, "--no-tui"]),
    );
  }
  const fleet =
    options.fake || options.hosts
      ? await startFleet({ senders: options.fake ?? 0, hosts: options.hosts, token })
      : null;
  let toml = fleetConfigToml(fleet?.senders ?? [], { token, listen: "127.0.0.1:0", intervalMs });
  for (const [name, sender] of senders) {
    toml += `\n[[senders]]\nname = ${JSON.stringify(name)}\nurl = ${JSON.stringify(sender.url)}\n`;
  }
  if (options.allowedOrigins) {
    toml += `\n[dashboard]\nallowed_origins = ${JSON.stringify(options.allowedOrigins)}\n`;
  }
  const dir = mkdtempSync(join(tmpdir(), "hwm-web-"));
  const config = join(dir, "receiver.toml");
  writeFileSync(config, toml);
  // Its own state directory: the sessions file, which a restart keeps, is this stack's alone.
  const stateEnv = { STATE_DIRECTORY: join(dir, "state") };
  let receiver = await startHwm(["--config", config, "--no-tui", "--log-level", "debug"], stateEnv);
  const stack: Stack = {
    receiver,
    url: receiver.url,
    token,
    senders,
    fleet,
    async restartReceiver(gapMs = 0) {
      const port = new URL(stack.url).port;
      await receiver.stop();
      await Bun.sleep(gapMs);
      writeFileSync(config, toml.replace('listen = "127.0.0.1:0"', `listen = "127.0.0.1:${port}"`));
      receiver = await startHwm(["--config", config, "--no-tui", "--log-level", "debug"], stateEnv);
      stack.receiver = receiver;
    },
    async stop() {
      await receiver.stop();
      for (const sender of senders.values()) await sender.stop();
      await fleet?.stop();
    },
  };
  return stack;
}
