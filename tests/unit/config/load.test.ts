// Resolving the effective Config: flags > environment > config file > defaults, token_file,
// the loopback-without-token refusal, and all problems of all sources in one ConfigError.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../../src/config/errors.ts";
import {
  type CliFlags,
  type Config,
  ConfigError,
  resolveConfig,
} from "../../../src/config/load.ts";

const TOKEN_FLAG = "flag-token-0123456789abcdef";
const TOKEN_ENV = "env-token-0123456789abcdef";
const TOKEN_FILE = "file-token-0123456789abcdef";
const TOKEN_IN_TOKEN_FILE = "tokenfile-token-0123456789abcdef";
const NEEDS_TOKEN =
  'needs a token: pass --token-file, set HWM_TOKEN or token/token_file in the config (make one with "hwm token")';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hwm-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a file into the test's temp directory and returns its path. */
function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError that resolving must throw. */
function problemsOf(flags: CliFlags, env: Record<string, string | undefined> = {}): string[] {
  try {
    resolveConfig(flags, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as ConfigError).message).toBe((err as ConfigError).problems.join("\n"));
    return (err as ConfigError).problems;
  }
  throw new Error("resolveConfig accepted what it should have refused");
}

const FULL_FILE = `
role = "sender"
listen = "127.0.0.2:7171"
token = "${TOKEN_FILE}"
interval_ms = 2000
`;

describe("defaults", () => {
  test("no flags, no environment, no file: a local dashboard on 127.0.0.1:7070", () => {
    const config: Config = resolveConfig({}, {});
    expect(config).toEqual({
      role: "both",
      listen: { host: "127.0.0.1", port: 7070 },
      token: null,
      intervalMs: 1000,
      maxMessageBytes: 1_048_576,
      tui: true,
      logLevel: "info",
      procfs: "/proc",
      sysfs: "/sys",
      pveDir: "/etc/pve",
      tls: null,
      dashboard: { allowedOrigins: [], token: null, sessionLifetimeMs: 30 * 86_400_000 },
      senders: [],
      history: {
        enabled: false,
        intervalMs: 10_000,
        backend: "sqlite",
        path: null,
        rawRetentionMs: 3_600_000,
        rollups: [
          { stepMs: 60_000, retentionMs: 86_400_000 },
          { stepMs: 600_000, retentionMs: 604_800_000 },
          { stepMs: 3_600_000, retentionMs: 7_776_000_000 },
        ],
        prometheus: null,
      },
      notifiers: [],
      alerts: [],
      health: { enabled: true, maxAgeMs: 300_000, toolTimeoutMs: 10_000 },
      custom: { textfileDir: null },
      configPath: null,
      secretSources: { tokenOnCommandLine: false, files: [], inConfigFile: false },
    });
  });

  test("--no-tui, --log-level, --procfs, --sysfs and --pve-dir are taken", () => {
    const config = resolveConfig(
      {
        tui: false,
        "log-level": "debug",
        procfs: "/host/proc",
        sysfs: "/host/sys",
        "pve-dir": "/host/etc/pve",
      },
      {},
    );
    expect(config.tui).toBe(false);
    expect(config.logLevel).toBe("debug");
    expect(config.procfs).toBe("/host/proc");
    expect(config.sysfs).toBe("/host/sys");
    expect(config.pveDir).toBe("/host/etc/pve");
  });
});

describe("precedence: flags > environment > config file > defaults", () => {
  test("the file beats the defaults", () => {
    const config = resolveConfig({ config: write("hwm.toml", FULL_FILE) }, {});
    expect(config.role).toBe("sender");
    expect(config.listen).toEqual({ host: "127.0.0.2", port: 7171 });
    expect(config.token).toBe(TOKEN_FILE);
    expect(config.intervalMs).toBe(2000);
  });

  test("max_message_bytes comes from the file", () => {
    const config = resolveConfig(
      { config: write("hwm.toml", 'role = "receiver"\nmax_message_bytes = 262144\n') },
      {},
    );
    expect(config.maxMessageBytes).toBe(262_144);
  });

  test("flags beat the file", () => {
    const config = resolveConfig(
      {
        config: write("hwm.toml", FULL_FILE),
        role: "receiver",
        listen: "[::1]:9090",
        token: TOKEN_FLAG,
        "interval-ms": "500",
      },
      {},
    );
    expect(config.role).toBe("receiver");
    expect(config.listen).toEqual({ host: "::1", port: 9090 });
    expect(config.token).toBe(TOKEN_FLAG);
    expect(config.intervalMs).toBe(500);
  });

  test("HWM_TOKEN beats the file, --token beats HWM_TOKEN", () => {
    const config = write("hwm.toml", FULL_FILE);
    expect(resolveConfig({ config }, { HWM_TOKEN: TOKEN_ENV }).token).toBe(TOKEN_ENV);
    expect(resolveConfig({ config, token: TOKEN_FLAG }, { HWM_TOKEN: TOKEN_ENV }).token).toBe(
      TOKEN_FLAG,
    );
    expect(resolveConfig({}, { HWM_TOKEN: TOKEN_ENV }).token).toBe(TOKEN_ENV);
  });

  test("HWM_CONFIG names the file, --config beats it", () => {
    const fromEnv = write("env.toml", 'role = "sender"');
    const fromFlag = write("flag.toml", 'role = "receiver"');
    expect(resolveConfig({}, { HWM_CONFIG: fromEnv }).role).toBe("sender");
    expect(resolveConfig({}, { HWM_CONFIG: fromEnv }).configPath).toBe(fromEnv);
    expect(resolveConfig({ config: fromFlag }, { HWM_CONFIG: fromEnv }).role).toBe("receiver");
  });

  test("an empty environment variable counts as unset", () => {
    expect(resolveConfig({}, { HWM_TOKEN: "", HWM_CONFIG: "" })).toMatchObject({
      token: null,
      configPath: null,
    });
  });
});

describe("flags and environment are checked, naming the flag or variable", () => {
  test.each([
    [{ role: "master" }, '--role: expected one of "sender", "receiver" or "both", got "master"'],
    [
      { "interval-ms": "abc" },
      '--interval-ms: expected a whole number of milliseconds from 100 to 3600000, got "abc"',
    ],
    [
      { "interval-ms": "99" },
      '--interval-ms: expected a whole number of milliseconds from 100 to 3600000, got "99"',
    ],
    [
      { "interval-ms": "1e3" },
      '--interval-ms: expected a whole number of milliseconds from 100 to 3600000, got "1e3"',
    ],
    [
      { "log-level": "trace" },
      '--log-level: expected one of "debug", "info", "warn" or "error", got "trace"',
    ],
    [{ procfs: "" }, '--procfs: expected a directory path, got ""'],
    [{ "pve-dir": "" }, '--pve-dir: expected a directory path, got ""'],
    [
      { listen: "7070" },
      '--listen: expected HOST:PORT with a port from 0 to 65535, such as "127.0.0.1:7070", "0.0.0.0:7070", "myhost:7070" or "[::1]:7070", got "7070" (no port)',
    ],
    [
      { token: "abc" },
      '--token: expected a token of at least 16 characters from A-Z a-z 0-9 - . _ ~ + ! # $ % & \' * ^ ` | (make one with "hwm token"), got 3 characters',
    ],
    [{ config: "" }, '--config: expected the path of a TOML config file, got ""'],
  ] as [CliFlags, string][])("%j", (flags, message) => {
    expect(problemsOf(flags)).toEqual([message]);
  });

  test("HWM_TOKEN is named when it is bad", () => {
    expect(problemsOf({}, { HWM_TOKEN: "tooshort" })).toEqual([
      'HWM_TOKEN: expected a token of at least 16 characters from A-Z a-z 0-9 - . _ ~ + ! # $ % & \' * ^ ` | (make one with "hwm token"), got 8 characters',
    ]);
  });

  test("a missing config file is named with its path and source", () => {
    const missing = join(dir, "nope.toml");
    expect(problemsOf({ config: missing })).toEqual([
      `--config: cannot read config file "${missing}": does not exist`,
    ]);
    expect(problemsOf({}, { HWM_CONFIG: missing })).toEqual([
      `HWM_CONFIG: cannot read config file "${missing}": does not exist`,
    ]);
    expect(problemsOf({ config: dir })).toEqual([
      `--config: cannot read config file "${dir}": is a directory, not a file`,
    ]);
  });

  test("problems of flags, environment and file are reported together", () => {
    const config = write("hwm.toml", 'rol = "sender"\ninterval_ms = 5\n');
    const problems = problemsOf(
      { config, "interval-ms": "abc", "log-level": "loud", listen: "nowhere" },
      { HWM_TOKEN: "x" },
    );
    expect(problems).toHaveLength(6);
    expect(problems[0]).toStartWith("--listen: expected HOST:PORT");
    expect(problems).toContain(
      '--interval-ms: expected a whole number of milliseconds from 100 to 3600000, got "abc"',
    );
    expect(problems).toContain(
      '--log-level: expected one of "debug", "info", "warn" or "error", got "loud"',
    );
    expect(problems.some((p) => p.startsWith("HWM_TOKEN: expected a token"))).toBe(true);
    expect(problems).toContain(`${config}: rol: unknown key; did you mean "role"?`);
    expect(problems).toContain(
      `${config}: interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 5`,
    );
  });

  test("a TOML syntax error names the file and the line", () => {
    const config = write("hwm.toml", 'role = "both"\nlisten "0.0.0.0:7070"\n');
    expect(problemsOf({ config })).toEqual([
      `${config}: line 2: not valid TOML: Expected '=' after a key but found '"'`,
    ]);
  });
});

describe("token_file", () => {
  test("is read relative to the config file and trimmed", () => {
    write("token", `  ${TOKEN_IN_TOKEN_FILE}\n`);
    const config = write("hwm.toml", 'token_file = "token"\nlisten = "0.0.0.0:7070"\n');
    expect(resolveConfig({ config }, {}).token).toBe(TOKEN_IN_TOKEN_FILE);
  });

  test("an absolute token_file works from anywhere", () => {
    const tokenPath = write("secret", TOKEN_IN_TOKEN_FILE);
    const config = write("hwm.toml", `token_file = "${tokenPath}"`);
    expect(resolveConfig({ config }, {}).token).toBe(TOKEN_IN_TOKEN_FILE);
  });

  test("an unreadable token_file is named", () => {
    const config = write("hwm.toml", 'token_file = "missing-token"');
    expect(problemsOf({ config })).toEqual([
      `${config}: token_file: cannot read token file "${join(dir, "missing-token")}": does not exist`,
    ]);
  });

  test.skipIf(process.getuid?.() === 0)("a token_file without read permission is named", () => {
    const tokenPath = write("locked", TOKEN_IN_TOKEN_FILE);
    chmodSync(tokenPath, 0o000);
    const config = write("hwm.toml", `token_file = "${tokenPath}"`);
    expect(problemsOf({ config })).toEqual([
      `${config}: token_file: cannot read token file "${tokenPath}": permission denied`,
    ]);
  });

  test("an empty or short token_file is refused without echoing it", () => {
    write("token", "hunter2\n");
    const config = write("hwm.toml", 'token_file = "token"');
    const [problem, ...rest] = problemsOf({ config });
    expect(rest).toEqual([]);
    expect(problem).toStartWith(
      `${config}: token_file: in token file "${join(dir, "token")}": expected a token of at least 16 characters`,
    );
    expect(problem).toEndWith("got 7 characters");
    expect(problem).not.toContain("hunter2");
    write("token", "\n");
    expect(problemsOf({ config })[0]).toEndWith("got an empty token");
  });

  test("is not read when a flag or HWM_TOKEN already gives the token", () => {
    const config = write("hwm.toml", 'token_file = "missing-token"');
    expect(resolveConfig({ config, token: TOKEN_FLAG }, {}).token).toBe(TOKEN_FLAG);
    expect(resolveConfig({ config }, { HWM_TOKEN: TOKEN_ENV }).token).toBe(TOKEN_ENV);
  });
});

describe("no token, no listening beyond loopback", () => {
  test("--listen 0.0.0.0:7070 without a token is refused with the exact advice", () => {
    expect(problemsOf({ listen: "0.0.0.0:7070" })).toEqual([
      `--listen 0.0.0.0:7070 ${NEEDS_TOKEN}`,
    ]);
  });

  test("a non-loopback listen from the config file names the file", () => {
    const config = write("hwm.toml", 'listen = "192.168.1.1:7070"');
    expect(problemsOf({ config })).toEqual([`${config}: listen "192.168.1.1:7070" ${NEEDS_TOKEN}`]);
  });

  test.each(["0.0.0.0:7070", "192.168.1.1:7070", "[::]:7070", "pve.lan:7070"])(
    "%p needs a token",
    (listen) => {
      expect(problemsOf({ listen })).toEqual([`--listen ${listen} ${NEEDS_TOKEN}`]);
    },
  );

  test.each(["127.0.0.1:7070", "127.1.2.3:7070", "[::1]:7070", "localhost:7070"])(
    "%p is loopback: no token needed",
    (listen) => {
      expect(resolveConfig({ listen }, {}).token).toBeNull();
    },
  );

  test("any token source lifts the refusal", () => {
    expect(resolveConfig({ listen: "0.0.0.0:7070", token: TOKEN_FLAG }, {}).listen).toEqual({
      host: "0.0.0.0",
      port: 7070,
    });
    expect(resolveConfig({ listen: "0.0.0.0:7070" }, { HWM_TOKEN: TOKEN_ENV }).token).toBe(
      TOKEN_ENV,
    );
    const config = write("hwm.toml", `token = "${TOKEN_FILE}"`);
    expect(resolveConfig({ listen: "0.0.0.0:7070", config }, {}).token).toBe(TOKEN_FILE);
  });

  test("a bad token is reported as such, not as a missing one", () => {
    expect(problemsOf({ listen: "0.0.0.0:7070", token: "short" })).toEqual([
      '--token: expected a token of at least 16 characters from A-Z a-z 0-9 - . _ ~ + ! # $ % & \' * ^ ` | (make one with "hwm token"), got 5 characters',
    ]);
  });
});

describe("the config file's tables in Config", () => {
  test("the documented full example resolves to the documented shape", () => {
    const path = join(import.meta.dir, "spec-example.toml");
    const config = resolveConfig({ config: path }, {}, { canRead: () => null });
    expect(config).toMatchObject({
      role: "receiver",
      listen: { host: "0.0.0.0", port: 7070 },
      token: "rX3fK9mQ2vL8pT4wZ7yB1nC6dH5jG0sA-_eUoIkW3q",
      intervalMs: 1000,
      tls: { cert: "/etc/hwm/cert.pem", key: "/etc/hwm/key.pem", ca: null },
      dashboard: { allowedOrigins: ["https://example.dev"] },
      senders: [
        {
          name: "pve-web",
          url: "http://10.0.0.12:7070",
          token: "Hq8sV2mN5bX7cZ1aL4kJ9gF3dS6pO0iU-_yTrEwQ3z",
          fingerprint: null,
          ca: null,
        },
        {
          name: "pve-db",
          url: "https://10.0.0.13:7070",
          token: null,
          fingerprint: `sha256:${"abcdef0123456789".repeat(4)}`,
          ca: null,
        },
      ],
      history: { enabled: true, intervalMs: 10_000, path: "/var/lib/hwm/history.db" },
      notifiers: [{ name: "phone", type: "ntfy", url: "https://ntfy.example/hwm" }],
      alerts: [
        {
          name: "hot cpu",
          when: "cpu.total_pct > 90",
          forMs: 300_000,
          hosts: ["*"],
          notify: ["phone"],
        },
      ],
      configPath: path,
    });
  });

  test("relative certificate paths are taken from the config file's directory", () => {
    write("cert.pem", "c");
    write("key.pem", "k");
    write("ca.pem", "a");
    const config = write(
      "hwm.toml",
      'listen = "127.0.0.1:0"\n[tls]\ncert = "cert.pem"\nkey = "key.pem"\nca = "ca.pem"\n' +
        '[[senders]]\nname = "a"\nurl = "https://a:7070"\nca = "ca.pem"\n' +
        '[history]\npath = "history.db"\n',
    );
    const resolved = resolveConfig({ config }, {});
    expect(resolved.tls).toEqual({
      cert: join(dir, "cert.pem"),
      key: join(dir, "key.pem"),
      ca: join(dir, "ca.pem"),
    });
    expect(resolved.senders[0]?.ca).toBe(join(dir, "ca.pem"));
    expect(resolved.history.path).toBe(join(dir, "history.db"));
  });

  test("unreadable certificate files are named at their key", () => {
    const config = write(
      "hwm.toml",
      '[tls]\ncert = "cert.pem"\nkey = "/nonexistent/key.pem"\n' +
        '[[senders]]\nname = "a"\nurl = "https://a:7070"\nca = "ca.pem"\n',
    );
    expect(problemsOf({ config })).toEqual([
      `${config}: tls.cert: cannot read "${join(dir, "cert.pem")}": does not exist`,
      `${config}: tls.key: cannot read "/nonexistent/key.pem": does not exist`,
      `${config}: senders[0].ca: cannot read "${join(dir, "ca.pem")}": does not exist`,
    ]);
  });

  test("alerts get their defaults: for 0, every host, no notifier", () => {
    const config = write("hwm.toml", '[[alerts]]\nname = "reboots"\nwhen = "reboot"\n');
    expect(resolveConfig({ config }, {}).alerts).toEqual([
      {
        name: "reboots",
        when: "reboot",
        condition: { kind: "reboot" },
        forMs: 0,
        repeatMs: null,
        hosts: ["*"],
        notify: [],
        silence: [],
      },
    ]);
  });
});
