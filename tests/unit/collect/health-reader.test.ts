// The health reader with fake smartctl, zpool and systemctl on PATH (shell scripts in a temp
// directory): what each source gives, missing tools, timeouts, bad output, the background
// refresh that never runs twice at once, and a snapshot that never waits for it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { createCollector } from "../../../src/collect/index.ts";
import {
  DEFAULT_HEALTH,
  HealthCollecting,
  type HealthOptions,
  HealthReader,
} from "../../../src/collect/linux/health.ts";
import { openPath } from "../../../src/collect/linux/health-smart.ts";
import { SnapshotSchema } from "../../../src/protocol/index.ts";
import { FakeClock } from "./fake-clock.ts";
import { NODE_EXPORTER, withRealSymlinks } from "./fixtures.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/health");
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "hwm-health-"));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let count = 0;
/** A directory of fake tools: name → shell script body. */
function toolDir(tools: Record<string, string>): string {
  const dir = join(root, `bin-${++count}`);
  mkdirSync(dir);
  // PATH is this directory alone: the scripts get the few commands they use from here too.
  for (const command of ["cat", "sleep"]) {
    symlinkSync(Bun.which(command) ?? `/bin/${command}`, join(dir, command));
  }
  for (const [name, body] of Object.entries(tools)) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}

/** A procfs with the degraded mdstat, or without one. */
function procfs(withMdstat: boolean): string {
  const dir = join(root, `proc-${++count}`);
  mkdirSync(dir);
  if (withMdstat)
    writeFileSync(join(dir, "mdstat"), readFileSync(join(FIXTURES, "mdstat-degraded")));
  return dir;
}

const SMARTCTL = `case "$*" in
  *--scan*) cat ${FIXTURES}/smartctl-scan.json ;;
  */dev/sda) cat ${FIXTURES}/smartctl-sata.json ;;
  */dev/nvme0) cat ${FIXTURES}/smartctl-nvme.json ;;
esac`;
const ZPOOL = `cat ${FIXTURES}/zpool-degraded.txt`;
const SYSTEMCTL = `cat ${FIXTURES}/systemctl-failed.json`;

function reader(path: string, options: Partial<HealthOptions> = {}, proc = procfs(true)) {
  const clock = new FakeClock();
  const health = new HealthReader(proc, clock, { ...DEFAULT_HEALTH, path, ...options });
  return { health, clock };
}

describe("every source there", () => {
  test("the first read starts the reading and says so; the next gives disks, pools and units", async () => {
    const { health } = reader(toolDir({ smartctl: SMARTCTL, zpool: ZPOOL, systemctl: SYSTEMCTL }));
    expect(() => health.read()).toThrow(HealthCollecting);
    expect(() => health.read()).toThrow("collecting: the first health reading");
    await health.refresh();
    const h = health.read();
    expect(h.unavailable).toEqual({});
    expect(h.disks.map((d) => [d.device, d.ok, d.celsius])).toEqual([
      ["/dev/sda", true, 34],
      ["/dev/nvme0", true, 41],
    ]);
    expect(h.pools.map((p) => [p.kind, p.name, p.ok])).toEqual([
      ["zfs", "rpool", true],
      ["zfs", "tank", false],
      ["mdraid", "md0", true],
      ["mdraid", "md1", false],
      ["mdraid", "md127", false],
    ]);
    expect(h.failed_units.map((u) => u.name)).toEqual([
      "backup-nightly.service",
      "pve-daily-update.service",
    ]);
    expect(h.collected_ms).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("real smartctl outputs from the lab VM", () => {
  test("a SATA disk --scan calls scsi is opened without -d, so smartctl finds SAT and its S.M.A.R.T.", async () => {
    const smartctl = `case "$*" in
  *--scan*) cat ${FIXTURES}/lab-smartctl-scan.json ;;
  *"-d scsi /dev/sda") cat ${FIXTURES}/lab-smartctl-sata-as-scsi.json; exit 4 ;;
  *"standby /dev/sda") cat ${FIXTURES}/lab-smartctl-sata.json ;;
  *"-d nvme /dev/nvme0") cat ${FIXTURES}/lab-smartctl-nvme.json ;;
  *"-d nvme /dev/nvme1") cat ${FIXTURES}/lab-smartctl-nvme-failing.json; exit 8 ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac`;
    const { health } = reader(toolDir({ smartctl }));
    await health.refresh();
    const h = health.read();
    expect(h.disks.map((d) => [d.device, d.kind, d.ok, d.celsius, d.error])).toEqual([
      ["/dev/sda", "sat", true, 31, null],
      ["/dev/nvme0", "nvme", true, 50, null],
      ["/dev/nvme1", "nvme", false, 50, null],
    ]);
  });
});

describe("not available: why", () => {
  test("no tools installed, no md driver: each source says so; nothing else fails", async () => {
    const { health } = reader(toolDir({}), {}, procfs(false));
    await health.refresh();
    const h = health.read();
    expect(h).toMatchObject({ disks: [], pools: [], failed_units: [] });
    expect(h.unavailable).toEqual({
      smart: "not available: smartctl is not installed (not found on PATH)",
      zfs: "not available: zpool is not installed (not found on PATH)",
      units: "not available: systemctl is not installed (not found on PATH)",
      mdraid: expect.stringContaining("mdstat (the md driver is not loaded)"),
    });
  });

  test("a tool that hangs is killed at its timeout; the others are read", async () => {
    const dir = toolDir({ smartctl: "exec sleep 30", zpool: ZPOOL, systemctl: SYSTEMCTL });
    const { health } = reader(dir, { toolTimeoutMs: 300 });
    const t0 = performance.now();
    await health.refresh();
    expect(performance.now() - t0).toBeLessThan(5_000);
    const h = health.read();
    expect(h.unavailable).toEqual({ smart: "not available: smartctl timed out after 0.3 s" });
    expect(h.pools).toHaveLength(5);
  });

  test("one disk that hangs gets the timeout as its error; the other disk is read", async () => {
    const smartctl = `case "$*" in
  *--scan*) cat ${FIXTURES}/smartctl-scan.json ;;
  */dev/sda) exec sleep 30 ;;
  *) cat ${FIXTURES}/smartctl-nvme.json ;;
esac`;
    const { health } = reader(toolDir({ smartctl }), { toolTimeoutMs: 300 });
    await health.refresh();
    const [sda, nvme] = health.read().disks;
    expect(sda).toMatchObject({
      device: "/dev/sda",
      ok: null,
      error: "smartctl timed out after 0.3 s",
    });
    expect(nvme).toMatchObject({ device: "/dev/nvme0", ok: true, error: null });
  });

  test("bad output: no JSON from the scan, from one disk, from systemctl", async () => {
    const badScan = reader(
      toolDir({
        smartctl: "echo 'Usage: smartctl'; exit 1",
        systemctl: "echo '● foo.service loaded failed'",
      }),
    );
    await badScan.health.refresh();
    expect(badScan.health.read().unavailable).toMatchObject({
      smart:
        "not available: smartctl --scan gave no JSON (Usage: smartctl); smartmontools 7.0 or later is needed",
      units:
        "not available: systemctl gave no JSON list (● foo.service loaded failed); systemd 246 or later is needed",
    });

    const smartctl = `case "$*" in
  *--scan*) cat ${FIXTURES}/smartctl-scan.json ;;
  */dev/sda) echo '{"truncated": ' ;;
  *) cat ${FIXTURES}/smartctl-nvme.json ;;
esac`;
    const badDisk = reader(toolDir({ smartctl }));
    await badDisk.health.refresh();
    const h = badDisk.health.read();
    expect(h.unavailable.smart).toBeUndefined();
    expect(h.disks[0]).toMatchObject({
      device: "/dev/sda",
      ok: null,
      error: 'smartctl gave no JSON: {"truncated":',
    });
    expect(h.disks[1]?.ok).toBe(true);
  });

  test("a disk in standby is left asleep", async () => {
    const smartctl = `case "$*" in
  *--scan*) cat ${FIXTURES}/smartctl-scan.json ;;
  *) echo '{"smartctl":{"messages":[{"string":"Device is in STANDBY mode, exit(2)","severity":"information"}],"exit_status":2}}'; exit 2 ;;
esac`;
    const { health } = reader(toolDir({ smartctl }));
    await health.refresh();
    expect(health.read().disks[0]).toMatchObject({
      ok: null,
      error: "in standby: not woken up to read S.M.A.R.T.",
    });
  });

  test("a disk the service may not open is named as such, not as asleep (its JSON echoes -n standby)", async () => {
    const json = JSON.stringify({
      smartctl: {
        argv: ["smartctl", "--json=c", "--all", "-n", "standby", "-d", "nvme", "/dev/nvme0"],
        messages: [
          {
            string: "Smartctl open device: /dev/nvme0 failed: Permission denied",
            severity: "error",
          },
        ],
        exit_status: 2,
      },
    });
    const smartctl = `case "$*" in
  *--scan*) cat ${FIXTURES}/smartctl-scan.json ;;
  *) echo '${json}'; exit 2 ;;
esac`;
    const { health } = reader(toolDir({ smartctl }));
    await health.refresh();
    expect(health.read().disks[1]).toMatchObject({
      device: "/dev/nvme0",
      ok: null,
      error:
        "Smartctl open device: /dev/nvme0 failed: Permission denied (hwm needs the disk group and CAP_SYS_ADMIN for S.M.A.R.T.: see docs/HEALTH.md)",
    });
  });

  test("an NVMe controller is read through its first namespace, which the disk group may open", () => {
    const dev = join(root, `dev-${++count}`);
    mkdirSync(dev);
    writeFileSync(join(dev, "nvme0"), "");
    expect(openPath(join(dev, "nvme0"), "nvme")).toBe(join(dev, "nvme0"));
    writeFileSync(join(dev, "nvme0n1"), "");
    expect(openPath(join(dev, "nvme0"), "nvme")).toBe(join(dev, "nvme0n1"));
    expect(openPath(join(dev, "nvme0n1"), "nvme")).toBe(join(dev, "nvme0n1"));
    expect(openPath("/dev/sda", "sat")).toBe("/dev/sda");
  });

  test("turned off in the config: an error saying so, and nothing is run", () => {
    const { health } = reader(toolDir({ smartctl: "exit 99" }), { enabled: false });
    expect(() => health.read()).toThrow(
      "health checks are turned off in the config ([health] enabled = false)",
    );
  });
});

describe("the background reading", () => {
  test("a reading older than max_age is served while the next one runs, and only one runs", async () => {
    const runs = join(root, `runs-${++count}`);
    writeFileSync(runs, "");
    // Each scan appends a line and takes a little while, so that reads overlap it.
    const smartctl = `echo run >> ${runs}; sleep 0.2; echo '{"devices":[]}'`;
    const { health, clock } = reader(toolDir({ smartctl }), { maxAgeMs: 60_000 });
    await health.refresh();
    const first = health.read();
    clock.advance(59_000);
    expect(health.read()).toBe(first); // fresh: nothing started
    clock.advance(1_000);
    for (let i = 0; i < 5; i++) expect(health.read()).toBe(first); // stale: served, one refresh started
    await health.refresh(); // the running one
    expect(health.read()).not.toBe(first);
    expect(readFileSync(runs, "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("in a snapshot", () => {
  test("nothing is run until a request asks for health", async () => {
    const runs = join(root, `runs-${++count}`);
    writeFileSync(runs, "");
    const dir = toolDir({ smartctl: `echo run >> ${runs}; echo '{"devices":[]}'` });
    const tree = withRealSymlinks(NODE_EXPORTER);
    const collector = createCollector({
      procfs: `${tree}/proc`,
      sysfs: `${tree}/sys`,
      clock: new FakeClock(),
      health: { ...DEFAULT_HEALTH, path: dir },
    });
    for (let i = 0; i < 3; i++) await collector.snapshot(["cpu", "memory", "disks", "custom"]);
    await Bun.sleep(200);
    expect(readFileSync(runs, "utf8")).toBe("");
    await collector.snapshot(["health"]);
    for (let i = 0; i < 20 && readFileSync(runs, "utf8") === ""; i++) await Bun.sleep(50);
    expect(readFileSync(runs, "utf8")).toBe("run\n");
  });

  test("a snapshot with fast sections and health never waits for health", async () => {
    const tree = withRealSymlinks(NODE_EXPORTER);
    const dir = toolDir({
      smartctl: `case "$*" in *--scan*) sleep 1 ;; esac\n${SMARTCTL}`,
      zpool: ZPOOL,
      systemctl: SYSTEMCTL,
    });
    const clock = new FakeClock();
    const collector = createCollector({
      procfs: `${tree}/proc`,
      sysfs: `${tree}/sys`,
      clock,
      health: { ...DEFAULT_HEALTH, path: dir },
    });
    const t0 = performance.now();
    const first = await collector.snapshot(["memory", "health"]);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(first.memory?.total_bytes).toBeGreaterThan(0);
    expect(first.health).toBeNull();
    expect(first.errors?.health).toStartWith("collecting:");
    expect(v.safeParse(SnapshotSchema, first).issues).toBeUndefined();

    // Bounded wait for the background reading (the scan takes 1 s).
    let later = first;
    for (let i = 0; i < 50 && later.health == null; i++) {
      await Bun.sleep(100);
      clock.advance(1_000); // past the section cache's TTL, which keeps the "collecting" answer
      later = await collector.snapshot(["health"]);
    }
    expect(later.errors).toBeUndefined();
    expect(later.health?.disks).toHaveLength(2);
    expect(later.errors).toBeUndefined();
    expect(v.safeParse(SnapshotSchema, later).issues).toBeUndefined();
  }, 15_000);
});
