// The real receiver with history on, polling a real sender: it records while nobody watches,
// switches to the live pace for a viewer and back, answers the history routes from the file,
// keeps every point and each host's last-seen time across a restart and a SIGKILL, and keeps
// serving the live fleet when the file is damaged.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import {
  FleetHistoryResponseSchema,
  HistoryResponseSchema,
  HostsResponseSchema,
} from "../../src/protocol/index.ts";
import { auth, type RunningProcess, startHwm, TOKEN, WsClient, wsUrl } from "../helpers/process.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-history-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startSender(): Promise<RunningProcess> {
  const sender = await startHwm([
    ...["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN],
    ...["--no-tui", "--log-level", "debug"],
  ]);
  cleanups.push(() => sender.stop());
  return sender;
}

function writeConfig(name: string, senderUrl: string | null, history: string): string {
  const path = join(dir, name);
  const senders = senderUrl ? `[[senders]]\nname = "pve"\nurl = "${senderUrl}"\n` : "";
  writeFileSync(
    path,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 200\n${history}\n${senders}`,
  );
  return path;
}

const historyOn = (file: string, intervalMs = 500) =>
  `[history]\nenabled = true\ninterval_ms = ${intervalMs}\npath = "${join(dir, file)}"\n`;

async function startReceiver(config: string): Promise<RunningProcess> {
  const receiver = await startHwm(["--config", config, "--no-tui", "--log-level", "debug"]);
  cleanups.push(() => receiver.stop());
  return receiver;
}

const requestsSeen = (sender: RunningProcess) =>
  (sender.log().match(/ws request type=snapshot/g) ?? []).length;

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers: auth });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function points(receiver: RunningProcess, metric = "cpu.total_pct", from = "-2m") {
  const { status, body } = await getJson(
    `${receiver.url}/api/v1/hosts/pve/history?metrics=${encodeURIComponent(metric)}&from=${from}&step=1`,
  );
  expect(status).toBe(200);
  return v.parse(HistoryResponseSchema, body).series[metric] ?? [];
}

/** Waits (bounded) until `check` holds; returns its last value. */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean) {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within 10 s (last: ${JSON.stringify(value)})`);
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

describe("recording", () => {
  test("records at the history pace while nobody watches; a viewer gets the live pace, then back", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(
      writeConfig("pace.toml", sender.url, historyOn("pace.db")),
    );
    // Nobody watches, yet the sender is asked, about every 500 ms.
    const recorded = await until(
      "three recorded points",
      () => points(receiver),
      (p) => p.length >= 3,
    );
    const gapsMs = recorded.slice(1).map(([t], i) => t - (recorded[i]?.[0] ?? 0));
    for (const gap of gapsMs) expect(gap).toBeGreaterThanOrEqual(400);
    expect(receiver.log()).toMatch(/polling started hosts=1 interval_ms=500/);

    // A viewer: every 200 ms.
    const before = requestsSeen(sender);
    const ws = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
    cleanups.push(() => ws.close());
    await ws.opened();
    await Bun.sleep(1200);
    expect(requestsSeen(sender) - before).toBeGreaterThanOrEqual(4);
    expect(receiver.log()).toMatch(/polling pace changed hosts=1 interval_ms=200/);
    // ...but history keeps its own pace: no point closer than the history interval.
    const whileWatched = await points(receiver, "cpu.total_pct", "-1500ms");
    expect(whileWatched.length).toBeLessThanOrEqual(4);

    ws.close();
    await ws.waitClosed();
    await until(
      "pace back to 500 ms",
      async () => receiver.log(),
      (log) => /polling pace changed hosts=1 interval_ms=500/.test(log),
    );
    expect(receiver.log()).not.toContain("polling stopped");
  });

  test("the history routes: series by name, wildcards, the fleet at once, features", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(
      writeConfig("routes.toml", sender.url, historyOn("routes.db")),
    );
    await until(
      "two points",
      () => points(receiver),
      (p) => p.length >= 2,
    );

    const hosts = v.parse(
      HostsResponseSchema,
      (await getJson(`${receiver.url}/api/v1/hosts`)).body,
    );
    expect(hosts.features).toEqual({ history: "sqlite", alerts: false });

    const { body } = await getJson(
      `${receiver.url}/api/v1/hosts/pve/history?metrics=memory.used_bytes,network[*].rx_bps,disks[*].used_pct&from=-1m`,
    );
    const answer = v.parse(HistoryResponseSchema, body);
    expect(answer.host).toBe("pve");
    expect(answer.series["memory.used_bytes"]?.[0]?.[1]).toBeGreaterThan(0);
    const names = Object.keys(answer.series);
    expect(names.some((n) => /^network\[.+\]\.rx_bps$/.test(n))).toBe(true);
    expect(names.some((n) => /^disks\[.+\]\.used_pct$/.test(n))).toBe(true);

    const fleet = v.parse(
      FleetHistoryResponseSchema,
      (await getJson(`${receiver.url}/api/v1/history?metrics=cpu.total_pct&from=-1m&step=1s`)).body,
    );
    expect(Object.keys(fleet.hosts)).toEqual(["pve"]);
    expect(fleet.hosts.pve?.["cpu.total_pct"]?.length).toBeGreaterThan(0);
  });

  test("bad requests name what is wrong", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(writeConfig("bad.toml", sender.url, historyOn("bad.db")));
    const base = `${receiver.url}/api/v1/hosts/pve/history`;
    const bad = await getJson(`${base}?metrics=cpu.totl_pct`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('metrics: unknown metric \\"cpu.totl_pct\\"');
    const badFrom = await getJson(`${base}?metrics=cpu.total_pct&from=yesterday`);
    expect(badFrom.status).toBe(400);
    expect(JSON.stringify(badFrom.body)).toContain("from: expected");
    const unknown = await getJson(`${receiver.url}/api/v1/hosts/nas/history?metrics=cpu.total_pct`);
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('no host \\"nas\\" in this fleet');
    const noAuth = await fetch(`${base}?metrics=cpu.total_pct`);
    expect(noAuth.status).toBe(401);
    // A huge range with a tiny step is clamped, not refused.
    const huge = await getJson(`${base}?metrics=cpu.total_pct&from=0&step=1`);
    expect(huge.status).toBe(200);
  });

  test("history off: the routes say how to turn it on, and nothing is polled", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(writeConfig("off.toml", sender.url, ""));
    const off = await getJson(`${receiver.url}/api/v1/hosts/pve/history?metrics=cpu.total_pct`);
    expect(off.status).toBe(404);
    expect(JSON.stringify(off.body)).toContain("[history] with enabled = true");
    await Bun.sleep(600);
    expect(requestsSeen(sender)).toBe(0);
    const hosts = v.parse(
      HostsResponseSchema,
      (await getJson(`${receiver.url}/api/v1/hosts`)).body,
    );
    expect(hosts.features).toEqual({ history: null, alerts: false });
  });
});

describe("faults", () => {
  test("a restart keeps every point, the last-seen time and the host's facts", async () => {
    const sender = await startSender();
    const config = writeConfig("restart.toml", sender.url, historyOn("restart.db"));
    const first = await startReceiver(config);
    const before = await until(
      "three points",
      () => points(first),
      (p) => p.length >= 3,
    );
    const hostsBefore = v.parse(
      HostsResponseSchema,
      (await getJson(`${first.url}/api/v1/hosts`)).body,
    );
    await first.stop();
    await sender.stop();

    const second = await startReceiver(config);
    const hosts = v.parse(HostsResponseSchema, (await getJson(`${second.url}/api/v1/hosts`)).body);
    const pve = hosts.hosts[0];
    expect(pve?.status).not.toBe("online");
    expect(pve?.last_seen_ms).toBeGreaterThanOrEqual(hostsBefore.hosts[0]?.last_seen_ms ?? 1);
    expect(pve?.info?.hostname).toBe(hostsBefore.hosts[0]?.info?.hostname ?? "?");
    expect(pve?.snapshot?.cpu).toBeTruthy();
    const after = await points(second);
    for (const point of before) expect(after).toContainEqual(point);
  });

  test("SIGKILL loses at most the round being written", async () => {
    const sender = await startSender();
    const config = writeConfig("kill.toml", sender.url, historyOn("kill.db", 200));
    const first = await startReceiver(config);
    const seen = await until(
      "five points",
      () => points(first),
      (p) => p.length >= 5,
    );
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    const second = await startReceiver(config);
    const after = await points(second);
    for (const point of seen) expect(after).toContainEqual(point);
  });

  test("a damaged file: one clear line, the live fleet still served, history says why", async () => {
    const path = join(dir, "damaged.db");
    writeFileSync(path, "this is not a database, only some text written over it ".repeat(200));
    const sender = await startSender();
    const receiver = await startReceiver(
      writeConfig("damaged.toml", sender.url, historyOn("damaged.db")),
    );
    await until(
      "the error logged",
      async () => receiver.log(),
      (log) => /damaged/.test(log),
    );
    expect(receiver.log()).toContain(path);
    const history = await getJson(`${receiver.url}/api/v1/hosts/pve/history?metrics=cpu.total_pct`);
    expect(history.status).toBe(503);
    expect(JSON.stringify(history.body)).toContain("damaged");
    // The live fleet is still served (a one-off read's first connect may time out once).
    await until(
      "the host online",
      async () =>
        v.parse(HostsResponseSchema, (await getJson(`${receiver.url}/api/v1/hosts`)).body).hosts[0]
          ?.status,
      (status) => status === "online",
    );
    expect(existsSync(path)).toBe(true); // never deleted behind the user's back
  });
});
