// Runs one health tool (smartctl, zpool, systemctl): found on PATH, killed after its timeout, its
// output capped, and every way it can fail turned into a reason a user can act on.

/** More output than any real tool gives for a host; a runaway one is cut here. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** How long a killed tool is given to exit before the next one is refused as "still running". */
const REAP_WAIT_MS = 1_000;

/** Why a tool gave nothing to read: the message is what "not available" shows. */
export class ToolUnavailable extends Error {
  override name = "ToolUnavailable";
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs: number;
  /** Where tools are looked up (PATH); tests point it at fake tools. */
  path: string;
}

/**
 * Runs tools one call at a time per tool name: a tool still running from an earlier call (one
 * killed at its timeout but stuck in the kernel, as smartctl can be on a dying disk) is not
 * started again until it has exited.
 */
export class ToolRunner {
  readonly #running = new Set<string>();

  constructor(readonly options: RunOptions) {}

  /** The tool's exit code and output, or ToolUnavailable when it is missing, stuck or timed out. */
  async run(argv: readonly string[]): Promise<ToolResult> {
    const [tool, ...args] = argv;
    if (tool === undefined) throw new Error("ToolRunner.run: no command");
    const { path, timeoutMs } = this.options;
    const binary = Bun.which(tool, { PATH: path });
    if (binary === null) throw new ToolUnavailable(`${tool} is not installed (not found on PATH)`);
    if (this.#running.has(tool)) {
      throw new ToolUnavailable(`${tool} from the previous reading is still running`);
    }
    let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
    try {
      proc = Bun.spawn([binary, ...args], {
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        env: { PATH: path, LC_ALL: "C" },
      });
    } catch (error) {
      throw new ToolUnavailable(`${tool} could not be started: ${(error as Error).message}`);
    }
    this.#running.add(tool);
    void proc.exited.finally(() => this.#running.delete(tool));
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        proc.kill("SIGKILL");
        // A killed tool is reaped at once; one stuck in the kernel stays in #running.
        void Promise.race([proc.exited, Bun.sleep(REAP_WAIT_MS)]).then(() => resolve());
      }, timeoutMs);
    });
    // A child of the tool may keep its pipes open after the kill: the race does not wait for them.
    const done = Promise.all([readCapped(proc.stdout), readCapped(proc.stderr), proc.exited]);
    try {
      const result = await Promise.race([done, expired]);
      if (timedOut || result === undefined) {
        throw new ToolUnavailable(`${tool} timed out after ${timeoutMs / 1000} s`);
      }
      const [stdout, stderr, code] = result;
      return { code, stdout, stderr };
    } finally {
      clearTimeout(timer);
      done.catch(() => {});
    }
  }
}

/** The stream as text, at most MAX_OUTPUT_BYTES of it; the rest is drained and dropped. */
async function readCapped(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size >= MAX_OUTPUT_BYTES) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES));
}

/** The first line of what a failed tool said, for a reason. */
export function firstLine(result: ToolResult): string {
  const text = result.stderr.trim() || result.stdout.trim();
  return (text.split("\n")[0] ?? "").slice(0, 300);
}
