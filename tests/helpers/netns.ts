// A fault bed of network namespaces: one namespace per host, joined to the root namespace by a
// veth pair with a /30 of its own, so a test can run a real process "on another machine", cut its
// link and shape its traffic with tc. Names carry the test's pid; destroy() removes everything.
import { externalTool } from "./tools.ts";

export type LinkEnd = "host" | "receiver";

export interface BedHost {
  /** The namespace's name, for `ip netns exec`. */
  ns: string;
  /** The host's address inside its namespace; the receiver reaches it over the veth pair. */
  address: string;
  /** Run a command inside the namespace: prefix it with this. */
  exec: readonly string[];
  /**
   * One end of the link goes down. The host's end: a cable pulled at the host, packets go
   * nowhere. The receiver's end: its route to the host goes, and connecting fails at once.
   */
  linkDown(end: LinkEnd): void;
  linkUp(end: LinkEnd): void;
  /** Shape what the host sends (its answers) with this qdisc, e.g. ["tbf", "rate", "4kbit", …]. */
  shape(qdisc: readonly string[]): void;
  unshape(): void;
}

export interface NetBed {
  hosts: BedHost[];
  /** Kills what still runs in the namespaces and deletes them and their links. Idempotent. */
  destroy(): void;
}

export interface NetBedSupport {
  /** True outside CI when namespaces cannot be made here: skip the tests (the reason is printed). */
  readonly skip: boolean;
  /** Why not, or null when the bed can be made. */
  readonly reason: string | null;
  /** Whether tc knows this qdisc kind in this kernel (netem is a module some kernels lack). */
  qdisc(kind: string, args: readonly string[]): boolean;
}

const ip = externalTool("ip", "iproute2", "the network-namespace fault bed");

function run(args: readonly string[]): { ok: boolean; output: string } {
  const result = Bun.spawnSync([...args], { stdout: "pipe", stderr: "pipe" });
  return {
    ok: result.exitCode === 0,
    output: `${result.stdout.toString()}${result.stderr.toString()}`.trim(),
  };
}

function must(args: readonly string[]): void {
  const result = run(args);
  if (!result.ok) throw new Error(`${args.join(" ")}: ${result.output}`);
}

/**
 * Makes a namespace with a veth pair (p0, p1) in it, hands its name to `use`, then deletes it.
 * Returns why it could not be made, or what `use` returned.
 */
function inProbe<T>(
  use: (ns: string) => T,
): { made: false; why: string } | { made: true; value: T } {
  const tool = ip.path();
  const ns = `hwm-probe-${process.pid}`;
  const made = run([tool, "netns", "add", ns]);
  if (!made.ok)
    return { made: false, why: `cannot make a network namespace here (${made.output})` };
  try {
    const veth = run([tool, "-n", ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1"]);
    if (!veth.ok) return { made: false, why: `cannot make a veth pair here (${veth.output})` };
    return { made: true, value: use(ns) };
  } finally {
    run([tool, "netns", "del", ns]);
  }
}

/**
 * Whether this machine lets us make the bed: the `ip` tool, and the right to make namespaces and
 * veth pairs (root, or CAP_NET_ADMIN), probed by making and deleting one.
 */
export function netBedSupport(needs: string): NetBedSupport {
  let reason: string | null = null;
  if (ip.skip) reason = "the ip tool is missing (apt-get install iproute2)";
  else {
    const probed = inProbe(() => true);
    if (!probed.made) reason = probed.why;
  }
  const skip = reason !== null && !process.env.CI;
  if (skip) console.warn(`skipped: ${needs}: ${reason}`);
  return {
    skip,
    reason,
    qdisc(kind, args) {
      if (reason !== null) return false;
      const probed = inProbe(
        (ns) =>
          run([
            ip.path(),
            "netns",
            "exec",
            ns,
            "tc",
            "qdisc",
            "add",
            "dev",
            "p0",
            "root",
            kind,
            ...args,
          ]).ok,
      );
      return probed.made && probed.value;
    },
  };
}

/**
 * Makes `count` namespaces. Host i gets 198.A.B.(4i+2)/30, the root side 198.A.B.(4i+1): the
 * range set aside for testing network devices (198.18.0.0/15, RFC 2544), which no LAN uses; A
 * and B come from the pid, so two runs at once do not collide.
 */
export function makeNetBed(count: number): NetBed {
  if (count < 1 || count > 63) throw new Error("a bed has 1 to 63 hosts");
  const tool = ip.path();
  const pid = process.pid;
  const net = `198.${18 + (Math.floor(pid / 256) % 2)}.${pid % 256}`;
  const made: { ns: string; rootIf: string }[] = [];
  const destroy = () => {
    for (const { ns, rootIf } of made.splice(0)) {
      // Every process in the namespace is one this test started.
      const pids = run([tool, "netns", "pids", ns]).output.split(/\s+/).filter(Boolean);
      for (const p of pids) {
        try {
          process.kill(Number(p), "SIGKILL");
        } catch {
          // it ended meanwhile
        }
      }
      run([tool, "link", "del", rootIf]);
      run([tool, "netns", "del", ns]);
    }
  };
  const hosts: BedHost[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const ns = `hwm-${pid}-${i}`;
      const rootIf = `h${pid}r${i}`;
      const hostIf = `h${pid}n${i}`;
      const rootAddress = `${net}.${4 * i + 1}`;
      const address = `${net}.${4 * i + 2}`;
      must([tool, "netns", "add", ns]);
      made.push({ ns, rootIf });
      // MTU 576 (the IPv4 minimum): tbf's bucket can then be as small as one packet, so a
      // throttled link slows an answer from its first kilobyte.
      must([
        tool,
        "link",
        "add",
        rootIf,
        "mtu",
        "576",
        "type",
        "veth",
        "peer",
        "name",
        hostIf,
        "mtu",
        "576",
      ]);
      must([tool, "link", "set", hostIf, "netns", ns]);
      must([tool, "addr", "add", `${rootAddress}/30`, "dev", rootIf]);
      must([tool, "link", "set", rootIf, "up"]);
      must([tool, "-n", ns, "addr", "add", `${address}/30`, "dev", hostIf]);
      must([tool, "-n", ns, "link", "set", hostIf, "up"]);
      must([tool, "-n", ns, "link", "set", "lo", "up"]);
      const inNs = [tool, "netns", "exec", ns];
      const setLink = (end: LinkEnd, state: "up" | "down") =>
        end === "host"
          ? must([tool, "-n", ns, "link", "set", hostIf, state])
          : must([tool, "link", "set", rootIf, state]);
      hosts.push({
        ns,
        address,
        exec: inNs,
        linkDown: (end) => setLink(end, "down"),
        linkUp: (end) => setLink(end, "up"),
        shape: (qdisc) =>
          must([...inNs, "tc", "qdisc", "replace", "dev", hostIf, "root", ...qdisc]),
        unshape: () => must([...inNs, "tc", "qdisc", "del", "dev", hostIf, "root"]),
      });
    }
  } catch (err) {
    destroy();
    throw err;
  }
  return { hosts, destroy };
}
