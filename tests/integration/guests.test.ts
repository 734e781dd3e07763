// The real hwm on the hand-made Proxmox + Docker trees: a sender answers guests and containers
// (asked for, never by default in the fleet), puts them on /metrics (promtool checks it), and a
// receiver passes them on to a consumer that watches that host, and to nobody else.
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";
import {
  AlertsResponseSchema,
  HostsResponseSchema,
  type Snapshot,
  SnapshotSchema,
} from "../../src/protocol/index.ts";
import { auth, type RunningProcess, startHwm, TOKEN, WsClient, wsUrl } from "../helpers/process.ts";
import { externalTool } from "../helpers/tools.ts";

const promtool = externalTool("promtool", "prometheus", "the promtool check of guest metrics");
const HYPERVISOR = resolve(import.meta.dir, "../fixtures/linux/hypervisor");
const dir = mkdtempSync(join(tmpdir(), "hwm-guests-int-"));
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

// One host with the PVE 8 guests and the Docker host's containers: both trees merged.
const host = join(dir, "host");
cpSync(join(HYPERVISOR, "containers"), host, { recursive: true, verbatimSymlinks: true });
cpSync(join(HYPERVISOR, "pve8"), host, { recursive: true, verbatimSymlinks: true, force: true });

async function startSender(): Promise<RunningProcess> {
  const sender = await startHwm([
    ...["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN, "--no-tui"],
    ...["--procfs", `${host}/proc`, "--sysfs", `${host}/sys`, "--pve-dir", `${host}/etc/pve`],
  ]);
  running.push(sender);
  return sender;
}

test("a sender answers guests and containers, and exports them with bounded labels", async () => {
  const sender = await startSender();
  const res = await fetch(`${sender.url}/api/v1/snapshot?sections=guests,containers`, {
    headers: auth,
  });
  const snapshot = (await res.json()) as Snapshot;
  expect(v.safeParse(SnapshotSchema, snapshot).issues).toBeUndefined();
  expect(snapshot.errors).toBeUndefined();
  expect(snapshot.guests?.map((g) => `${g.kind}${g.id} ${g.status}`)).toEqual([
    "vm100 running",
    "vm101 running",
    "vm102 stopped",
    "vm103 running",
    "vm104 stopped",
    "vm105 stopped",
    "ct200 running",
    "ct201 stopped",
    "ct202 running",
  ]);
  expect(snapshot.containers?.map((c) => c.name)).toEqual(["cache", null, "node-exporter", "web"]);

  const metrics = await (await fetch(`${sender.url}/metrics`, { headers: auth })).text();
  expect(metrics).toContain('hwm_guest_running{id="102",name="win11",kind="vm"} 0\n');
  expect(metrics).toContain(
    'hwm_guest_memory_limit_bytes{id="100",name="web",kind="vm"} 4294967296\n',
  );
  expect(metrics).toContain('hwm_guest_uptime_seconds{id="200",name="dns",kind="ct"} 50000\n');
  expect(metrics).toContain(
    'hwm_container_info{id="4f6a9c0d2b8e",name="web",runtime="docker",image="nginx:1.27"} 1\n',
  );
  expect(metrics).toContain(
    'hwm_container_memory_used_bytes{id="4f6a9c0d2b8e",name="web",runtime="docker"} 140000000\n',
  );
  if (!promtool.skip) {
    const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
      stdin: new TextEncoder().encode(metrics),
    });
    expect(check.stdout.toString() + check.stderr.toString()).toBe("");
  }
}, 30_000);

test("a receiver passes guests and containers to the consumer watching that host only", async () => {
  const sender = await startSender();
  const config = join(dir, "receiver.toml");
  writeFileSync(
    config,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 500\n[[senders]]\nname = "pve"\nurl = "${sender.url}"\n`,
  );
  const receiver = await startHwm(["--config", config, "--no-tui"]);
  running.push(receiver);
  const watcher = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
  const bystander = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
  await Promise.all([watcher.opened(), bystander.opened()]);
  watcher.send(JSON.stringify({ type: "watch", host: "pve", sections: ["guests", "containers"] }));

  let detail: Snapshot | null = null;
  for (let i = 0; i < 30 && !detail?.guests; i++) {
    const message = await watcher.nextJson();
    if (message.type === "host") detail = message.snapshot as Snapshot;
  }
  expect(detail?.guests?.find((g) => g.id === 100)?.name).toBe("web");
  expect(detail?.containers).toHaveLength(4);

  // The fleet frames every consumer gets stay light.
  for (let i = 0; i < 3; i++) {
    const frame = await bystander.nextJson();
    expect(frame.type).toBe("fleet");
    const hosts = frame.hosts as { snapshot: Snapshot | null }[];
    expect(hosts[0]?.snapshot?.guests).toBeUndefined();
    expect(hosts[0]?.snapshot?.containers).toBeUndefined();
  }
  watcher.close();
  bystander.close();
}, 30_000);

test("a receiver with a rule on guests asks for them with nobody watching, and the rule fires", async () => {
  const sender = await startSender();
  const config = join(dir, "receiver-alerts.toml");
  writeFileSync(
    config,
    [
      'role = "receiver"',
      'listen = "127.0.0.1:0"',
      `token = "${TOKEN}"`,
      "interval_ms = 200",
      "[history]",
      "interval_ms = 300",
      "[[senders]]",
      'name = "pve"',
      `url = "${sender.url}"`,
      "[[alerts]]",
      'name = "guest-memory"',
      'when = "guests[*].mem_used_bytes > 1000000000"',
      "[[alerts]]",
      'name = "web-container"',
      'when = "containers[web].mem_used_bytes > 100000000"',
      "",
    ].join("\n"),
  );
  const receiver = await startHwm(["--config", config, "--no-tui"]);
  running.push(receiver);
  const firing = async () => {
    const res = await fetch(`${receiver.url}/api/v1/alerts`, { headers: auth });
    const body = v.parse(AlertsResponseSchema, await res.json());
    return body.rules.flatMap((r) =>
      r.instances.filter((i) => i.state === "firing").map((i) => `${r.name} ${i.key}`),
    );
  };
  let fired: string[] = [];
  for (let i = 0; i < 50 && fired.length < 3; i++) {
    await Bun.sleep(200);
    fired = await firing();
  }
  // VMs 100 (2.4 GB in use) and 101 (8.6 GB) of the PVE 8 tree, not its smaller guests; the
  // Docker host's "web" (140 MB).
  expect(fired.sort()).toEqual(["guest-memory 100", "guest-memory 101", "web-container web"]);
  // The fleet frames stay light all the same.
  const hosts = v.parse(
    HostsResponseSchema,
    await (await fetch(`${receiver.url}/api/v1/hosts`, { headers: auth })).json(),
  );
  expect(hosts.hosts[0]?.snapshot?.guests).toBeUndefined();
  expect(hosts.hosts[0]?.alerts?.map((a) => a.rule).sort()).toEqual([
    "guest-memory",
    "guest-memory",
    "web-container",
  ]);
}, 30_000);
