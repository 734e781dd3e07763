// A sender process for the benchmarks, asked over its WebSocket as a receiver asks a watched
// host: one snapshot request at a time, its whole-process CPU read from /proc.
import { resolve } from "node:path";
import { CpuMeter, freePort, waitFor200 } from "./lib.ts";

export const BENCH_TOKEN = "bench-token-0123456789abcdefghijkl";

/** What a receiver asks of every host in every round, health and custom aside. */
export const FAST_SECTIONS = ["cpu", "memory", "disks", "disk_io", "network", "sensors", "gpus"];

/** The options every sender benchmark takes (parseArgs), beside its own. */
export const SENDER_BENCH_OPTIONS = {
  runs: { type: "string", default: "5" },
  requests: { type: "string", default: "20" },
  "gap-ms": { type: "string", default: "1000" },
  bin: { type: "string" },
} as const;

/** The command that runs hwm: the binary given, else bun and src/main.ts. */
export function hwmCommand(bin: string | undefined): string[] {
  return bin ? [resolve(bin)] : [process.execPath, resolve(import.meta.dir, "../../src/main.ts")];
}

export interface BenchSender {
  pid: number;
  meter: CpuMeter;
  /** One snapshot request; resolves with the answer's length in characters. */
  ask(sections: readonly string[]): Promise<number>;
  /** The answer to the last request. */
  last(): string;
  stop(): Promise<void>;
}

/** `hwm` is the command that runs hwm (the binary, or bun and src/main.ts); `args` are added. */
export async function startWsSender(
  hwm: readonly string[],
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<BenchSender> {
  const port = await freePort();
  const proc = Bun.spawn(
    [
      ...hwm,
      ...["--role", "sender", "--listen", `127.0.0.1:${port}`, "--token", BENCH_TOKEN],
      ...["--no-tui", "--log-level", "error", ...args],
    ],
    { stdout: "ignore", stderr: "inherit", stdin: "ignore", env: { ...process.env, ...env } },
  );
  await waitFor200(`http://127.0.0.1:${port}/healthz`, performance.now());
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, {
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  } as unknown as string[]);
  await new Promise((done, fail) => {
    ws.onopen = done;
    ws.onerror = () => fail(new Error("WebSocket failed"));
  });
  let id = 1;
  let last = "";
  return {
    pid: proc.pid,
    meter: new CpuMeter(proc.pid),
    ask: (sections) =>
      new Promise<number>((done) => {
        ws.onmessage = (event) => {
          last = String(event.data);
          done(last.length);
        };
        ws.send(JSON.stringify({ id: id++, type: "snapshot", sections }));
      }),
    last: () => last,
    stop: async () => {
      ws.close();
      proc.kill();
      await proc.exited;
    },
  };
}
