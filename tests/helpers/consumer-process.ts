// Runs tests/helpers/live-consumer.ts as a process of its own, so that a test can freeze it
// (SIGSTOP) like a sleeping laptop; its output says what it received. Each test file kills its
// consumers in its own afterAll with killConsumers() (a helper's own afterAll would be
// registered once, for the first file that imports it, and leave the others' running).
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { TOKEN, wsUrl } from "./process.ts";

const CONSUMER = resolve(import.meta.dir, "live-consumer.ts");

export interface ConsumerProcess {
  proc: Subprocess<"ignore", "pipe", "inherit">;
  /** Everything it printed so far. */
  output(): string;
  /** Fleet frames received so far. */
  frames(): number;
}

const running = new Set<Subprocess>();

/** Ends every consumer started so far; SIGKILL ends a stopped one too. */
export function killConsumers(): void {
  for (const proc of running) proc.kill("SIGKILL");
  running.clear();
}
// And whatever is left when the test run ends: a stopped consumer would hold the run's output
// pipe open, and whatever reads it (CI's tee) would wait for ever.
process.on("exit", killConsumers);

/** A consumer of WS /api/v1/live on the node at `url` (an http URL), with the test token. */
export function startConsumer(url: string): ConsumerProcess {
  const proc = Bun.spawn([process.execPath, CONSUMER, wsUrl(url, "/api/v1/live")], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
    env: { PATH: process.env.PATH ?? "", HWM_TOKEN: TOKEN },
  });
  running.add(proc);
  let out = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) out += decoder.decode(chunk, { stream: true });
  })();
  return {
    proc,
    output: () => out,
    frames: () => Number([...out.matchAll(/frame (\d+)/g)].at(-1)?.[1] ?? 0),
  };
}
