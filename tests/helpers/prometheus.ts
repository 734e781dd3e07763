// Starts a real Prometheus (Debian's `prometheus` package) on a free loopback port with its data in
// a temp dir, scraping the given targets every second with a bearer token; killed when the file ends.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export interface RunningPrometheus {
  url: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<Subprocess>();
const dirs = new Set<string>();
afterAll(() => {
  for (const proc of running) proc.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The binary, or null with the reason; under CI a missing binary is an error, not a skip. */
export function prometheusBinary(): string | null {
  const bin = Bun.which("prometheus");
  if (bin) return bin;
  if (process.env.CI)
    throw new Error("prometheus is missing: .ci/run installs the prometheus package");
  return null;
}

/** A port that was free a moment ago (Prometheus cannot report the one it got for port 0). */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

export async function startPrometheus(options: {
  bin: string;
  targets: readonly string[];
  token: string;
  timeoutMs?: number;
}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "hwm-prometheus-"));
  dirs.add(dir);
  const config = join(dir, "prometheus.yml");
  writeFileSync(
    config,
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: hwm",
      "    authorization:",
      `      credentials: ${JSON.stringify(options.token)}`,
      "    static_configs:",
      `      - targets: ${JSON.stringify(options.targets)}`,
      "",
    ].join("\n"),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastLog = "";
  // The port may be taken between probing and binding: a few tries, each bounded.
  for (let attempt = 0; attempt < 3 && Date.now() < deadline; attempt++) {
    const port = freePort();
    const proc = Bun.spawn(
      [
        options.bin,
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--storage.tsdb.retention.time=1h",
        "--log.level=warn",
      ],
      { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
    );
    running.add(proc);
    let stderr = "";
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr) stderr += decoder.decode(chunk, { stream: true });
    })();
    const url = `http://127.0.0.1:${port}`;
    while (Date.now() < deadline && proc.exitCode === null) {
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) {
        return {
          url,
          log: () => stderr,
          async stop() {
            proc.kill("SIGTERM");
            await proc.exited;
            running.delete(proc);
          },
        };
      }
      await Bun.sleep(100);
    }
    proc.kill("SIGKILL");
    await proc.exited;
    running.delete(proc);
    lastLog = stderr;
  }
  throw new Error(`prometheus did not become ready:\n${lastLog}`);
}

/** Waits (bounded) until Prometheus holds at least `samples` scrapes of every target. */
export async function waitForScrapes(
  prometheus: RunningPrometheus,
  targets: readonly string[],
  samples: number,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = "";
  while (Date.now() < deadline) {
    const res = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent("count_over_time(hwm_up[1m])")}`,
    );
    const body = (await res.json()) as {
      data?: { result?: { metric: { instance?: string }; value: [number, string] }[] };
    };
    const counts = new Map(
      (body.data?.result ?? []).map((r) => [r.metric.instance ?? "", Number(r.value[1])]),
    );
    seen = JSON.stringify([...counts]);
    if (targets.every((t) => (counts.get(t) ?? 0) >= samples)) return;
    await Bun.sleep(250);
  }
  throw new Error(
    `Prometheus did not scrape every target ${samples} times: ${seen}\n${prometheus.log()}`,
  );
}
