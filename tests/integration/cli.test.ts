// The command line as a user meets it: version, help, bad flags, the security refusal, token.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import pkg from "../../package.json" with { type: "json" };
import { RUNTIME_ENV } from "../../src/commands/runtime-env.ts";
import { HostInfoSchema, SnapshotSchema } from "../../src/protocol/index.ts";
import { FIXTURES, runHwm, startHwm, TOKEN } from "../helpers/process.ts";
import { selfSignedCert } from "../helpers/tls.ts";
import { withRealSymlinks } from "../unit/collect/fixtures.ts";

describe("hwm CLI", () => {
  test("--version prints the version", async () => {
    const r = await runHwm(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`hwm ${pkg.version}`);
  });

  test("--help lists the flags and subcommands", async () => {
    const r = await runHwm(["--help"]);
    expect(r.code).toBe(0);
    const text = r.stdout + r.stderr;
    for (const word of [
      "--role",
      "--listen",
      "--token",
      "--interval-ms",
      "--config",
      "--no-tui",
      "--log-level",
      "--procfs",
      "--sysfs",
      "token",
      "check-config",
    ]) {
      expect(text).toContain(word);
    }
  });

  test("check-config without its FILE exits 2 and says what is missing", async () => {
    const r = await runHwm(["check-config"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hwm: Missing required positional argument: FILE");
  });

  test("an unknown command exits 2 and names it in plain text", async () => {
    const r = await runHwm(["nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hwm: Unknown command nosuch\nSee "hwm --help".');
  });

  test("an unknown flag exits 2 and names it, with a suggestion", async () => {
    const r = await runHwm(["--lisen", "127.0.0.1:0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--lisen: unknown flag; did you mean --listen?");
  });

  test("a bad flag value exits 2 and names the flag", async () => {
    const r = await runHwm(["--role", "sender", "--interval-ms", "soon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--interval-ms");
  });

  test("a non-loopback address without a token is refused with exit 2", async () => {
    const r = await runHwm(["--role", "sender", "--listen", "0.0.0.0:0", "--no-tui"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("0.0.0.0:0");
    expect(r.stderr).toContain("hwm token");
  });

  test("a second node on a port already in use exits 1 and says so", async () => {
    const first = await startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--no-tui"]);
    try {
      const port = new URL(first.url).port;
      const second = await runHwm([
        "--role",
        "sender",
        "--listen",
        `127.0.0.1:${port}`,
        "--no-tui",
      ]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(
        `cannot listen on 127.0.0.1:${port}: the address is already in use`,
      );
    } finally {
      await first.stop();
    }
  });

  test("`hwm token` prints a fresh URL-safe token of 32 random bytes", async () => {
    const [a, b] = await Promise.all([runHwm(["token"]), runHwm(["token"])]);
    expect(a.code).toBe(0);
    expect(a.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.stdout.trim()).not.toBe(b.stdout.trim());
  });

  test("`hwm check-config` accepts a good file and lists every problem of a bad one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-cli-"));
    const good = join(dir, "good.toml");
    writeFileSync(good, `role = "sender"\nlisten = "127.0.0.1:7070"\n`);
    const ok = await runHwm(["check-config", good]);
    expect(ok.code).toBe(0);
    const bad = join(dir, "bad.toml");
    writeFileSync(
      bad,
      `role = "sendr"\ninterval_ms = "fast"\n[[senders]]\nname = "a"\nurl = "ftp://x"\n`,
    );
    const r = await runHwm(["check-config", bad]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain("role");
    expect(r.stdout + r.stderr).toContain("interval_ms");
    expect(r.stdout + r.stderr).toContain("senders[0].url");
  });

  test("a node restarts itself once, in place, with the runtime's start-up settings", async () => {
    const node = await startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--no-tui"], {
      MIMALLOC_PURGE_HOLES_MIN_INTERVAL: "500",
    });
    try {
      // Same PID (execve), the user's value kept, the other one added; still serving.
      const env = readFileSync(`/proc/${node.proc.pid}/environ`, "utf8").split("\0");
      expect(env).toContain("MIMALLOC_PURGE_HOLES_MIN_INTERVAL=500");
      expect(env).toContain(`BUN_GC_TIMER_INTERVAL=${RUNTIME_ENV.BUN_GC_TIMER_INTERVAL}`);
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
      expect(node.log().match(/listening url=/g)).toHaveLength(1);
    } finally {
      await node.stop();
    }
  });

  test("the env var HWM_TOKEN is the token", async () => {
    const node = await startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--no-tui"], {
      HWM_TOKEN: TOKEN,
    });
    try {
      expect((await fetch(`${node.url}/api/v1/info`)).status).toBe(401);
      expect(
        (await fetch(`${node.url}/api/v1/info`, { headers: { authorization: `Bearer ${TOKEN}` } }))
          .status,
      ).toBe(200);
    } finally {
      await node.stop();
    }
  });

  test("without a token on loopback, requests must name a loopback Host (DNS rebinding fails)", async () => {
    const node = await startHwm(["--role", "sender", "--listen", "127.0.0.1:0", "--no-tui"]);
    try {
      expect((await fetch(`${node.url}/api/v1/info`)).status).toBe(200);
      const rebound = await fetch(`${node.url}/api/v1/info`, {
        headers: { host: "evil.example:7070" },
      });
      expect(rebound.status).toBe(403);
    } finally {
      await node.stop();
    }
  });

  /** A token-less loopback sender reading `tree`/proc and `tree`/sys. */
  const senderOn = (tree: string) =>
    startHwm([
      "--role",
      "sender",
      "--listen",
      "127.0.0.1:0",
      "--no-tui",
      "--procfs",
      join(tree, "proc"),
      "--sysfs",
      join(tree, "sys"),
    ]);

  test("a sender pointed at a foreign /proc and /sys tree answers from it", async () => {
    // The tree stores its symlinks as files naming the target; real /sys has symlinks.
    const node = await senderOn(withRealSymlinks(FIXTURES));
    try {
      const snap = v.parse(
        SnapshotSchema,
        await (await fetch(`${node.url}/api/v1/snapshot`)).json(),
      );
      expect(snap.sensors?.length).toBeGreaterThan(5);
      expect(snap.disk_io?.some((d) => d.device.startsWith("nvme"))).toBe(true);
      expect(snap.memory?.total_bytes).toBe(3742148 * 1024);
    } finally {
      await node.stop();
    }
  });

  test("pointed at node_exporter's tree as stored (symlinks as files), every route answers", async () => {
    const node = await senderOn(FIXTURES);
    try {
      const snap = v.parse(
        SnapshotSchema,
        await (await fetch(`${node.url}/api/v1/snapshot`)).json(),
      );
      expect(snap.cpu?.cores_pct).toHaveLength(8);
      expect(snap.memory?.total_bytes).toBe(3742148 * 1024);
      expect(snap.disk_io?.map((d) => d.device)).toContain("mpathA");
      expect(Array.isArray(snap.sensors)).toBe(true);
      const info = v.parse(HostInfoSchema, await (await fetch(`${node.url}/api/v1/info`)).json());
      expect(info.os).toBe("Ubuntu 20.04.2 LTS");
      expect(info.cpu_model).toContain("i7-8650U");
      const metrics = await fetch(`${node.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("hwm_memory_total_bytes 3831959552");
    } finally {
      await node.stop();
    }
  });

  test("TLS: serves https with [tls] cert and key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-tls-"));
    const { cert, key } = selfSignedCert(dir);
    const config = join(dir, "hwm.toml");
    writeFileSync(
      config,
      `role = "sender"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\n[tls]\ncert = "${cert}"\nkey = "${key}"\n`,
    );
    const node = await startHwm(["--config", config, "--no-tui"]);
    try {
      expect(node.url.startsWith("https://")).toBe(true);
      const res = await fetch(`${node.url}/api/v1/info`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        tls: { ca: await Bun.file(cert).text() },
      } as RequestInit);
      expect(res.status).toBe(200);
    } finally {
      await node.stop();
    }
  });
});
