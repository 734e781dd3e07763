// The config file on its own: strict schema, key paths in every message, did-you-mean, cross-key
// rules, TOML syntax errors with their line, and the documented full example as a valid file.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseConfigText } from "../../../src/config/file.ts";
import { checkConfigFile } from "../../../src/config/load.ts";

const FILE = "/etc/hwm/hwm.toml";
const SPEC_EXAMPLE = join(import.meta.dir, "spec-example.toml");
const TOKEN = "rX3fK9mQ2vL8pT4wZ7yB1nC6dH5jG0sA-_eUoIkW3q";

function problemsOf(toml: string): string[] {
  return parseConfigText(toml, FILE).problems;
}

/** The one problem of a file that should have exactly one. */
function problemOf(toml: string): string {
  const problems = problemsOf(toml);
  expect(problems).toHaveLength(1);
  return problems[0] ?? "";
}

const sender = (extra = "") =>
  `[[senders]]\nname = "pve-web"\nurl = "http://10.0.0.12:7070"\n${extra}\n`;

describe("the documented full example", () => {
  test("validates as written (certificate files aside)", () => {
    expect(checkConfigFile(SPEC_EXAMPLE, { canRead: () => null })).toEqual([]);
  });

  test("an empty file is valid: everything has a default", () => {
    expect(parseConfigText("", FILE)).toEqual({ config: {}, problems: [] });
  });
});

describe("each key's value, with its path in the message", () => {
  test.each([
    ['role = "master"', 'role: expected one of "sender", "receiver" or "both", got "master"'],
    ["role = 1", 'role: expected one of "sender", "receiver" or "both", got 1'],
    [
      'listen = "0.0.0.0"',
      'listen: expected HOST:PORT with a port from 0 to 65535, such as "127.0.0.1:7070", "0.0.0.0:7070", "myhost:7070" or "[::1]:7070", got "0.0.0.0" (no port)',
    ],
    ["listen = 7070", 'listen: expected HOST:PORT such as "0.0.0.0:7070", got 7070'],
    [
      "interval_ms = 99",
      "interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 99",
    ],
    [
      "interval_ms = 3600001",
      "interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 3600001",
    ],
    [
      "interval_ms = 1000.5",
      "interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 1000.5",
    ],
    [
      'interval_ms = "1000"',
      'interval_ms: expected a whole number of milliseconds from 100 to 3600000, got "1000"',
    ],
    [
      "max_message_bytes = 1000",
      "max_message_bytes: expected a whole number of bytes from 65536 to 67108864, got 1000",
    ],
    [
      'max_message_bytes = "1MB"',
      'max_message_bytes: expected a whole number of bytes from 65536 to 67108864, got "1MB"',
    ],
    ['token_file = ""', 'token_file: expected a file path, got ""'],
    ['[tls]\ncert = 5\nkey = "k.pem"', "tls.cert: expected a file path, got 5"],
    ['[tls]\ncert = "c.pem"', "tls.key: missing; expected a file path"],
    ['tls = "on"', 'tls: expected a [tls] table with cert and key, got "on"'],
    [
      '[[tls]]\ncert = "c"\nkey = "k"',
      "tls: expected a [tls] table with cert and key, got an array of tables",
    ],
    [
      '[dashboard]\nallowed_origins = ["https://ok.dev", "https://example.dev/"]',
      'dashboard.allowed_origins[1]: expected a browser origin: scheme, host and optional port without a path, such as "https://example.dev", got "https://example.dev/"',
    ],
    [
      '[dashboard]\nallowed_origins = "https://example.dev"',
      'dashboard.allowed_origins: expected a list of origins, got "https://example.dev"',
    ],
    ['[senders]\nname = "x"', "senders: expected one or more [[senders]] tables, got a table"],
    [
      `${sender()}${sender().replace("pve-web", "pve db")}`,
      'senders[1].name: expected a host id: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit, got "pve db"',
    ],
    [
      sender().replace("pve-web", "-lead"),
      'senders[0].name: expected a host id: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit, got "-lead"',
    ],
    [
      sender().replace("pve-web", "a".repeat(64)),
      `senders[0].name: expected a host id: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit, got "${"a".repeat(64)}"`,
    ],
    [
      sender().replace("pve-web", ""),
      'senders[0].name: expected a host id: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit, got ""',
    ],
    [
      `${sender()}${sender().replace("http://10.0.0.12:7070", "ftp://x").replace("pve-web", "b")}`,
      'senders[1].url: expected an http:// or https:// URL, got "ftp://x"',
    ],
    ['[[senders]]\nname = "a"', "senders[0].url: missing; expected an http:// or https:// URL"],
    [
      sender().replace("http://", "http://admin:hunter2@"),
      "senders[0].url: expected an http:// or https:// URL without user:password in it (the token has its own key), got a URL with credentials",
    ],
    [
      sender('token = "short"'),
      'senders[0].token: expected a token of at least 16 characters from A-Z a-z 0-9 - . _ ~ + ! # $ % & \' * ^ ` | (make one with "hwm token"), got 5 characters',
    ],
    [
      sender('fingerprint = "sha256:1234"').replace("http:", "https:"),
      'senders[0].fingerprint: expected a certificate fingerprint: "sha256:" and 64 hex digits, colons between byte pairs allowed, got "sha256:1234"',
    ],
    ['[history]\nenabled = "yes"', 'history.enabled: expected true or false, got "yes"'],
    [
      "[history]\ninterval_ms = 10",
      "history.interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 10",
    ],
    [
      '[[notifiers]]\nname = "phone"\ntype = "sms"\nurl = "https://ntfy.example/hwm"',
      'notifiers[0].type: expected one of "webhook", "ntfy", "discord", "slack", "gotify" or "alertmanager", got "sms"',
    ],
    [
      '[[notifiers]]\nname = "phone"\ntype = "ntfy"\nurl = "ntfy.example/hwm"',
      'notifiers[0].url: expected an http:// or https:// URL, got "ntfy.example/hwm"',
    ],
    [
      '[[alerts]]\nname = "hot"\nwhen = "cpu.total_pct > 90"\nfor = "5 minutes"',
      'alerts[0].for: expected a duration such as "30s", "5m", "1h" or "1h30m" (units ms, s, m, h, d), got "5 minutes"',
    ],
    [
      '[[alerts]]\nname = "hot"\nwhen = "cpu.total_pct > 90"\nfor = 300',
      'alerts[0].for: expected a duration such as "30s", "5m", "1h" or "1h30m" (units ms, s, m, h, d), got 300',
    ],
    [
      '[[alerts]]\nname = "hot"',
      'alerts[0].when: missing; expected a condition such as "cpu.total_pct > 90", "disks[*].used_pct >= 90", "host offline" or "reboot"',
    ],
    [
      '[[alerts]]\nname = "hot"\nwhen = "reboot"\nhosts = "*"',
      'alerts[0].hosts: expected a list of host ids or name patterns such as "*" or "pve-*", got "*"',
    ],
    [
      "birthday = 1979-05-27",
      "birthday: unknown key; expected one of: role, listen, token, token_file, interval_ms, max_message_bytes, tls, dashboard, senders, history, notifiers, alerts, health, custom",
    ],
  ])("%p", (toml, message) => {
    expect(problemOf(toml)).toBe(`${FILE}: ${message}`);
  });

  test("a bad token is described by its length, never echoed", () => {
    const problem = problemOf('token = "hunter2hunter2"');
    expect(problem).toStartWith(`${FILE}: token: expected a token of at least 16 characters`);
    expect(problem).not.toContain("hunter2");
  });

  test("fingerprints may separate byte pairs with colons", () => {
    const colons = `sha256:${"0F:".repeat(31)}0F`;
    expect(problemsOf(sender(`fingerprint = "${colons}"`).replace("http:", "https:"))).toEqual([]);
    expect(
      problemsOf(sender(`fingerprint = "sha256:${"ab".repeat(32)}"`).replace("http:", "https:")),
    ).toEqual([]);
  });

  test("listen accepts port 0, hostnames and bracketed IPv6", () => {
    for (const listen of ["127.0.0.1:0", "pve.lan:7070", "[::]:7070"]) {
      expect(problemsOf(`listen = "${listen}"`)).toEqual([]);
    }
  });
});

describe("unknown keys", () => {
  test("did you mean, at the exact path", () => {
    expect(problemOf(sender('tokn = "x"'))).toBe(
      `${FILE}: senders[0].tokn: unknown key; did you mean "token"?`,
    );
    expect(problemOf('listn = "0.0.0.0:7070"')).toBe(
      `${FILE}: listn: unknown key; did you mean "listen"?`,
    );
    expect(problemOf("intervalMs = 1000")).toBe(
      `${FILE}: intervalMs: unknown key; did you mean "interval_ms"?`,
    );
    expect(problemOf('[dashboard]\nallowed_origin = ["https://x.dev"]')).toBe(
      `${FILE}: dashboard.allowed_origin: unknown key; did you mean "allowed_origins"?`,
    );
    expect(problemOf('[[sender]]\nname = "a"')).toBe(
      `${FILE}: sender: unknown key; did you mean "senders"?`,
    );
  });

  test("no suggestion when nothing is close, the valid keys instead", () => {
    const problem = problemOf(sender('password = "x"'));
    expect(problem).toBe(
      `${FILE}: senders[0].password: unknown key; expected one of: name, url, token, fingerprint, ca`,
    );
    expect(problem).not.toContain("did you mean");
  });

  test("a top-level key written after a [table] header is explained", () => {
    expect(problemOf('[tls]\ncert = "c"\nkey = "k"\ninterval_ms = 1000')).toBe(
      `${FILE}: tls.interval_ms: unknown key here; "interval_ms" is a top-level key: move it above the first [table] header`,
    );
  });

  test("keys TOML must quote are quoted in the path", () => {
    expect(problemOf('"my key" = 1')).toStartWith(`${FILE}: "my key": unknown key`);
  });
});

describe("rules across keys", () => {
  test("token and token_file exclude each other", () => {
    expect(problemOf(`token = "${TOKEN}"\ntoken_file = "/etc/hwm/token"`)).toBe(
      `${FILE}: token_file: expected either "token" or "token_file", not both: keep one of them`,
    );
  });

  test("sender names are unique", () => {
    expect(problemOf(`${sender()}${sender()}`)).toBe(
      `${FILE}: senders[1].name: expected a unique sender name (it is the host id), got "pve-web" again (first used by senders[0])`,
    );
  });

  test("notifier and alert names are unique", () => {
    const notifier = '[[notifiers]]\nname = "phone"\ntype = "ntfy"\nurl = "https://n.example/x"\n';
    expect(problemOf(notifier + notifier)).toBe(
      `${FILE}: notifiers[1].name: expected a unique notifier name, got "phone" again (first used by notifiers[0])`,
    );
    const alert = '[[alerts]]\nname = "hot"\nwhen = "reboot"\n';
    expect(problemOf(alert + alert)).toBe(
      `${FILE}: alerts[1].name: expected a unique alert name, got "hot" again (first used by alerts[0])`,
    );
  });

  test("notify names a defined notifier, with a hint for typos", () => {
    const notifiers =
      '[[notifiers]]\nname = "phone"\ntype = "ntfy"\nurl = "https://n.example/x"\n' +
      '[[notifiers]]\nname = "ops"\ntype = "slack"\nurl = "https://hooks.slack.example/x"\n';
    const alert = '[[alerts]]\nname = "hot"\nwhen = "reboot"\nnotify = ["ops", "phnoe"]\n';
    expect(problemOf(notifiers + alert)).toBe(
      `${FILE}: alerts[0].notify[1]: expected the name of a [[notifiers]] table ("phone", "ops"), got "phnoe"; did you mean "phone"?`,
    );
    expect(problemOf('[[alerts]]\nname = "hot"\nwhen = "reboot"\nnotify = ["phone"]')).toBe(
      `${FILE}: alerts[0].notify[0]: expected the name of a [[notifiers]] table, got "phone", but no notifier is defined`,
    );
  });

  test("fingerprint and ca only make sense for https senders", () => {
    expect(problemOf(sender(`fingerprint = "sha256:${"ab".repeat(32)}"`))).toBe(
      `${FILE}: senders[0].fingerprint: expected only for a sender with an https:// url, but senders[0].url is http://`,
    );
    expect(problemOf(sender('ca = "/etc/hwm/ca.pem"'))).toBe(
      `${FILE}: senders[0].ca: expected only for a sender with an https:// url, but senders[0].url is http://`,
    );
  });
});

describe("many problems at once", () => {
  test("every problem of the file is reported, not only the first", () => {
    const problems = problemsOf(
      [
        'rol = "sender"',
        "interval_ms = 5",
        'token = "abc"',
        "[[senders]]",
        'name = "a"',
        'url = "ftp://x"',
        "[[senders]]",
        'name = "a"',
        'url = "http://b:7070"',
        'tokn = "x"',
      ].join("\n"),
    );
    expect(problems).toHaveLength(6);
    expect(problems).toContain(`${FILE}: rol: unknown key; did you mean "role"?`);
    expect(problems).toContain(
      `${FILE}: interval_ms: expected a whole number of milliseconds from 100 to 3600000, got 5`,
    );
    expect(problems.some((p) => p.startsWith(`${FILE}: token: expected a token`))).toBe(true);
    expect(problems).toContain(
      `${FILE}: senders[0].url: expected an http:// or https:// URL, got "ftp://x"`,
    );
    expect(problems).toContain(`${FILE}: senders[1].tokn: unknown key; did you mean "token"?`);
    expect(problems).toContain(
      `${FILE}: senders[1].name: expected a unique sender name (it is the host id), got "a" again (first used by senders[0])`,
    );
  });

  test("a file with problems yields no config", () => {
    expect(parseConfigText("interval_ms = 5", FILE).config).toBeNull();
  });
});

describe("TOML syntax errors", () => {
  test.each([
    ['role = "both"\nlisten = = "x"\n', 2, "Expected a value but found '='"],
    ['role = "both"\n\n[tls]\ncert = "c"\n[tls]\nkey = "k"\n', 5, "Cannot redefine table 'tls'"],
    ["a = [\n  1,\n  2,\n]\nb = 1\nb = 2\n", 6, "Cannot redefine key 'b'"],
    ['role = "both"\nlisten = "0.0.0.0:7070\n', 2, "Unterminated string"],
    ['x = """\nmulti\nline\n"""\nrole = \n', 5, "Missing value after '='"],
  ])("%p: line %p", (toml, line, reason) => {
    const problem = problemOf(toml);
    expect(problem).toStartWith(`${FILE}: line ${line}: not valid TOML: ${reason}`);
  });

  test("an unterminated array is placed where it starts", () => {
    expect(problemOf('role = "both"\n[dashboard]\nallowed_origins = [\n  "https://a.dev",\n')).toBe(
      `${FILE}: line 3: not valid TOML: Unterminated array; expected ']'`,
    );
  });
});
