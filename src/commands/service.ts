// `hwm service print|install`: a hardened systemd unit for this binary and role, and its install.
import { copyFileSync, existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { parseListen, ROLES, type Role, UsageError } from "../config/index.ts";
import {
  BINARY_PATH,
  CONFIG_PATH,
  configText,
  type ServiceOptions,
  SYSUSERS_PATH,
  SYSUSERS_TEXT,
  UNIT_NAME,
  UNIT_PATH,
  unitText,
} from "../service/unit.ts";

const args = {
  action: {
    type: "positional",
    description: "print | install",
    required: true,
    valueHint: "ACTION",
  },
  role: {
    type: "string",
    description: "sender | receiver | both (default sender)",
    valueHint: "ROLE",
  },
  listen: {
    type: "string",
    description: "address to serve on (default 0.0.0.0:7070 with a token, else 127.0.0.1:7070)",
    valueHint: "HOST:PORT",
  },
  "token-file": {
    type: "string",
    description: "root-only file with the token (make one: hwm token > /etc/hwm/token)",
    valueHint: "FILE",
  },
  "dashboard-token-file": {
    type: "string",
    description:
      "receiver: root-only file with the dashboard's own login secret, which no sender knows",
    valueHint: "FILE",
  },
  "tls-cert": {
    type: "string",
    description:
      "certificate (PEM) to serve https with, handed over like the token; with --tls-key",
    valueHint: "FILE",
  },
  "tls-key": {
    type: "string",
    description: "its private key (PEM), readable by root alone",
    valueHint: "FILE",
  },
  "dry-run": {
    type: "boolean",
    description: "with install: say what would be done, change nothing",
  },
  force: { type: "boolean", description: "with install: overwrite an existing config file" },
} as const;

export interface InstallEnv {
  uid: number;
  hasSystemd: boolean;
  /** The running executable: the compiled hwm, or bun when run from source. */
  execPath: string;
  run(cmd: string[]): { code: number; output: string };
  say(line: string): void;
}

export function serviceOptions(a: {
  role?: string;
  listen?: string;
  "token-file"?: string;
  "dashboard-token-file"?: string;
  "tls-cert"?: string;
  "tls-key"?: string;
}): ServiceOptions {
  const role = (a.role ?? "sender") as Role;
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role: expected ${ROLES.join(" | ")}, got ${JSON.stringify(a.role)}`);
  }
  // systemd reads these files (LoadCredential), from no working directory of ours.
  const tokenFile = a["token-file"] === undefined ? null : resolve(a["token-file"]);
  const listen = a.listen ?? (tokenFile ? "0.0.0.0:7070" : "127.0.0.1:7070");
  if (typeof parseListen(listen) === "string")
    throw new UsageError(`--listen: ${parseListen(listen)}`);
  const [cert, key] = [a["tls-cert"], a["tls-key"]];
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError("--tls-cert and --tls-key go together");
  const tls =
    cert !== undefined && key !== undefined ? { cert: resolve(cert), key: resolve(key) } : null;
  const dashboardTokenFile =
    a["dashboard-token-file"] === undefined ? null : resolve(a["dashboard-token-file"]);
  if (dashboardTokenFile && role === "sender") {
    throw new UsageError(
      "--dashboard-token-file: a sender has no dashboard; use it with --role receiver or both",
    );
  }
  return {
    role,
    listen,
    tokenFile,
    dashboardTokenFile,
    tls,
    binaryPath: BINARY_PATH,
    configPath: CONFIG_PATH,
  };
}

/** Installs and starts the unit; every step said aloud, nothing done under dryRun. */
export function install(o: ServiceOptions, env: InstallEnv, dryRun: boolean, force: boolean): void {
  const problems: string[] = [];
  if (!env.hasSystemd)
    problems.push(
      "this machine does not run systemd (no /run/systemd/system): use `hwm service print` and your init system",
    );
  if (env.uid !== 0 && !dryRun)
    problems.push(
      "installing a service needs root: run it with sudo (or add --dry-run to see the steps)",
    );
  if (/\/bun(\.exe)?$/.test(env.execPath))
    problems.push("install from the compiled hwm binary, not from `bun src/main.ts`");
  for (const [flag, path] of [
    ["--token-file", o.tokenFile],
    ["--dashboard-token-file", o.dashboardTokenFile],
  ] as const) {
    if (path && !existsSync(path))
      problems.push(
        `${flag}: ${path} does not exist (make it: hwm token > ${path}; chmod 600 ${path})`,
      );
  }
  for (const [flag, path] of [
    ["--tls-cert", o.tls?.cert],
    ["--tls-key", o.tls?.key],
  ] as const) {
    if (path !== undefined && !existsSync(path)) problems.push(`${flag}: ${path} does not exist`);
  }
  if (problems.length > 0) throw new UsageError(problems.join("\n"));

  const step = (text: string, act: () => void) => {
    env.say(`${dryRun ? "would " : ""}${text}`);
    if (!dryRun) act();
  };
  if (realpathSync(env.execPath) !== (existsSync(o.binaryPath) ? realpathSync(o.binaryPath) : "")) {
    step(`copy ${env.execPath} to ${o.binaryPath}`, () => copyFileSync(env.execPath, o.binaryPath));
  }
  if (existsSync(o.configPath) && !force) {
    env.say(`keep the existing ${o.configPath} (--force writes a new one)`);
  } else {
    step(`write ${o.configPath}`, () => {
      mkdirSync("/etc/hwm", { recursive: true, mode: 0o755 });
      writeFileSync(o.configPath, configText(o), { mode: 0o644 });
    });
  }
  step(`write ${SYSUSERS_PATH}`, () => {
    mkdirSync("/etc/sysusers.d", { recursive: true, mode: 0o755 });
    writeFileSync(SYSUSERS_PATH, SYSUSERS_TEXT, { mode: 0o644 });
  });
  step(`write ${UNIT_PATH}`, () => writeFileSync(UNIT_PATH, unitText(o), { mode: 0o644 }));
  for (const cmd of [
    ["systemd-sysusers", SYSUSERS_PATH],
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "--now", UNIT_NAME],
  ]) {
    step(`run ${cmd.join(" ")}`, () => {
      const r = env.run(cmd);
      if (r.code !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.output.trim()}`);
    });
  }
  env.say(
    dryRun
      ? "dry run: nothing was changed"
      : `installed: systemctl status ${UNIT_NAME}; logs: journalctl -u ${UNIT_NAME}`,
  );
}

export default defineCommand({
  meta: {
    name: "service",
    description: "Print or install a hardened systemd unit for this binary.",
  },
  args,
  run({ args: a }) {
    const o = serviceOptions(a);
    if (a.action === "print") {
      process.stdout.write(
        `# ${UNIT_PATH}\n${unitText(o)}\n# ${CONFIG_PATH}\n${configText(o)}\n# ${SYSUSERS_PATH} (then: systemd-sysusers)\n${SYSUSERS_TEXT}`,
      );
      return;
    }
    if (a.action !== "install")
      throw new UsageError(
        `service: expected "print" or "install", got ${JSON.stringify(a.action)}`,
      );
    install(
      o,
      {
        uid: process.getuid?.() ?? -1,
        hasSystemd: existsSync("/run/systemd/system"),
        execPath: process.execPath,
        run: (cmd) => {
          const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
          return { code: r.exitCode, output: r.stdout.toString() + r.stderr.toString() };
        },
        say: (line) => console.log(line),
      },
      a["dry-run"] === true,
      a.force === true,
    );
  },
});
