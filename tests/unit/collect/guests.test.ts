// Proxmox guests from the hand-made PVE 7, 8 and 9 trees: configs, cgroup counters, rates from two
// readings, guests starting, stopping and restarting between them, and configs full of nonsense.
import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import {
  key,
  keyedValue,
  parseCpuMax,
  sumAfter,
  wholeUint,
} from "../../../src/collect/linux/cgroup-parse.ts";
import { parseGuestConfig, readGuestConfigs } from "../../../src/collect/linux/pve-config.ts";
import { decode, type Guest, SnapshotSchema } from "../../../src/protocol/index.ts";
import { FakeClock } from "./fake-clock.ts";
import { makeTempDir } from "./fixtures.ts";
import {
  collectorFor,
  copyTree,
  cpuStat,
  HYPERVISOR,
  netDev,
  pidStat,
  put,
  v2Cgroup,
} from "./hypervisor.ts";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function byId(guests: readonly Guest[] | null | undefined, id: number): Guest | undefined {
  return guests?.find((g) => g.id === id);
}

describe("guest configs", () => {
  test("a VM: name, cores x sockets, memory in MiB; snapshots and the description are not the config", () => {
    const configs = readGuestConfigs(`${HYPERVISOR}/pve8/etc/pve`);
    expect(configs.get("vm:100")).toEqual({
      id: 100,
      kind: "vm",
      name: "web",
      cores: 2,
      memBytes: 4 * GiB,
      template: false,
    });
    expect(configs.get("vm:101")).toMatchObject({ name: "db", cores: 8, memBytes: 8 * GiB });
    expect(configs.get("ct:200")).toMatchObject({ kind: "ct", name: "dns", cores: 1 });
    // A CT without cores: may use every host core.
    expect(configs.get("ct:202")?.cores).toBeNull();
    // Templates never run; notes.txt is not a config.
    expect(configs.has("vm:9000")).toBe(false);
    expect([...configs.keys()].sort()).toEqual([
      "ct:200",
      "ct:201",
      "ct:202",
      "vm:100",
      "vm:101",
      "vm:102",
      "vm:104",
      "vm:105",
    ]);
  });

  test("odd lines, huge and negative numbers: PVE's defaults, never the nonsense", () => {
    const config = readGuestConfigs(`${HYPERVISOR}/pve8/etc/pve`).get("vm:105");
    // memory 99999999999999999999 → the default 512 MiB; cores -2, sockets "two", vcpus 0 → 1 x 1.
    expect(config).toMatchObject({ name: "odd vm: with colons", cores: 1, memBytes: 512 * MiB });
  });

  test("PVE 8.1+ memory as a property string; vcpus wins over cores x sockets", () => {
    expect(
      parseGuestConfig(120, "vm", "memory: current=2048,min=1024\nvcpus: 3\ncores: 4\n"),
    ).toEqual({
      id: 120,
      kind: "vm",
      name: null,
      cores: 3,
      memBytes: 2 * GiB,
      template: false,
    });
    expect(
      parseGuestConfig(1, "ct", "hostname: x\nmemory: 99999999999\ncores: 100000\n"),
    ).toMatchObject({
      name: "x",
      cores: null,
      memBytes: 512 * MiB,
    });
    // A name longer than the wire carries is cut, not refused.
    expect(parseGuestConfig(1, "vm", `name: ${"n".repeat(300)}\n`).name).toHaveLength(256);
  });
});

describe("cgroup files", () => {
  test("keyed values, io.stat and blkio sums, cpu.max in cores, numbers a double cannot hold", () => {
    const bytes = (text: string) => Buffer.from(text);
    expect(keyedValue(bytes(cpuStat(42)), key("usage_usec"))).toBe(42);
    expect(keyedValue(bytes("anon 1\ninactive_file 7\n"), key("inactive_file"))).toBe(7);
    // A key inside another's name does not count: total_inactive_file is not inactive_file.
    expect(keyedValue(bytes("total_inactive_file 9\n"), key("inactive_file"))).toBeNull();
    expect(keyedValue(bytes("anon 1\n"), key("inactive_file"))).toBeNull();
    const io = bytes(
      "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n253:0 rbytes=5 wbytes=0\n",
    );
    expect([sumAfter(io, Buffer.from(" rbytes=")), sumAfter(io, Buffer.from(" wbytes="))]).toEqual([
      15, 20,
    ]);
    const blkio = bytes("8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");
    expect([
      sumAfter(blkio, Buffer.from(" Read ")),
      sumAfter(blkio, Buffer.from(" Write ")),
    ]).toEqual([4096, 8192]);
    expect(parseCpuMax("max 100000\n")).toBeNull();
    expect(parseCpuMax("150000 100000\n")).toBe(1.5);
    expect(parseCpuMax("garbage")).toBeNull();
    // v1's "unlimited" (2^63 rounded to a page) and other giants are not numbers we can trust.
    expect(wholeUint(bytes("9223372036854771712\n"))).toBeNull();
    expect(wholeUint(bytes("max\n"))).toBeNull();
    expect(wholeUint(bytes("-5"))).toBeNull();
    expect(wholeUint(bytes("12abc\n"))).toBeNull();
    expect(wholeUint(bytes("536870912\n"))).toBe(536870912);
  });
});

describe("the guests section", () => {
  test("PVE 8: running VMs and CTs with rates from two readings, stopped ones from their configs", async () => {
    const root = copyTree("pve8");
    const clock = new FakeClock();
    // During the 200 ms baseline: VM 100 uses 0.1 s of CPU, reads 1 MiB, and receives 200 kB.
    clock.onSleep = () => {
      put(root, "sys/fs/cgroup/qemu.slice/100.scope/cpu.stat", cpuStat(5_000_100_000));
      put(
        root,
        "sys/fs/cgroup/qemu.slice/100.scope/io.stat",
        "8:0 rbytes=11534336 wbytes=52428800 rios=1 wios=1 dbytes=0 dios=0\n253:2 rbytes=4096 wbytes=8192\n",
      );
      put(
        root,
        "proc/net/dev",
        netDev([
          ["eno1", 1, 1],
          ["tap100i0", 1_000_000, 5_200_000],
          ["tap100i1", 200_000, 300_000],
        ]),
      );
    };
    const snapshot = await collectorFor(root, clock).snapshot(["guests"]);
    expect(snapshot.errors).toBeUndefined();
    expect(decode(SnapshotSchema, snapshot).ok).toBe(true);
    expect(byId(snapshot.guests, 100)).toEqual({
      id: 100,
      kind: "vm",
      name: "web",
      status: "running",
      cpu_pct: 50,
      cores: 2,
      // memory.current 2.5 GB minus 100 MB of inactive file cache.
      mem_used_bytes: 2_400_000_000,
      mem_limit_bytes: 4 * GiB,
      disk_read_bps: 5_242_880,
      disk_write_bps: 0,
      // The host's tap sent 1 MB/s: the guest received it.
      net_rx_bps: 1_000_000,
      net_tx_bps: 0,
      // kvm started 1000 s after boot; the host is up 100000 s.
      uptime_s: 99_000,
    });
    // VM 101 is limited to 4 cores by cpu.max but configured with 2 x 4: the config is what it has.
    expect(byId(snapshot.guests, 101)).toMatchObject({ cores: 8, mem_limit_bytes: 8 * GiB });
    // CT 200: processes in lxc/200/ns/init.scope, limits from its cgroup.
    expect(byId(snapshot.guests, 200)).toMatchObject({
      kind: "ct",
      name: "dns",
      status: "running",
      mem_used_bytes: 220_000_000,
      mem_limit_bytes: 512 * MiB,
      uptime_s: 50_000,
    });
    expect(byId(snapshot.guests, 102)).toEqual({
      id: 102,
      kind: "vm",
      name: "win11",
      status: "stopped",
      cpu_pct: null,
      cores: 4,
      mem_used_bytes: null,
      mem_limit_bytes: 16 * GiB,
      disk_read_bps: null,
      disk_write_bps: null,
      net_rx_bps: null,
      net_tx_bps: null,
      uptime_s: null,
    });
    // 104.scope was listed but its files were gone: the VM stopped while it was read.
    expect(byId(snapshot.guests, 104)?.status).toBe("stopped");
    // 103 runs without a config (deleted under it): shown, with what its cgroup knows.
    expect(byId(snapshot.guests, 103)).toMatchObject({
      status: "running",
      name: null,
      cores: null,
      mem_limit_bytes: null,
    });
    expect(snapshot.guests?.map((g) => g.id)).toEqual([
      100, 101, 102, 103, 104, 105, 200, 201, 202,
    ]);
  });

  test("guests starting, stopping and restarting between two reads", async () => {
    const root = copyTree("pve8");
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    const first = await collector.snapshot(["guests"]);
    expect(byId(first.guests, 102)?.status).toBe("stopped");
    expect(byId(first.guests, 200)?.uptime_s).toBe(50_000);

    clock.advance(3_000);
    // 102 starts, 101 stops, CT 200 restarts (a new cgroup: its counter starts again), and a
    // new VM 106 is created and started (its config is read again for it).
    v2Cgroup(root, "qemu.slice/102.scope", { usageUsec: 1_000, memBytes: GiB, procs: "7000\n" });
    put(root, "proc/7000/stat", pidStat(7000, "kvm", 9_999_500));
    rmSync(`${root}/sys/fs/cgroup/qemu.slice/101.scope`, { recursive: true });
    put(root, "sys/fs/cgroup/lxc/200/cpu.stat", cpuStat(5_000));
    put(root, "sys/fs/cgroup/lxc/200/ns/init.scope/cgroup.procs", "7100\n");
    put(root, "proc/7100/stat", pidStat(7100, "systemd", 9_999_000));
    put(root, "etc/pve/nodes/pve1/qemu-server/106.conf", "name: fresh\ncores: 1\nmemory: 256\n");
    v2Cgroup(root, "qemu.slice/106.scope", { usageUsec: 10, memBytes: MiB, procs: "7200\n" });
    put(root, "proc/7200/stat", pidStat(7200, "kvm", 9_999_900));
    const second = await collector.snapshot(["guests"]);

    expect(byId(second.guests, 102)).toMatchObject({
      status: "running",
      // No earlier reading of this cgroup: no rate yet, rather than one since boot.
      cpu_pct: null,
      mem_used_bytes: GiB,
      // The host's uptime moves on its monotonic clock: 100000 s + 3.2 s; kvm started at 99995 s.
      uptime_s: 8,
    });
    expect(byId(second.guests, 101)).toMatchObject({
      status: "stopped",
      cpu_pct: null,
      uptime_s: null,
    });
    expect(byId(second.guests, 200)).toMatchObject({
      status: "running",
      cpu_pct: null,
      uptime_s: 13,
    });
    expect(byId(second.guests, 106)).toMatchObject({
      name: "fresh",
      status: "running",
      uptime_s: 4,
    });
    // VM 100 did nothing in those 3 s.
    expect(byId(second.guests, 100)).toMatchObject({ cpu_pct: 0, disk_read_bps: 0, net_rx_bps: 0 });

    // Within the section's cache lifetime (3 s) the same reading is served.
    clock.advance(2_000);
    expect((await collector.snapshot(["guests"])).guests).toEqual(second.guests);
    clock.advance(1_000);
    put(root, "sys/fs/cgroup/qemu.slice/102.scope/cpu.stat", cpuStat(6_001_000));
    const third = await collector.snapshot(["guests"]);
    // 6 s of CPU in 3 s: two cores busy.
    expect(byId(third.guests, 102)?.cpu_pct).toBe(200);
  });

  test("PVE 7 (containers without ns/) and PVE 9 (memory as a property string)", async () => {
    const seven = await collectorFor(copyTree("pve7"), new FakeClock()).snapshot(["guests"]);
    expect(seven.guests).toEqual([
      expect.objectContaining({ id: 110, kind: "vm", name: "legacy-vm", uptime_s: 4_800 }),
      expect.objectContaining({
        id: 300,
        kind: "ct",
        name: "pihole",
        cores: 2,
        mem_limit_bytes: 256 * MiB,
        uptime_s: 4_700,
      }),
    ]);
    const nine = await collectorFor(copyTree("pve9"), new FakeClock()).snapshot(["guests"]);
    expect(byId(nine.guests, 120)).toMatchObject({ name: "k3s-node", mem_limit_bytes: 2 * GiB });
    expect(byId(nine.guests, 310)).toMatchObject({ name: "nginx", uptime_s: 2_600 });
  });

  test("a legacy (cgroup v1) PVE host: the VM from cpuacct, memory and blkio", async () => {
    const snapshot = await collectorFor(copyTree("cgroup-v1"), new FakeClock()).snapshot([
      "guests",
    ]);
    expect(snapshot.guests).toEqual([
      expect.objectContaining({
        id: 130,
        name: "legacy-v1",
        status: "running",
        mem_used_bytes: 4_000_000_000,
        // memory.limit_in_bytes says "unlimited": the configured 4 GiB.
        mem_limit_bytes: 4 * GiB,
        uptime_s: 49_999,
      }),
    ]);
  });

  test("not a Proxmox host: no cgroups, no /etc/pve: an empty list, no error", async () => {
    const empty = makeTempDir("no-pve");
    const snapshot = await collectorFor(empty, new FakeClock()).snapshot(["guests", "containers"]);
    expect(snapshot).toMatchObject({ guests: [], containers: [] });
    expect(snapshot.errors).toBeUndefined();
  });

  test("a scope with only cpu.stat (no memory or io controller), its process not in it yet", async () => {
    const root = copyTree("pve9");
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    put(root, "sys/fs/cgroup/qemu.slice/121.scope/cpu.stat", cpuStat(1));
    put(root, "sys/fs/cgroup/qemu.slice/121.scope/cgroup.procs", "");
    const first = await collector.snapshot(["guests"]);
    expect(first.errors).toBeUndefined();
    expect(byId(first.guests, 121)).toMatchObject({
      status: "running",
      mem_used_bytes: null,
      disk_read_bps: null,
      uptime_s: null,
    });
    // The process arrives: its start time is looked up then, not remembered as unknown.
    put(root, "sys/fs/cgroup/qemu.slice/121.scope/cgroup.procs", "2800\n");
    put(root, "proc/2800/stat", pidStat(2800, "kvm", 300_000));
    clock.advance(3_000);
    const second = await collector.snapshot(["guests"]);
    expect(byId(second.guests, 121)?.uptime_s).toBe(603);
  });

  test("configs without cgroups (a copy of /etc/pve): every guest stopped", async () => {
    const root = copyTree("pve8");
    rmSync(`${root}/sys`, { recursive: true });
    const snapshot = await collectorFor(root, new FakeClock()).snapshot(["guests"]);
    expect(snapshot.guests?.every((g) => g.status === "stopped")).toBe(true);
    expect(snapshot.guests).toHaveLength(8);
  });
});
