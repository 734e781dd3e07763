// The real hwm: a sender with fake smartctl, zpool and systemctl on its PATH and a textfile
// directory answers the health and custom sections and puts them on /metrics; a receiver polling
// it passes them through to its own /metrics with the host label. promtool checks both.
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { writeHealthTools } from "../../scripts/bench/health-tools.ts";
import { type Snapshot, SnapshotSchema } from "../../src/protocol/index.ts";
import { FIXTURES, type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";
import { externalTool } from "../helpers/tools.ts";

const promtool = externalTool(
  "promtool",
  "prometheus",
  "the promtool check of health and custom metrics",
);
const dir = mkdtempSync(join(tmpdir(), "hwm-health-int-"));
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bin = join(dir, "bin");
writeHealthTools(bin);
const textfiles = join(dir, "textfiles");
mkdirSync(textfiles);
writeFileSync(
  join(textfiles, "backup.prom"),
  '# HELP backup_last_success_timestamp_seconds When the last backup succeeded.\n# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds{job="nightly"} 1764720000\n',
);
writeFileSync(join(textfiles, "broken.prom"), "ok 1\nbroken{job=} 1\n");

const auth = { authorization: `Bearer ${TOKEN}` };
const getJson = async (url: string) =>
  (await fetch(url, { headers: auth })).json() as Promise<Snapshot>;

function promtoolCheck(text: string): void {
  if (promtool.skip) return;
  const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
    stdin: new TextEncoder().encode(text),
  });
  expect(check.stdout.toString() + check.stderr.toString()).toBe("");
}

test("a sender answers health (after collecting) and custom, and exports both", async () => {
  const config = join(dir, "sender.toml");
  writeFileSync(
    config,
    `role = "sender"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\n[custom]\ntextfile_dir = "textfiles"\n[health]\ntool_timeout = "5s"\n`,
  );
  const sender = await startHwm(["--config", config, "--procfs", `${FIXTURES}/proc`, "--no-tui"], {
    PATH: bin,
  });
  running.push(sender);

  const first = await getJson(`${sender.url}/api/v1/snapshot?sections=memory,health,custom`);
  expect(v.safeParse(SnapshotSchema, first).issues).toBeUndefined();
  expect(first.memory).not.toBeNull();
  expect(first.errors?.health).toStartWith("collecting:");
  expect(first.custom?.files).toEqual([
    { file: "backup.prom", mtime_ms: expect.any(Number), samples: 1, error: null },
    {
      file: "broken.prom",
      mtime_ms: expect.any(Number),
      samples: 0,
      error: 'line 2: expected """, found "} 1"',
    },
  ]);

  let snapshot = first;
  for (let i = 0; i < 50 && !snapshot.health; i++) {
    await Bun.sleep(200);
    snapshot = await getJson(`${sender.url}/api/v1/snapshot?sections=health`);
  }
  expect(snapshot.health?.disks.map((d) => [d.device, d.ok])).toEqual([
    ["/dev/sdb", false],
    ["/dev/nvme0", true],
  ]);
  expect(snapshot.health?.failed_units).toHaveLength(2);
  // node_exporter's tree has an mdstat: its arrays come after the ZFS pools.
  expect(snapshot.health?.pools.slice(0, 2).map((p) => [p.name, p.ok])).toEqual([
    ["rpool", true],
    ["tank", false],
  ]);
  expect(snapshot.health?.unavailable).toEqual({});

  const metrics = await (await fetch(`${sender.url}/metrics`, { headers: auth })).text();
  expect(metrics).toContain(
    'hwm_smart_ok{device="/dev/sdb",model="ST3000DM001-1CH166",serial="Z1F2ABCD"} 0\n',
  );
  expect(metrics).toContain('hwm_pool_ok{pool="tank",kind="zfs",state="DEGRADED"} 0\n');
  expect(metrics).toContain('backup_last_success_timestamp_seconds{job="nightly"} 1764720000\n');
  expect(metrics).toContain('hwm_custom_file_error{file="broken.prom"} 1\n');
  promtoolCheck(metrics);

  const receiverConfig = join(dir, "receiver.toml");
  writeFileSync(
    receiverConfig,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = 500\n[[senders]]\nname = "box"\nurl = "${sender.url}"\n`,
  );
  const receiver = await startHwm(["--config", receiverConfig, "--no-tui"]);
  running.push(receiver);
  let text = "";
  for (let i = 0; i < 20 && !text.includes("hwm_smart_ok"); i++) {
    text = await (await fetch(`${receiver.url}/metrics`, { headers: auth })).text();
    if (!text.includes("hwm_smart_ok")) await Bun.sleep(300);
  }
  expect(text).toContain(
    'backup_last_success_timestamp_seconds{host="box",job="nightly"} 1764720000\n',
  );
  expect(text).toContain(
    'hwm_smart_ok{host="box",device="/dev/sdb",model="ST3000DM001-1CH166",serial="Z1F2ABCD"} 0\n',
  );
  expect(text).toContain('hwm_systemd_unit_failed{host="box",unit="backup-nightly.service"} 1\n');
  promtoolCheck(text);
}, 30_000);
