// The benchmark fleet harness: fake senders answer like real ones, drift, refuse bad tokens,
// black holes accept and stay silent, and stop() closes every port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import {
  type Fleet,
  type FleetSender,
  fleetConfigToml,
  startFleet,
} from "../../scripts/bench/fleet-harness.ts";
import { checkConfigFile } from "../../src/config/load.ts";
import {
  HostInfoSchema,
  SECTIONS,
  type Snapshot,
  SnapshotSchema,
  WsResponseSchema,
} from "../../src/protocol/index.ts";

const TOKEN = "fleet-token-0123456789abcdefghijklmn";
const auth = { authorization: `Bearer ${TOKEN}` };

let fleet: Fleet;
let live: FleetSender[];
let hole: FleetSender;

beforeAll(async () => {
  fleet = await startFleet({ senders: 3, blackholed: 1, token: TOKEN });
  live = fleet.senders.filter((s) => !s.blackholed);
  const holes = fleet.senders.filter((s) => s.blackholed);
  if (holes[0] === undefined || live.length !== 3 || holes.length !== 1)
    throw new Error("unexpected fleet shape");
  hole = holes[0];
});
afterAll(async () => {
  await fleet.stop();
});

async function snapshot(url: string, sections = ""): Promise<Snapshot> {
  const res = await fetch(`${url}/api/v1/snapshot${sections ? `?sections=${sections}` : ""}`, {
    headers: auth,
  });
  expect(res.status).toBe(200);
  return v.parse(SnapshotSchema, await res.json());
}

/** Opens a WebSocket, sends each request in turn and collects one answer per request. */
async function wsExchange(
  url: string,
  init: { headers?: Record<string, string>; protocols?: string[] },
  requests: readonly object[],
): Promise<{ protocol: string; answers: unknown[] }> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/v1/ws`, init as unknown as string[]);
  try {
    const answers: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no WebSocket answer within 2 s")), 2000);
      ws.onerror = () => reject(new Error("websocket failed"));
      ws.onopen = () => {
        for (const r of requests) ws.send(JSON.stringify(r));
      };
      ws.onmessage = (e) => {
        answers.push(JSON.parse(String(e.data)));
        if (answers.length === requests.length) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    return { protocol: ws.protocol, answers };
  } finally {
    ws.close();
  }
}

describe("fake senders", () => {
  test("each has its own hostname and answers /healthz without auth", async () => {
    expect(live.map((s) => s.name)).toEqual(["vm-001", "vm-002", "vm-003"]);
    for (const s of live) {
      const res = await fetch(`${s.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("ok");
    }
  });

  test("HTTP info and snapshots validate, with every section filled", async () => {
    for (const s of live) {
      const res = await fetch(`${s.url}/api/v1/info`, { headers: auth });
      const info = v.parse(HostInfoSchema, await res.json());
      expect(info.hostname).toBe(s.name);
      expect(info.cpu_cores).toBeGreaterThanOrEqual(2);
      // Many answers, so the random walks have room to leave the schema's bounds if they could.
      for (let i = 0; i < 30; i++) {
        const snap = await snapshot(s.url);
        expect(snap.host).toBe(s.name);
        for (const section of SECTIONS) expect(section in snap).toBe(true);
        expect(snap.cpu?.cores_pct.length).toBe(info.cpu_cores);
        expect(snap.memory?.total_bytes).toBe(info.memory_total_bytes);
        expect(snap.disks?.length).toBeGreaterThanOrEqual(1);
        expect(snap.network?.length).toBeGreaterThanOrEqual(2);
        // The top 50 by CPU and the top 50 by memory, as a sender lists them.
        expect(snap.processes?.top.length).toBeGreaterThanOrEqual(50);
        expect(snap.processes?.top.length).toBeLessThanOrEqual(100);
        expect(snap.processes?.count).toBeGreaterThanOrEqual(snap.processes?.top.length ?? 0);
      }
    }
  });

  test("?sections= limits the answer and an unknown section is a 400", async () => {
    const [s] = live;
    if (!s) throw new Error("no sender");
    const snap = await snapshot(s.url, "cpu,memory");
    expect(Object.keys(snap).sort()).toEqual(["cpu", "host", "memory", "ts_ms", "uptime_s", "v"]);
    const res = await fetch(`${s.url}/api/v1/snapshot?sections=cpu,gpu`, { headers: auth });
    expect(res.status).toBe(400);
  });

  test("values drift between two requests and counters only grow", async () => {
    const [s] = live;
    if (!s) throw new Error("no sender");
    const a = await snapshot(s.url);
    await Bun.sleep(5);
    const b = await snapshot(s.url);
    expect(b.ts_ms).toBeGreaterThan(a.ts_ms);
    expect(b.cpu?.cores_pct).not.toEqual(a.cpu?.cores_pct);
    expect(b.network?.[0]?.rx_total_bytes ?? 0).toBeGreaterThanOrEqual(
      a.network?.[0]?.rx_total_bytes ?? 0,
    );
    const { ts_ms: _a, ...restA } = a;
    const { ts_ms: _b, ...restB } = b;
    expect(restB).not.toEqual(restA);
  });

  test("WebSocket snapshot and info answers validate (bearer header)", async () => {
    const [s] = live;
    if (!s) throw new Error("no sender");
    const { answers } = await wsExchange(s.url, { headers: auth }, [
      { id: 1, type: "snapshot", sections: ["cpu", "network"] },
      { id: 2, type: "info" },
      { id: 3, type: "snapshot" },
    ]);
    const [one, two, three] = answers.map((a) => v.parse(WsResponseSchema, a));
    expect(one?.type === "snapshot" && one.id === 1 && "cpu" in one.data).toBe(true);
    expect(one?.type === "snapshot" && "disks" in one.data).toBe(false);
    expect(two?.type === "info" && two.id === 2 && two.data.hostname === s.name).toBe(true);
    expect(three?.type === "snapshot" && "processes" in three.data).toBe(true);
  });

  test("WebSocket token in the subprotocol works and hwm.v1 is echoed", async () => {
    const [, s] = live;
    if (!s) throw new Error("no sender");
    const { protocol, answers } = await wsExchange(
      s.url,
      { protocols: ["hwm.v1", `hwm.token.${TOKEN}`] },
      [{ id: 7, type: "info" }],
    );
    expect(protocol).toBe("hwm.v1");
    expect(v.parse(WsResponseSchema, answers[0]).type).toBe("info");
  });

  test("a wrong or missing token gets 401, before any upgrade", async () => {
    const [s] = live;
    if (!s) throw new Error("no sender");
    const wrong = { authorization: "Bearer not-the-token-0123456789abcdef" };
    expect((await fetch(`${s.url}/api/v1/snapshot`, { headers: wrong })).status).toBe(401);
    expect((await fetch(`${s.url}/api/v1/info`)).status).toBe(401);
    const upgrade = await fetch(`${s.url}/api/v1/ws`, {
      headers: { ...wrong, upgrade: "websocket", connection: "Upgrade" },
    });
    expect(upgrade.status).toBe(401);
    await expect(
      wsExchange(s.url, { headers: wrong }, [{ id: 1, type: "info" }]),
    ).rejects.toThrow();
  });

  test("requests() counts the answers served", async () => {
    const before = fleet.requests();
    const [s] = live;
    if (!s) throw new Error("no sender");
    await snapshot(s.url, "cpu");
    expect(fleet.requests()).toBe(before + 1);
    expect(fleet.requestsBySender().get(hole.name)).toBeUndefined();
  });
});

test("a black-holed port accepts a connection and answers nothing within 500 ms", async () => {
  const port = Number(new URL(hole.url).port);
  let received = 0;
  let closedByPeer = false;
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, data) {
        received += data.length;
      },
      close() {
        closedByPeer = true;
      },
    },
  });
  socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await Bun.sleep(500);
  expect(received).toBe(0);
  expect(closedByPeer).toBe(false);
  socket.end();
});

test("the receiver config lists every sender and passes check-config", () => {
  const dir = mkdtempSync(join(tmpdir(), "hwm-fleet-"));
  try {
    const path = join(dir, "fleet.toml");
    const toml = fleetConfigToml(fleet.senders, {
      token: TOKEN,
      listen: "127.0.0.1:7070",
      intervalMs: 1000,
    });
    writeFileSync(path, toml);
    expect(checkConfigFile(path)).toEqual([]);
    for (const s of fleet.senders) expect(toml).toContain(`url = "${s.url}"`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a hypervisor serves guests and containers, a failing disk and a failed unit their health", async () => {
  const other = await startFleet({
    senders: 0,
    token: TOKEN,
    hosts: [
      { name: "pve", character: "hypervisor" },
      { name: "nas", character: "failing-disk" },
      { name: "web", character: "failed-unit" },
    ],
  });
  try {
    const [pve, nas, web] = other.senders.map((s) => s.url);
    if (!pve || !nas || !web) throw new Error("unexpected fleet shape");
    // Many answers, so the guests' random walks have room to leave the schema's bounds if they could.
    let last: Snapshot | null = null;
    for (let i = 0; i < 30; i++) last = await snapshot(pve);
    const guests = last?.guests ?? [];
    expect(guests).toHaveLength(6);
    expect(new Set(guests.map((g) => g.kind))).toEqual(new Set(["vm", "ct"]));
    expect(guests.filter((g) => g.status === "stopped").map((g) => g.name)).toEqual(["win11"]);
    expect(guests.find((g) => g.name === "ci-runner")?.cpu_pct).toBeGreaterThan(80);
    expect(last?.containers).toHaveLength(4);
    expect(last?.health?.disks.every((d) => d.ok === true)).toBe(true);
    expect(last?.custom?.families.length).toBeGreaterThan(0);

    const failing = (await snapshot(nas, "health")).health?.disks.filter((d) => d.ok === false);
    expect(failing?.map((d) => d.device)).toEqual(["/dev/sda"]);
    const units = (await snapshot(web, "health,guests")).health?.failed_units;
    expect(units?.map((u) => u.name)).toEqual(["certbot.service"]);
    // An ordinary VM: no guests, and S.M.A.R.T. named as unavailable with why.
    const vm = await snapshot(live[0]?.url ?? "", "guests,containers,health,custom");
    expect(vm.guests).toEqual([]);
    expect(vm.containers).toEqual([]);
    expect(vm.health?.unavailable.smart).toStartWith("not available: ");
  } finally {
    await other.stop();
  }
});

test("stop() closes every port", async () => {
  const other = await startFleet({ senders: 2, blackholed: 1, token: TOKEN });
  await other.stop();
  for (const s of other.senders) {
    const port = Number(new URL(s.url).port);
    await expect(
      Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }),
    ).rejects.toThrow();
  }
});
