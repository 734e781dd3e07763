// The systemd unit and config that `hwm service` writes, and install's refusals and dry run.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ArgsDef, runCommand } from "citty";
import { checkFlags } from "../../src/commands/flags.ts";
import serviceCommand, {
  type InstallEnv,
  install,
  serviceOptions,
} from "../../src/commands/service.ts";
import { UsageError } from "../../src/config/errors.ts";
import { checkConfigFile } from "../../src/config/load.ts";
import { configText, unitText } from "../../src/service/unit.ts";
import { externalTool } from "../helpers/tools.ts";

const analyze = externalTool("systemd-analyze", "systemd", "systemd-analyze verify of the unit");

const fakeEnv = (
  over: Partial<InstallEnv> = {},
): InstallEnv & { said: string[]; ran: string[][] } => {
  const said: string[] = [];
  const ran: string[][] = [];
  return {
    uid: 0,
    hasSystemd: true,
    execPath: "/opt/hwm/hwm",
    run: (cmd) => {
      ran.push(cmd);
      return { code: 0, output: "" };
    },
    say: (line) => said.push(line),
    said,
    ran,
    ...over,
  };
};

describe("unit text", () => {
  const o = serviceOptions({ role: "sender", "token-file": "/etc/hwm/token" });

  test("is hardened and hands the token over as a credential", () => {
    const unit = unitText(o);
    for (const line of [
      "User=hwm",
      "Group=hwm",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
      "Restart=on-failure",
      "LoadCredential=token:/etc/hwm/token",
      "ExecStart=/usr/local/bin/hwm --config /etc/hwm/hwm.toml --no-tui",
      // The runtime settings, so that the node starts once instead of restarting itself.
      "Environment=MIMALLOC_PURGE_HOLES_MIN_INTERVAL=60000",
      "Environment=BUN_GC_TIMER_INTERVAL=300000",
      "Environment=BUN_JSC_useFTLJIT=0",
    ]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    expect(unit).not.toContain("MemoryDenyWriteExecute=yes"); // the JIT needs W+X pages
  });

  test("a token file means listening beyond loopback; without one, loopback", () => {
    expect(o.listen).toBe("0.0.0.0:7070");
    expect(serviceOptions({}).listen).toBe("127.0.0.1:7070");
    expect(() => serviceOptions({ role: "boss" })).toThrow(UsageError);
    expect(() => serviceOptions({ listen: "nowhere" })).toThrow("--listen");
  });

  test.skipIf(analyze.skip)("systemd-analyze verify accepts it", () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-unit-"));
    const path = join(dir, "hwm.service");
    writeFileSync(path, unitText({ ...o, binaryPath: process.execPath }));
    const r = Bun.spawnSync([analyze.path(), "verify", path], {
      cwd: dir,
      stderr: "pipe",
      stdout: "pipe",
    });
    const output = r.stdout.toString() + r.stderr.toString();
    // Only complaints about this unit count (the host's own units may be noisy in containers).
    expect(output.split("\n").filter((l) => l.includes("hwm.service"))).toEqual([]);
  });

  test("the unit is locked down as far as a read-only monitor allows", () => {
    const unit = unitText(o);
    for (const line of [
      "ProtectKernelTunables=yes",
      "PrivateMounts=yes",
      "DevicePolicy=closed",
      "DeviceAllow=char-nvidia* rw", // nvidia-smi
      "DeviceAllow=/dev/zfs rw", // zpool status, for the health section
      "SystemCallFilter=@system-service",
      "SystemCallFilter=~@privileged @resources",
      "SystemCallErrorNumber=EPERM",
      "StateDirectory=hwm", // the history database
      "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    ]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    // What the collectors need: every process in /proc, and its owner's real name.
    for (const open of ["ProtectProc=", "ProcSubset=", "PrivateUsers=yes", "PrivateDevices=yes"])
      expect(unit).not.toContain(`\n${open}`);
    // No disk access and no capability by default: S.M.A.R.T. is an opt-in drop-in (docs/HEALTH.md).
    for (const closed of ["SupplementaryGroups=", "DeviceAllow=block-", "CAP_SYS_RAWIO"])
      expect(unit).not.toContain(closed);
  });

  // systemd 250 and later score a unit file without installing it.
  test.skipIf(analyze.skip)("systemd-analyze security scores it 2.0 or better", () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-unit-"));
    const path = join(dir, "hwm.service");
    writeFileSync(path, unitText({ ...o, binaryPath: process.execPath }));
    const r = Bun.spawnSync([analyze.path(), "security", "--offline=yes", path], {
      cwd: dir,
      stderr: "pipe",
      stdout: "pipe",
      env: { ...process.env, SYSTEMD_COLORS: "0" },
    });
    const output = r.stdout.toString() + r.stderr.toString();
    const score = /Overall exposure level for hwm\.service: (\d+\.\d+)/.exec(output)?.[1];
    if (score === undefined && /unrecognized option|--offline/.test(output)) {
      console.warn(
        "skipped: this systemd-analyze cannot score a unit file offline (systemd < 250)",
      );
      return;
    }
    expect(Number(score)).toBeLessThanOrEqual(2.0);
  });

  test("hwm service print takes --tls-cert and --tls-key", async () => {
    const rawArgs = [
      "print",
      "--token-file",
      "/etc/hwm/token",
      "--tls-cert",
      "/etc/hwm/cert.pem",
      "--tls-key=/etc/hwm/key.pem",
    ];
    expect(() => checkFlags(rawArgs, serviceCommand.args as ArgsDef)).not.toThrow();
    const printed: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof write;
    try {
      await runCommand(serviceCommand, { rawArgs });
    } finally {
      process.stdout.write = write;
    }
    const text = printed.join("");
    expect(text).toContain("\nLoadCredential=tls-cert:/etc/hwm/cert.pem\n");
    expect(text).toContain("\nLoadCredential=tls-key:/etc/hwm/key.pem\n");
    expect(text).toContain('cert = "/run/credentials/hwm.service/tls-cert"');
    // A relative path means nothing to systemd: it gets an absolute one.
    expect(serviceOptions({ "tls-cert": "cert.pem", "tls-key": "key.pem" }).tls?.cert).toBe(
      join(process.cwd(), "cert.pem"),
    );
  });

  test("a certificate and key are handed over as credentials and served from there", () => {
    const tls = serviceOptions({
      role: "sender",
      "token-file": "/etc/hwm/token",
      "tls-cert": "/etc/hwm/cert.pem",
      "tls-key": "/etc/hwm/key.pem",
    });
    expect(unitText(tls)).toContain("\nLoadCredential=tls-key:/etc/hwm/key.pem\n");
    expect(configText(tls)).toContain('key = "/run/credentials/hwm.service/tls-key"');
    expect(() => serviceOptions({ "tls-cert": "/x.pem" })).toThrow("go together");
  });

  test("a receiver's dashboard secret is handed over as its own credential", () => {
    const receiver = serviceOptions({
      role: "receiver",
      "token-file": "/etc/hwm/token",
      "dashboard-token-file": "/etc/hwm/dashboard-token",
    });
    expect(unitText(receiver)).toContain(
      "\nLoadCredential=dashboard-token:/etc/hwm/dashboard-token\n",
    );
    const config = configText(receiver);
    expect(config).toContain(
      '[dashboard]                        # systemd passes /etc/hwm/dashboard-token here\ntoken_file = "/run/credentials/hwm.service/dashboard-token"',
    );
    const dir = mkdtempSync(join(tmpdir(), "hwm-svc-dash-"));
    writeFileSync(join(dir, "hwm.toml"), config);
    // On the machine, systemd puts the secrets there before the node starts.
    const secretOrFile = (path: string) =>
      path.startsWith("/run/credentials/") ? "a-secret-of-43-url-safe-characters-abcdefgh" : config;
    expect(
      checkConfigFile(join(dir, "hwm.toml"), { canRead: () => null, read: secretOrFile }),
    ).toEqual([]);
    expect(() =>
      serviceOptions({ role: "sender", "dashboard-token-file": "/etc/hwm/dashboard-token" }),
    ).toThrow("a sender has no dashboard");
    const missing = { ...receiver, dashboardTokenFile: "/nonexistent/dashboard-token" };
    expect(() => install(missing, fakeEnv(), true, false)).toThrow("--dashboard-token-file");
  });

  test("the config it writes is valid for every role", () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-svc-conf-"));
    for (const role of ["sender", "receiver", "both"]) {
      const path = join(dir, `${role}.toml`);
      writeFileSync(path, configText(serviceOptions({ role })));
      expect(checkConfigFile(path)).toEqual([]);
    }
    expect(configText(o)).toContain('token_file = "/run/credentials/hwm.service/token"');
  });
});

describe("install", () => {
  const o = {
    ...serviceOptions({ role: "sender" }),
    binaryPath: "/nonexistent/hwm",
    configPath: "/nonexistent/hwm.toml",
  };

  test("refuses politely without root, without systemd, or from source", () => {
    expect(() => install(o, fakeEnv({ uid: 1000 }), false, false)).toThrow("needs root");
    expect(() => install(o, fakeEnv({ hasSystemd: false }), false, false)).toThrow(
      "does not run systemd",
    );
    expect(() => install(o, fakeEnv({ execPath: "/usr/bin/bun" }), false, false)).toThrow(
      "compiled hwm binary",
    );
    const missingToken = { ...o, tokenFile: "/nonexistent/token" };
    expect(() => install(missingToken, fakeEnv(), false, false)).toThrow("--token-file");
  });

  test("--dry-run says every step and changes nothing", () => {
    const exec = join(mkdtempSync(join(tmpdir(), "hwm-bin-")), "hwm");
    writeFileSync(exec, "");
    const env = fakeEnv({ uid: 1000, execPath: exec });
    install(o, env, true, false);
    expect(env.said.join("\n")).toContain("would copy");
    expect(env.said.join("\n")).toContain("would run systemctl enable --now hwm.service");
    // Its own system user, not a dynamic one, which dbus-daemon would drop.
    expect(env.said.join("\n")).toContain("would write /etc/sysusers.d/hwm.conf");
    expect(env.said.join("\n")).toContain("would run systemd-sysusers /etc/sysusers.d/hwm.conf");
    expect(env.said.at(-1)).toBe("dry run: nothing was changed");
    expect(env.ran).toEqual([]);
    expect(existsSync(o.configPath)).toBe(false);
  });
});
