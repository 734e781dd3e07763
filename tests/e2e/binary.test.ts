// The compiled binary as users get it: built by scripts/build.ts, copied to a bare directory,
// run as sender and receiver; cross-built targets are the right executable formats.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import * as v from "valibot";
import pkg from "../../package.json" with { type: "json" };
import { build } from "../../scripts/build.ts";
import { RUNTIME_ENV } from "../../src/commands/runtime-env.ts";
import { HostsResponseSchema } from "../../src/protocol/index.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-binary-"));
const bin = join(dir, "hwm");
const TOKEN_IN_DOTENV = "dotenv-token-0123456789abcdefghij";
const procs: Subprocess[] = [];

beforeAll(async () => {
  const built = await build("linux-x64", mkdtempSync(join(tmpdir(), "hwm-dist-")), "testcommit");
  copyFileSync(built.file, bin);
  Bun.spawnSync(["chmod", "755", bin]);
  // A working directory with a .env and a bunfig.toml that a plain `bun` would load: the binary must not.
  writeFileSync(join(dir, ".env"), `HWM_TOKEN=${TOKEN_IN_DOTENV}\n`);
  writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
  writeFileSync(join(dir, "evil.ts"), 'console.error("EVIL PRELOAD RAN");\n');
}, 120_000);

afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
});

function run(args: string[]) {
  const r = Bun.spawnSync([bin, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() };
}

async function start(args: string[]): Promise<{ url: string; pid: number; log: () => string }> {
  const proc = Bun.spawn([bin, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  procs.push(proc);
  let log = "";
  void (async () => {
    for await (const chunk of proc.stderr) log += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; i < 200; i++) {
    const m = /listening url=(\S+)/.exec(log);
    if (m?.[1]) return { url: m[1], pid: proc.pid, log: () => log };
    if (proc.exitCode !== null) break;
    await Bun.sleep(25);
  }
  throw new Error(`the binary did not start:\n${log}`);
}

describe("compiled linux-x64 binary", () => {
  test("--version names the version and the baked-in commit; --help works", () => {
    const version = run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toBe(`hwm ${pkg.version} (testcommit)`);
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--role");
    expect(help.out).not.toContain("EVIL PRELOAD RAN");
  });

  test("runs as a sender from a bare directory and does not load .env or bunfig.toml", async () => {
    const sender = await start(["--role", "sender", "--listen", "127.0.0.1:0", "--no-tui"]);
    expect((await fetch(`${sender.url}/healthz`)).status).toBe(200);
    // Had .env been loaded, HWM_TOKEN would be set and this would be a 401.
    const info = await fetch(`${sender.url}/api/v1/info`);
    expect(info.status).toBe(200);
    expect(((await info.json()) as { hwm_version: string }).hwm_version).toBe(pkg.version);
    expect(sender.log()).not.toContain("EVIL PRELOAD RAN");
    // It restarted itself in place with the runtime's start-up settings (runtime-env.ts).
    const env = readFileSync(`/proc/${sender.pid}/environ`, "utf8").split("\0");
    for (const [name, value] of Object.entries(RUNTIME_ENV))
      expect(env).toContain(`${name}=${value}`);
  });

  test("runs as a receiver that polls a sender binary", async () => {
    const token = "binary-token-0123456789abcdefghij";
    const sender = await start([
      "--role",
      "sender",
      "--listen",
      "127.0.0.1:0",
      "--token",
      token,
      "--no-tui",
    ]);
    const config = join(dir, "fleet.toml");
    writeFileSync(
      config,
      `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${token}"\n[[senders]]\nname = "s"\nurl = "${sender.url}"\n`,
    );
    const receiver = await start(["--config", config, "--no-tui"]);
    let status = "";
    for (let i = 0; i < 20 && status !== "online"; i++) {
      const res = await fetch(`${receiver.url}/api/v1/hosts`, {
        headers: { authorization: `Bearer ${token}` },
      });
      status = v.parse(HostsResponseSchema, await res.json()).hosts[0]?.status ?? "";
      if (status !== "online") await Bun.sleep(300);
    }
    expect(status).toBe("online");
  });
});

/** The first bytes that tell an executable's format and machine. */
function header(file: string): Buffer {
  return readFileSync(file).subarray(0, 4096);
}

describe("cross-built targets", () => {
  test("linux-arm64 is an aarch64 ELF, darwin a Mach-O, windows a PE", async () => {
    const out = mkdtempSync(join(tmpdir(), "hwm-cross-"));
    const [arm, mac, win] = await Promise.all([
      build("linux-arm64", out, "x"),
      build("darwin-arm64", out, "x"),
      build("windows-x64", out, "x"),
    ]);
    const elf = header(arm.file);
    expect(elf.subarray(0, 4).toString("hex")).toBe("7f454c46");
    expect(elf.readUInt16LE(18)).toBe(0xb7); // EM_AARCH64
    const macho = header(mac.file);
    expect(macho.readUInt32LE(0)).toBe(0xfeedfacf); // 64-bit Mach-O
    expect(macho.readUInt32LE(4)).toBe(0x0100000c); // CPU_TYPE_ARM64
    const pe = header(win.file);
    expect(pe.subarray(0, 2).toString()).toBe("MZ");
    const peOffset = pe.readUInt32LE(0x3c);
    expect(pe.subarray(peOffset, peOffset + 4).toString("hex")).toBe("50450000");
    expect(pe.readUInt16LE(peOffset + 4)).toBe(0x8664); // x86-64
    expect(win.file.endsWith(".exe")).toBe(true);
  }, 240_000);
});
