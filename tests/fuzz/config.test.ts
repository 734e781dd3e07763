// Fuzzing the configuration: TOML text (random, generated from the schema's keys, and mutations of
// the spec's example), command-line flags and environment variables. Whatever comes in, the
// answer is a Config or problems that each name their source (a flag, a variable, the file),
// never another exception.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type ArgsDef, parseArgs } from "citty";
import * as fc from "fast-check";
import { checkFlags } from "../../src/commands/flags.ts";
import { runArgs } from "../../src/commands/run-args.ts";
import { ConfigError, UsageError } from "../../src/config/errors.ts";
import { parseConfigText } from "../../src/config/file.ts";
import { type CliFlags, checkConfigFile, resolveConfig } from "../../src/config/load.ts";
import { anyNumber, anyString, fuzz, longString, RUNS } from "./fuzz.ts";

const SPEC_EXAMPLE = readFileSync(
  resolve(import.meta.dir, "../unit/config/spec-example.toml"),
  "utf8",
);
const CONFIG_PATH = "/etc/hwm/fuzz.toml";
const GOOD_TOKEN = "rX3fK9mQ2vL8pT4wZ7yB1nC6dH5jG0sA-_eUoIkW3q";

// --- TOML text ---

type Toml = string | number | boolean | Toml[] | { [key: string]: Toml } | { datetime: string };

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    if ("datetime" in value && typeof value.datetime === "string") return value.datetime;
    const entries = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
    return `{ ${entries.join(", ")} }`;
  }
  return '""';
}

const anyToml: fc.Arbitrary<Toml> = fc.letrec<{ value: Toml }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    anyString,
    anyNumber,
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.boolean(),
    fc.constantFrom({ datetime: "1979-05-27T07:32:00Z" }, { datetime: "07:32:00" }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** A plausible value for a key, or anything at all. */
const valueFor = (...plausible: Toml[]): fc.Arbitrary<Toml> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...plausible) },
    { weight: 2, arbitrary: anyToml },
  );

const PLAUSIBLE: Record<string, fc.Arbitrary<Toml>> = {
  role: valueFor("sender", "receiver", "both", "boss"),
  listen: valueFor("127.0.0.1:0", "0.0.0.0:7070", "[::1]:7070", "localhost:99999", ":7070", "[::"),
  token: valueFor(GOOD_TOKEN, "short", ""),
  token_file: valueFor("token", "/nonexistent/token", ""),
  interval_ms: valueFor(1000, 0, 99, 100, 60_000, 1.5, 1e12, -1000),
  name: valueFor("pve-web", "a b", "", "x".repeat(200)),
  url: valueFor("http://10.0.0.12:7070", "https://a.example", "ftp://x", "http://u:p@x", "http://"),
  fingerprint: valueFor(
    "sha256:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
    "sha256:zz",
  ),
  ca: valueFor("ca.pem", ""),
  cert: valueFor("cert.pem", "/etc/hwm/cert.pem"),
  key: valueFor("key.pem"),
  allowed_origins: valueFor(["https://example.dev"], ["*"], ["http://a:1/path"], []),
  enabled: valueFor(true, false, "yes"),
  backend: valueFor("sqlite", "prometheus", "mysql"),
  path: valueFor("/var/lib/hwm/history.db", ""),
  raw_retention: valueFor("1h", "0s", "-1h", "99999999999999999d", "1y"),
  step: valueFor("1m", "5m", "0s", "1ms"),
  retention: valueFor("7d", "1d"),
  type: valueFor("ntfy", "webhook", "discord", "slack", "smtp"),
  when: valueFor(
    "cpu.total_pct > 90",
    "host offline",
    "reboot",
    "disks[/].used_pct >= 95",
    "disks[*].used_pct > 1e999",
    "memory.used_bytes > -1",
    "cpu.total_pct >",
    "nosuch.metric > 1",
  ),
  for: valueFor("5m", "0s", "-5m", "99999999999999999999d"),
  repeat: valueFor("1h", ""),
  hosts: valueFor(["*"], ["pve-web"], [], ["*", "*"]),
  notify: valueFor(["phone"], ["nobody"], []),
  silence: valueFor(["22:00-06:00"], ["Sat-Sun"], ["25:00-26:00"], ["Mon 09:00-17:00"]),
  label: valueFor("instance", "host", "job"),
};

const entriesOf = (keys: readonly string[]): fc.Arbitrary<[string, Toml][]> =>
  fc
    .tuple(
      fc.subarray([...keys]),
      fc.array(fc.tuple(anyString, anyToml), { maxLength: 1 }),
      fc.array(fc.nat({ max: 1000 }), { minLength: keys.length, maxLength: keys.length }),
    )
    .chain(([chosen, extra]) =>
      fc
        .tuple(...chosen.map((k) => PLAUSIBLE[k] ?? anyToml))
        .map((values) => [...chosen.map((k, i) => [k, values[i]] as [string, Toml]), ...extra]),
    );

const body = (entries: [string, Toml][]) =>
  entries.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}\n`).join("");

/** A config file built from the schema's keys, with plausible and absurd values. */
const generatedConfig: fc.Arbitrary<string> = fc
  .tuple(
    entriesOf(["role", "listen", "token", "token_file", "interval_ms"]),
    fc.option(entriesOf(["cert", "key", "ca"])),
    fc.option(entriesOf(["allowed_origins", "token"])),
    fc.array(entriesOf(["name", "url", "token", "fingerprint", "ca"]), { maxLength: 3 }),
    fc.option(entriesOf(["enabled", "interval_ms", "backend", "path", "raw_retention", "url"])),
    fc.array(entriesOf(["step", "retention"]), { maxLength: 2 }),
    fc.array(entriesOf(["name", "type", "url", "token", "token_file"]), { maxLength: 2 }),
    fc.array(entriesOf(["name", "when", "for", "repeat", "hosts", "notify", "silence"]), {
      maxLength: 3,
    }),
  )
  .map(([top, tls, dashboard, senders, history, rollups, notifiers, alerts]) => {
    let text = body(top);
    if (tls) text += `[tls]\n${body(tls)}`;
    if (dashboard) text += `[dashboard]\n${body(dashboard)}`;
    for (const s of senders) text += `[[senders]]\n${body(s)}`;
    if (history) text += `[history]\n${body(history)}`;
    for (const r of rollups) text += `[[history.rollups]]\n${body(r)}`;
    for (const n of notifiers) text += `[[notifiers]]\n${body(n)}`;
    for (const a of alerts) text += `[[alerts]]\n${body(a)}`;
    return text;
  });

/** The spec's example with lines dropped, repeated, cut or replaced. */
const mutatedExample: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.nat(),
      fc.constantFrom("drop", "repeat", "cut", "replace", "insert"),
      anyString,
      fc.nat(),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((edits) => {
    const lines = SPEC_EXAMPLE.split("\n");
    for (const [at, kind, text, cutAt] of edits) {
      const i = at % lines.length;
      const line = lines[i] ?? "";
      if (kind === "drop") lines.splice(i, 1);
      else if (kind === "repeat") lines.splice(i, 0, line);
      else if (kind === "cut") lines[i] = line.slice(0, cutAt % (line.length + 1));
      else if (kind === "replace") lines[i] = line.replace(/=.*/, `= ${text}`);
      else lines.splice(i, 0, text);
    }
    return lines.join("\n");
  });

const configText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: generatedConfig },
  { weight: 3, arbitrary: mutatedExample },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constant(SPEC_EXAMPLE) },
  { weight: 1, arbitrary: fc.array(generatedConfig, { maxLength: 30 }).map((t) => t.join("")) },
);

// --- flags and environment ---

const STRING_FLAGS = Object.entries(runArgs as ArgsDef)
  .filter(([, def]) => def.type === "string")
  .map(([name]) => name);

const flagValue = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    anyString,
    fc.constantFrom(
      ...({
        role: ["sender", "receiver", "both"],
        listen: ["127.0.0.1:0", "0.0.0.0:0", "[::1]:0", "localhost:0", "host:port"],
        token: [GOOD_TOKEN, "short"],
        "interval-ms": ["1000", "0", "-1", "1e3", "99999999999999999999"],
        "log-level": ["debug", "info", "loud"],
        config: [CONFIG_PATH, "relative.toml", ""],
      }[name] ?? ["/proc", ""]),
    ),
  );

/** A command line: known flags in both spellings, unknown ones, stray words, `--`. */
const argv: fc.Arbitrary<string[]> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...STRING_FLAGS).chain((name) =>
        fc.oneof(
          flagValue(name).map((v) => [`--${name}`, v]),
          flagValue(name).map((v) => [`--${name}=${v}`]),
          fc.constant([`--${name}`]),
        ),
      ),
      fc.constantFrom(["--no-tui"], ["--tui"], ["--tui=false"], ["--"], ["-"], ["-x"]),
      anyString.map((s) => [`--${s}`]),
      anyString.map((s) => [s]),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.flat());

const environment: fc.Arbitrary<Record<string, string | undefined>> = fc.record(
  {
    HWM_TOKEN: fc.oneof(fc.constant(GOOD_TOKEN), anyString),
    HWM_CONFIG: fc.oneof(fc.constant(CONFIG_PATH), anyString),
  },
  { requiredKeys: [] },
);

const TO_STRING_BACKEND = '[history]\nbackend = { toString = [] }\npath = "/var/lib/hwm/h.db"\n';

/** Problems name where they come from: a flag, an environment variable, or the file. */
function namesItsSource(line: string, configPath: string | undefined): boolean {
  if (/^(--[a-z-]+|[A-Z][A-Z0-9_]+)[: ]/.test(line)) return true;
  return configPath !== undefined && configPath !== "" && line.startsWith(configPath);
}

describe("config fuzzing", () => {
  test(`config file text: a config or problems naming the file (${RUNS} cases)`, () => {
    fuzz(
      "config file text",
      fc.property(configText, (text) => {
        const { config, problems } = parseConfigText(text, CONFIG_PATH);
        expect(config === null).toBe(problems.length > 0);
        for (const problem of problems) {
          expect(problem.startsWith(`${CONFIG_PATH}:`)).toBe(true);
          expect(problem.length).toBeGreaterThan(CONFIG_PATH.length + 2);
        }
      }),
    );
  }, 120_000);

  test(`flags, environment and file together: a Config or a ConfigError (${RUNS} cases)`, () => {
    fuzz(
      "flags, environment and file",
      fc.property(
        argv,
        environment,
        configText,
        fc.option(anyString),
        fc.boolean(),
        (args, env, text, tokenFile, readable) => {
          let flags: CliFlags;
          try {
            checkFlags(args, runArgs);
            const parsed = parseArgs(args, runArgs) as Record<string, unknown>;
            flags = Object.fromEntries(
              Object.keys(runArgs).map((name) => [name, parsed[name]]),
            ) as CliFlags;
          } catch (err) {
            // An unknown flag: refused with its name before anything else is read.
            expect(err).toBeInstanceOf(UsageError);
            expect((err as Error).message).toContain("unknown flag");
            return;
          }
          const read = (path: string): string => {
            if (path === CONFIG_PATH || path.endsWith(".toml")) return text;
            if (tokenFile !== null && path.includes("token")) return tokenFile;
            throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
          };
          try {
            const config = resolveConfig(flags, env, {
              read,
              canRead: () => (readable ? null : "does not exist"),
            });
            expect(config.listen.port).toBeGreaterThanOrEqual(0);
            expect(config.intervalMs).toBeGreaterThan(0);
          } catch (err) {
            if (!(err instanceof UsageError)) throw err;
            expect(err.message.length).toBeGreaterThan(0);
            const configPath = flags.config ?? (env.HWM_CONFIG || undefined);
            // One problem per entry, each naming where it came from.
            const problems = err instanceof ConfigError ? err.problems : [err.message];
            for (const problem of problems) {
              if (!namesItsSource(problem, configPath)) {
                throw new Error(`a problem that names no flag, variable or file: ${problem}`);
              }
            }
          }
        },
      ),
    );
  }, 120_000);

  test(`check-config: a list of problems, never an exception (${RUNS / 10} cases)`, () => {
    fuzz(
      "check-config",
      fc.property(configText, (text) => {
        const problems = checkConfigFile(CONFIG_PATH, {
          read: (path) => {
            if (path === CONFIG_PATH) return text;
            throw Object.assign(new Error("EACCES"), { code: "EACCES" });
          },
          canRead: () => "permission denied",
        });
        for (const p of problems) expect(p.startsWith(CONFIG_PATH)).toBe(true);
      }),
      RUNS / 10,
    );
  }, 120_000);

  test("a [history] backend table with a toString key is named, not thrown on", () => {
    expect(() => parseConfigText(TO_STRING_BACKEND, CONFIG_PATH)).not.toThrow();
  });

  test("a syntax error anywhere in a long file is located on its line", () => {
    fuzz(
      "a syntax error anywhere in a long file",
      fc.property(fc.integer({ min: 500, max: 2000 }), fc.nat(), longString, (lines, at, junk) => {
        const filler = Array.from({ length: lines }, (_, i) => `key_${i} = ${i}`);
        filler.splice(at % lines, 0, `${junk.slice(0, 100)} = =`);
        const { problems } = parseConfigText(filler.join("\n"), CONFIG_PATH);
        expect(problems.length).toBe(1);
        const line = (at % lines) + 1 + (junk.slice(0, 100).match(/\n/g)?.length ?? 0);
        expect(problems[0]).toContain(`: line ${line}: not valid TOML`);
      }),
      5,
    );
  }, 120_000);
});
