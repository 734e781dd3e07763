// One-off reads with a long interval and a hung sender: a poll round then lasts 16 s (80 % of
// 20 s), past the server's 10 s idle timeout. GET /api/v1/hosts and /metrics must still answer,
// within ONE_OFF_WAIT_MS, with the healthy host fresh and the hung one not online.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { HostsResponseSchema } from "../../src/protocol/index.ts";
import { ONE_OFF_WAIT_MS } from "../../src/receiver/routes.ts";
import { auth, type RunningProcess, startHwm, startSender, TOKEN } from "../helpers/process.ts";

const INTERVAL_MS = 20_000;
const dir = mkdtempSync(join(tmpdir(), "hwm-one-off-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function receiverWith(
  name: string,
  senders: Record<string, string>,
): Promise<RunningProcess> {
  const path = join(dir, `${name}.toml`);
  const entries = Object.entries(senders)
    .map(([id, url]) => `[[senders]]\nname = "${id}"\nurl = "${url}"\n`)
    .join("\n");
  writeFileSync(
    path,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = ${INTERVAL_MS}\n${entries}`,
  );
  const receiver = await startHwm(["--config", path, "--no-tui"]);
  cleanups.push(() => receiver.stop());
  return receiver;
}

/** The answer and how long it took; an empty reply (the connection cut) rejects. */
async function timed(url: string): Promise<{ res: Response; body: string; tookMs: number }> {
  const startMs = Date.now();
  const res = await fetch(url, { headers: auth, signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  return { res, body, tookMs: Date.now() - startMs };
}

describe("one-off reads with a hung sender and interval_ms = 20000", () => {
  test("/api/v1/hosts and /metrics answer within the one-off wait", async () => {
    const good = await startSender();
    cleanups.push(() => good.stop());
    // Accepts connections and never answers: the WebSocket upgrade hangs until the timeout.
    const blackHole = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    cleanups.push(() => blackHole.stop(true));
    const senders = { good: good.url, hung: `http://127.0.0.1:${blackHole.port}` };
    // One receiver per route: only the first read after start polls.
    const [forHosts, forMetrics] = await Promise.all([
      receiverWith("hosts", senders),
      receiverWith("metrics", senders),
    ]);

    const [hosts, metrics] = await Promise.all([
      timed(`${forHosts.url}/api/v1/hosts`),
      timed(`${forMetrics.url}/metrics`),
    ]);
    for (const { res, tookMs } of [hosts, metrics]) {
      expect(res.status).toBe(200);
      expect(tookMs).toBeGreaterThanOrEqual(ONE_OFF_WAIT_MS - 100);
      expect(tookMs).toBeLessThan(ONE_OFF_WAIT_MS + 2_000);
    }
    const body = v.parse(HostsResponseSchema, JSON.parse(hosts.body));
    expect(body.hosts.find((h) => h.id === "good")?.status).toBe("online");
    expect(body.hosts.find((h) => h.id === "hung")?.status).not.toBe("online");
    expect(metrics.body).toContain('hwm_up{host="good"} 1');
    expect(metrics.body).toContain('hwm_up{host="hung"} 0');
  }, 60_000);
});
