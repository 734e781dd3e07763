// The secrets of a config: the dashboard's own login secret, --token-file, where each secret
// came from, and the warnings at start about secrets others can read or sniff.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CliFlags,
  ConfigError,
  checkConfigFile,
  resolveConfig,
} from "../../../src/config/load.ts";
import { startupWarnings } from "../../../src/config/warnings.ts";

const FLEET = "fleet-token-0123456789abcdef";
const DASHBOARD = "dashboard-token-0123456789abcdef";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hwm-secrets-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function problemsOf(flags: CliFlags, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig(flags, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("resolveConfig accepted what it should have refused");
}

describe("dashboard.token", () => {
  test("the dashboard's own secret, inline or from dashboard.token_file", () => {
    const inline = write("a.toml", `token = "${FLEET}"\n[dashboard]\ntoken = "${DASHBOARD}"\n`);
    const config = resolveConfig({ config: inline }, {});
    expect(config.token).toBe(FLEET);
    expect(config.dashboard.token).toBe(DASHBOARD);
    write("dashboard-token", `${DASHBOARD}\n`);
    const fromFile = write(
      "b.toml",
      `token = "${FLEET}"\n[dashboard]\ntoken_file = "dashboard-token"\n`,
    );
    const resolved = resolveConfig({ config: fromFile }, {});
    expect(resolved.dashboard.token).toBe(DASHBOARD);
    expect(resolved.secretSources.files).toEqual([join(dir, "dashboard-token")]);
  });

  test("without one the fleet token stays the login (no change for an existing config)", () => {
    const config = resolveConfig({ config: write("c.toml", `token = "${FLEET}"\n`) }, {});
    expect(config.dashboard.token).toBeNull();
  });

  test("the fleet token cannot be the dashboard's secret, whichever source gives it", () => {
    const same = write("d.toml", `token = "${FLEET}"\n[dashboard]\ntoken = "${FLEET}"\n`);
    expect(problemsOf({ config: same }).join("\n")).toContain(
      "dashboard.token: expected a secret of its own, not the fleet token",
    );
    const viaFlag = write("e.toml", `[dashboard]\ntoken = "${FLEET}"\n`);
    expect(problemsOf({ config: viaFlag, token: FLEET })).toEqual([
      `${viaFlag}: dashboard: expected a login secret of its own, not the fleet token: every sender knows that one (make one with "hwm token")`,
    ]);
  });

  test("token and token_file are exclusive; a short secret is refused unechoed; a sender has no dashboard", () => {
    write("short", "hunter2\n");
    const both = write("f.toml", `[dashboard]\ntoken = "${DASHBOARD}"\ntoken_file = "short"\n`);
    expect(problemsOf({ config: both }).join("\n")).toContain(
      'dashboard.token_file: expected either "token" or "token_file", not both',
    );
    const short = write("g.toml", `[dashboard]\ntoken_file = "short"\n`);
    const [problem] = problemsOf({ config: short });
    expect(problem).toContain("dashboard.token_file: in token file");
    expect(problem).not.toContain("hunter2");
    expect(checkConfigFile(short)[0]).toContain("dashboard.token_file: in token file");
    const sender = write("h.toml", `role = "sender"\n[dashboard]\ntoken = "${DASHBOARD}"\n`);
    expect(problemsOf({ config: sender })).toEqual([
      `${sender}: dashboard.token: expected only on a receiver (role "receiver" or "both"): a sender has no dashboard`,
    ]);
  });

  test("dashboard.session_lifetime: a duration from a minute to 400 days", () => {
    const day = write("i.toml", `[dashboard]\nsession_lifetime = "12h"\n`);
    expect(resolveConfig({ config: day }, {}).dashboard.sessionLifetimeMs).toBe(43_200_000);
    const long = write("j.toml", `[dashboard]\nsession_lifetime = "401d"\n`);
    expect(problemsOf({ config: long })[0]).toContain(
      'dashboard.session_lifetime: expected a duration from "1m" to "400d"',
    );
  });
});

describe("--token-file", () => {
  test("reads the token from a file, relative to the working directory", () => {
    const path = write("token", `${FLEET}\n`);
    const config = resolveConfig({ "token-file": path, listen: "0.0.0.0:7070" }, {});
    expect(config.token).toBe(FLEET);
    expect(config.secretSources).toEqual({
      tokenOnCommandLine: false,
      files: [path],
      inConfigFile: false,
    });
  });

  test("beats HWM_TOKEN and the config file; not with --token; a bad file is named", () => {
    const path = write("token", FLEET);
    const config = write("k.toml", `token = "file-token-0123456789abcdef"\n`);
    expect(
      resolveConfig({ "token-file": path, config }, { HWM_TOKEN: "env-token-0123456789abcdef" })
        .token,
    ).toBe(FLEET);
    expect(problemsOf({ "token-file": path, token: FLEET })).toEqual([
      "--token-file: expected either --token or --token-file, not both",
    ]);
    expect(problemsOf({ "token-file": join(dir, "missing") })).toEqual([
      `--token-file: cannot read token file "${join(dir, "missing")}": does not exist`,
    ]);
  });
});

describe("startup warnings", () => {
  const receiver = (toml: string, flags: CliFlags = {}) =>
    resolveConfig({ config: write("r.toml", `role = "receiver"\n${toml}`), ...flags }, {});

  test("--token on the command line", () => {
    const warnings = startupWarnings(resolveConfig({ token: FLEET }, {}));
    expect(warnings).toEqual([
      "--token is visible to every user of this machine (ps, /proc/PID/cmdline): pass the token in HWM_TOKEN or with --token-file FILE instead",
    ]);
    expect(startupWarnings(resolveConfig({}, { HWM_TOKEN: FLEET }))).toEqual([]);
  });

  test("tokens over plain http to other machines; loopback and https senders are fine", () => {
    const config = receiver(
      `token = "${FLEET}"\n[dashboard]\ntoken = "${DASHBOARD}"\n` +
        `[[senders]]\nname = "web"\nurl = "http://10.0.0.12:7070"\n` +
        `[[senders]]\nname = "db"\nurl = "http://db.lan:7070"\n` +
        `[[senders]]\nname = "here"\nurl = "http://127.0.0.1:7071"\n` +
        `[[senders]]\nname = "nas"\nurl = "https://10.0.0.20:7070"\nfingerprint = "sha256:${"ab".repeat(32)}"\n`,
    );
    expect(startupWarnings(config)).toEqual([
      "senders web, db are asked over plain http: the token crosses the network in clear, for anyone on the way to read and use; serve them with TLS (hwm tls init) and pin the certificate with senders[].fingerprint",
    ]);
  });

  test("a dashboard login that every sender could use, and a dashboard on plain http to the LAN", () => {
    const config = receiver(
      `token = "${FLEET}"\nlisten = "0.0.0.0:7070"\n[[senders]]\nname = "nas"\nurl = "https://10.0.0.20:7070"\n`,
    );
    expect(startupWarnings(config)).toEqual([
      "the dashboard login takes the fleet token, which every sender is given: a compromised sender could log in; give the dashboard its own secret with dashboard.token_file (README: Security)",
      "the dashboard is served over plain http on 0.0.0.0:7070: its login secret and session cookie cross the network in clear, and the cookie cannot be a __Host- one; serve it with TLS ([tls], hwm tls init)",
    ]);
  });

  test("token files and a config file with secrets that every user can read", () => {
    const tokenFile = write("token", FLEET, 0o644);
    const config = write("s.toml", `token_file = "token"\n`, 0o644);
    expect(startupWarnings(resolveConfig({ config }, {}))).toEqual([
      `${tokenFile} holds a secret and every user of this machine can read it (mode 0644): chmod 600 ${tokenFile}`,
    ]);
    const inline = write("t.toml", `token = "${FLEET}"\n`, 0o604);
    expect(startupWarnings(resolveConfig({ config: inline }, {}))).toEqual([
      `${inline} holds secrets and every user of this machine can read it (mode 0604): chmod 600 it, or move the secrets to token_file`,
    ]);
    const key = write("key.pem", "-----BEGIN PRIVATE KEY-----\n", 0o644);
    const withTls = write("u.toml", `[tls]\ncert = "cert.pem"\nkey = "key.pem"\n`, 0o644);
    expect(
      startupWarnings(resolveConfig({ config: withTls }, {}, { canRead: () => null })),
    ).toEqual([
      `${key} holds a secret and every user of this machine can read it (mode 0644): chmod 600 ${key}`,
    ]);
    chmodSync(tokenFile, 0o640);
    chmodSync(inline, 0o600);
    expect(startupWarnings(resolveConfig({ config }, {}))).toEqual([]);
    expect(startupWarnings(resolveConfig({ config: inline }, {}))).toEqual([]);
  });
});
