// Starts the real hwm (from source, or the compiled binary) on loopback port 0 and learns its URL
// from the "listening" log line; every process is killed when its test file ends.
import { afterAll } from "bun:test";
import { resolve } from "node:path";
import type { Subprocess } from "bun";

export const ROOT = resolve(import.meta.dir, "../..");
export const MAIN = resolve(ROOT, "src/main.ts");
/** node_exporter's proc/ and sys/ trees, kept in the repository (see its README.md). */
export const FIXTURES = resolve(ROOT, "tests/fixtures/linux/node-exporter");
export const TOKEN = "test-token-0123456789abcdefghijklmnopq";

export interface RunningProcess {
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<Subprocess>();
const killRunning = () => {
  for (const proc of running) proc.kill("SIGKILL");
};
// afterAll registers once, for the first test file that imports this; the exit handler catches
// what later files leave behind, which would otherwise hold the run's output pipe open.
afterAll(killRunning);
process.on("exit", killRunning);

/** The command that runs hwm: HWM_BIN (the compiled binary) when set, else bun on the source. */
export function hwmCommand(): string[] {
  const bin = process.env.HWM_BIN;
  return bin ? [bin] : [process.execPath, MAIN];
}

async function readLines(
  stream: ReadableStream<Uint8Array>,
  sink: (chunk: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
}

/**
 * Runs hwm with args; resolves once it logs its URL (or rejects with its output if it exits).
 * `prefix` runs it through another command that execs it (`ip netns exec NS`), keeping its pid.
 */
export async function startHwm(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 10_000,
  prefix: readonly string[] = [],
): Promise<RunningProcess> {
  const proc = Bun.spawn([...prefix, ...hwmCommand(), ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  running.add(proc);
  let stderr = "";
  let stdout = "";
  void readLines(proc.stderr, (c) => {
    stderr += c;
  });
  void readLines(proc.stdout, (c) => {
    stdout += c;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening url=(\S+)/.exec(stderr);
    if (match?.[1]) {
      const url = match[1];
      return {
        url,
        proc,
        log: () => stderr,
        async stop() {
          proc.kill("SIGTERM");
          await proc.exited;
          running.delete(proc);
        },
      };
    }
    if (proc.exitCode !== null) break;
    await Bun.sleep(20);
  }
  proc.kill("SIGKILL");
  throw new Error(`hwm did not start (exit ${proc.exitCode}):\n${stderr}${stdout}`);
}

/** Runs hwm to completion and returns its exit code and output. */
/** A sender on a free loopback port with the test token, no terminal dashboard. */
export function startSender(): Promise<RunningProcess> {
  return startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN, "--no-tui"]);
}

export async function runHwm(
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([...hwmCommand(), ...args], {
    cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Opens a WebSocket and collects its messages; `next()` waits for the next one. */
export class WsClient {
  readonly ws: WebSocket;
  private readonly queue: string[] = [];
  private waiters: ((m: string) => void)[] = [];
  closed: { code: number; reason: string } | null = null;
  private closeWaiters: (() => void)[] = [];

  constructor(
    url: string,
    options: { headers?: Record<string, string>; protocols?: string[] } = {},
  ) {
    this.ws = new WebSocket(url, {
      headers: options.headers,
      protocols: options.protocols,
    } as unknown as string[]);
    this.ws.onmessage = (e) => {
      const text = String(e.data);
      const waiter = this.waiters.shift();
      if (waiter) waiter(text);
      else this.queue.push(text);
    };
    this.ws.onclose = (e) => {
      this.closed = { code: e.code, reason: e.reason };
      for (const w of this.closeWaiters) w();
    };
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error("websocket failed to open"));
    });
  }

  next(timeoutMs = 5000): Promise<string> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no message within timeout")), timeoutMs);
      this.waiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  async nextJson(timeoutMs = 5000): Promise<Record<string, unknown>> {
    return JSON.parse(await this.next(timeoutMs)) as Record<string, unknown>;
  }

  waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve(this.closed);
      const timer = setTimeout(() => reject(new Error("not closed within timeout")), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        if (this.closed) resolve(this.closed);
      });
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  close(): void {
    this.ws.close();
  }
}

export function wsUrl(httpUrl: string, path: string): string {
  return httpUrl.replace(/^http/, "ws") + path;
}

export const auth = { authorization: `Bearer ${TOKEN}` };
