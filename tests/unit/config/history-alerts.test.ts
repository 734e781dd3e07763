// The [history], [[notifiers]] and [[alerts]] keys: each backend's own keys, rollup tiers that can
// be computed from each other, notifier secrets, conditions and silence windows checked on load.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "../../../src/config/file.ts";
import { ConfigError, resolveConfig } from "../../../src/config/load.ts";

const FILE = "/etc/hwm/hwm.toml";
const problemsOf = (toml: string) => parseConfigText(toml, FILE).problems;

describe("[history]", () => {
  test("the prometheus backend needs a url, and the SQLite keys are not for it", () => {
    expect(problemsOf('[history]\nbackend = "prometheus"\npath = "h.db"\n')).toEqual([
      `${FILE}: history.path: expected only with backend = "sqlite" (they shape the SQLite file), but backend is "prometheus"`,
      `${FILE}: history.url: missing; expected the URL of a Prometheus-compatible query API, such as "http://prometheus:9090", for backend = "prometheus"`,
    ]);
  });

  test("the Prometheus keys are not for the SQLite backend", () => {
    expect(problemsOf('[history]\nurl = "http://prom:9090"\nlabel = "host"\n')).toEqual([
      `${FILE}: history.url: expected only with backend = "prometheus" (they say where Prometheus is), but backend is "sqlite"`,
      `${FILE}: history.label: expected only with backend = "prometheus" (they say where Prometheus is), but backend is "sqlite"`,
    ]);
  });

  test("rollup tiers: longer than their step, multiples of the one before, computable", () => {
    const toml = [
      "[history]",
      'raw_retention = "10m"',
      '[[history.rollups]]\nstep = "1m"\nretention = "1m"',
      '[[history.rollups]]\nstep = "90s"\nretention = "2h"',
      '[[history.rollups]]\nstep = "1d"\nretention = "30d"',
    ].join("\n");
    expect(problemsOf(toml)).toEqual([
      `${FILE}: history.rollups[0].retention: expected longer than its step (1m), got 1m`,
      `${FILE}: history.rollups[1].step: expected a whole multiple of the step before it (rollups[0]), larger than it, got 90s`,
      `${FILE}: history.rollups[1].step: expected at most the retention of the tier it is computed from (rollups[0].retention), got 90s`,
      `${FILE}: history.rollups[2].step: expected at most the retention of the tier it is computed from (rollups[1].retention), got 1d`,
    ]);
  });

  test("the first rollup step is coarser than the recording interval", () => {
    expect(
      problemsOf(
        '[history]\ninterval_ms = 60000\n[[history.rollups]]\nstep = "1m"\nretention = "1d"\n',
      ),
    ).toEqual([
      `${FILE}: history.rollups[0].step: expected longer than history.interval_ms (60000 ms), got 1m`,
    ]);
  });

  test("raw points must outlive two recordings", () => {
    expect(problemsOf('[history]\ninterval_ms = 60000\nraw_retention = "90s"\n')).toEqual([
      `${FILE}: history.raw_retention: expected at least two recording intervals (120000 ms), got 90s`,
    ]);
  });

  test("unknown backends and keys are named", () => {
    expect(problemsOf('[history]\nbackend = "influx"\nretention = "1h"\n')).toEqual([
      `${FILE}: history.backend: expected one of "sqlite" or "prometheus", got "influx"`,
      `${FILE}: history.retention: unknown key; did you mean "raw_retention"?`,
    ]);
  });
});

describe("[[notifiers]] and [[alerts]]", () => {
  test("a notifier's token and token_file exclude each other; Discord and Slack take none", () => {
    const toml = [
      '[[notifiers]]\nname = "a"\ntype = "gotify"\nurl = "https://g.lan"\ntoken = "AbCdEfGhIjKlMnO"\ntoken_file = "t"',
      '[[notifiers]]\nname = "b"\ntype = "discord"\nurl = "https://discord.com/api/webhooks/1/x"\ntoken = "secret"',
      '[[notifiers]]\nname = "c"\ntype = "ntfy"\nurl = "https://ntfy.sh/x"\ntoken = "has space"',
    ].join("\n");
    expect(problemsOf(toml)).toEqual([
      `${FILE}: notifiers[2].token: expected a secret of printable characters without spaces, got 9 characters, some of them not allowed`,
      `${FILE}: notifiers[0].token_file: expected either "token" or "token_file", not both: keep one of them`,
      `${FILE}: notifiers[1].token: expected no token for a discord notifier: its webhook URL carries the secret`,
    ]);
  });

  test("conditions, durations and silence windows are checked where they are written", () => {
    const toml = [
      '[[alerts]]\nname = "a"\nwhen = "cpu.totl_pct > 90"',
      '[[alerts]]\nname = "b"\nwhen = "reboot"\nrepeat = "often"\nsilence = ["02:00-04:00", "at night"]',
    ].join("\n");
    const problems = problemsOf(toml);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toStartWith(
      `${FILE}: alerts[0].when: unknown metric "cpu.totl_pct"; known metrics: `,
    );
    expect(problems[1]).toStartWith(`${FILE}: alerts[1].repeat: expected a duration such as "30s"`);
    expect(problems[2]).toStartWith(
      `${FILE}: alerts[1].silence[1]: expected a daily window "HH:MM-HH:MM"`,
    );
  });
});

describe("resolved", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hwm-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("every key reaches the Config, token files read", () => {
    writeFileSync(join(dir, "prom-token"), "prom-secret\n");
    writeFileSync(join(dir, "gotify-token"), "AbCdEfGhIjKlMnO\n");
    const config = join(dir, "hwm.toml");
    writeFileSync(
      config,
      [
        '[history]\nenabled = true\ninterval_ms = 500\nbackend = "prometheus"\nurl = "http://prom:9090/"\ntoken_file = "prom-token"\nlabel = "host"',
        '[[notifiers]]\nname = "phone"\ntype = "gotify"\nurl = "https://gotify.lan"\ntoken_file = "gotify-token"',
        '[[alerts]]\nname = "full"\nwhen = "disks[*].used_pct >= 90"\nfor = "5m"\nrepeat = "4h"\nhosts = ["pve-*"]\nnotify = ["phone"]\nsilence = ["Sat-Sun 00:00-24:00"]',
      ].join("\n"),
    );
    const resolved = resolveConfig({ config }, {});
    expect(resolved.history).toMatchObject({
      enabled: true,
      intervalMs: 500,
      backend: "prometheus",
      prometheus: { url: "http://prom:9090", token: "prom-secret", label: "host" },
    });
    expect(resolved.notifiers).toEqual([
      { name: "phone", type: "gotify", url: "https://gotify.lan", token: "AbCdEfGhIjKlMnO" },
    ]);
    expect(resolved.alerts[0]).toMatchObject({
      forMs: 300_000,
      repeatMs: 14_400_000,
      hosts: ["pve-*"],
      condition: { kind: "threshold", op: ">=", value: 90, metric: { key: "*" } },
      silence: [{ text: "Sat-Sun 00:00-24:00" }],
    });
  });

  test("custom rollups replace the defaults", () => {
    const config = join(dir, "hwm.toml");
    writeFileSync(
      config,
      '[history]\nraw_retention = "2h"\n[[history.rollups]]\nstep = "5m"\nretention = "30d"\n',
    );
    expect(resolveConfig({ config }, {}).history).toMatchObject({
      rawRetentionMs: 7_200_000,
      rollups: [{ stepMs: 300_000, retentionMs: 2_592_000_000 }],
    });
  });

  test("a missing token file is named at its key; a sender refuses receiver-only tables", () => {
    const config = join(dir, "hwm.toml");
    writeFileSync(
      config,
      'role = "sender"\n[history]\nenabled = true\n[[notifiers]]\nname = "x"\ntype = "ntfy"\nurl = "https://ntfy.sh/x"\ntoken_file = "nope"\n',
    );
    let problems: string[] = [];
    try {
      resolveConfig({ config }, {});
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toEqual([
      `${config}: notifiers[0].token_file: cannot read token file "${join(dir, "nope")}": does not exist`,
      `${config}: history: expected only on a receiver (role "receiver" or "both"): a sender answers requests and keeps nothing, but this node's role is "sender"`,
      `${config}: notifiers: expected only on a receiver (role "receiver" or "both"): a sender answers requests and keeps nothing, but this node's role is "sender"`,
    ]);
  });
});
