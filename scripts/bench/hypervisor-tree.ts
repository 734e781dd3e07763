// A Proxmox host with N guests and M Docker containers as a /proc, /sys and /etc/pve tree for the
// guests benchmark: the cgroup files, configs and process files the collectors read, in the
// layouts of tests/fixtures/linux/hypervisor/ (PVE 8 with Docker beside it). Everything else
// (/proc/stat, meminfo, /sys/class, ...) links to this machine's own files, so the rest of a
// snapshot costs what it costs here.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function put(root: string, path: string, text: string): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function cgroup(root: string, rel: string, n: number, procs: string): void {
  const dir = `sys/fs/cgroup/${rel}`;
  put(root, `${dir}/cgroup.procs`, procs);
  put(
    root,
    `${dir}/cpu.stat`,
    `usage_usec ${n * 1_000_003}\nuser_usec ${n}\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n`,
  );
  put(root, `${dir}/cpu.max`, "max 100000\n");
  put(root, `${dir}/memory.current`, `${n * 10_000_000}\n`);
  put(root, `${dir}/memory.max`, "max\n");
  // memory.stat as the kernel writes it: ~40 lines, inactive_file in the middle.
  const stat = [
    ["anon", n * 9_000_000],
    ["file", 1_000_000],
    ["kernel", 8_839_168],
    ["kernel_stack", 507_904],
    ["pagetables", 3_309_568],
    ["sec_pagetables", 0],
    ["percpu", 1_200],
    ["sock", 0],
    ["vmalloc", 16_384],
    ["shmem", 0],
    ["zswap", 0],
    ["zswapped", 0],
    ["file_mapped", 12_288],
    ["file_dirty", 0],
    ["file_writeback", 0],
    ["swapcached", 0],
    ["anon_thp", 0],
    ["file_thp", 0],
    ["shmem_thp", 0],
    ["inactive_anon", n * 9_000_000],
    ["active_anon", 8_192],
    ["inactive_file", 600_000],
    ["active_file", 400_000],
    ["unevictable", 0],
    ["slab_reclaimable", 1_507_328],
    ["slab_unreclaimable", 1_343_488],
    ["slab", 2_850_816],
    ["workingset_refault_anon", 0],
    ["workingset_refault_file", 1_502],
    ["workingset_activate_anon", 0],
    ["workingset_activate_file", 41],
    ["workingset_restore_anon", 0],
    ["workingset_restore_file", 0],
    ["workingset_nodereclaim", 0],
    ["pgscan", 0],
    ["pgsteal", 0],
    ["pgfault", 345_432],
    ["pgmajfault", 12],
    ["pgrefill", 0],
    ["pgactivate", 3],
    ["pgdeactivate", 0],
    ["thp_fault_alloc", 588],
  ];
  put(root, `${dir}/memory.stat`, stat.map(([k, v]) => `${k} ${v}\n`).join(""));
  put(
    root,
    `${dir}/io.stat`,
    `8:0 rbytes=${n * 4096} wbytes=${n * 8192} rios=${n} wios=${n} dbytes=0 dios=0\n`,
  );
}

function pidStat(pid: number): string {
  return `${pid} (kvm) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 10 5 0 0 20 0 8 0 ${pid * 10} 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;
}

function netDev(ifaces: readonly string[]): string {
  return (
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
    ifaces
      .map(
        (name, i) => `${name.padStart(6)}: ${i * 1000} 10 0 0 0 0 0 0 ${i * 2000} 10 0 0 0 0 0 0\n`,
      )
      .join("")
  );
}

/** Links an entry of a real directory into the tree, unless the tree has it already. */
function linkAll(from: string, to: string, except: readonly string[]): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (except.includes(name) || /^\d+$/.test(name)) continue;
    symlinkSync(join(from, name), join(to, name));
  }
}

export function buildHypervisorTree(root: string, guests: number, containers: number): void {
  const ifaces = ["lo", "eno1", "vmbr0"];
  put(root, "sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
  put(root, "sys/fs/cgroup/system.slice/pvedaemon.service/cgroup.procs", "900\n");
  put(root, "sys/fs/cgroup/system.slice/docker.service/cgroup.procs", "901\n");
  for (let i = 0; i < guests; i++) {
    const id = 100 + i;
    const pid = 10_000 + i;
    const vm = i % 2 === 0;
    cgroup(root, vm ? `qemu.slice/${id}.scope` : `lxc/${id}`, i + 1, vm ? `${pid}\n` : "");
    if (!vm) put(root, `sys/fs/cgroup/lxc/${id}/ns/init.scope/cgroup.procs`, `${pid}\n`);
    put(root, `proc/${pid}/stat`, pidStat(pid));
    const conf = vm
      ? `cores: 2\nmemory: 2048\nname: vm-${id}\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n`
      : `arch: amd64\ncores: 1\nhostname: ct-${id}\nmemory: 512\n`;
    put(root, `etc/pve/nodes/bench/${vm ? "qemu-server" : "lxc"}/${id}.conf`, conf);
    ifaces.push(vm ? `tap${id}i0` : `veth${id}i0`);
  }
  // A stopped guest beside them.
  put(root, "etc/pve/nodes/bench/qemu-server/999.conf", "cores: 4\nmemory: 8192\nname: stopped\n");
  symlinkSync("nodes/bench/qemu-server", join(root, "etc/pve/qemu-server"));
  symlinkSync("nodes/bench/lxc", join(root, "etc/pve/lxc"));
  for (let i = 0; i < containers; i++) {
    const id = (i + 1).toString(16).padStart(64, "c");
    const pid = 20_000 + i;
    cgroup(root, `system.slice/docker-${id}.scope`, i + 1, `${pid}\n`);
    put(root, `proc/${pid}/stat`, pidStat(pid));
    put(root, `proc/${pid}/net/dev`, netDev(["lo", "eth0"]));
    put(
      root,
      `var/lib/docker/containers/${id}/config.v2.json`,
      JSON.stringify({ Name: `/app-${i}`, Config: { Image: "nginx:1.27" } }),
    );
    ifaces.push(`veth${i.toString(16).padStart(7, "0")}`);
  }
  put(root, "proc/net/dev", netDev(ifaces));
  // The rest of /proc and /sys is this machine's: pid 1 too (the host's network namespace).
  linkAll("/proc", join(root, "proc"), ["net"]);
  symlinkSync("/proc/1", join(root, "proc/1"));
  linkAll("/sys", join(root, "sys"), ["fs"]);
}
