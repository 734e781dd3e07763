// What every fuzzer shares: how many cases a run tries, the seed (printed on failure, so the
// case can be replayed), and generators of hostile input: odd strings, unicode, lone surrogates,
// deep nesting, huge arrays, numbers JSON cannot carry.
//   more cases:  HWM_FUZZ_RUNS=100000 bun test tests/fuzz
//   replay:      HWM_FUZZ_SEED=<seed> HWM_FUZZ_PATH=<path> bun test tests/fuzz -t <name>
//                (the failure prints this line ready to copy)
import * as fc from "fast-check";

/**
 * Cases per property: HWM_FUZZ_RUNS, else 10,000 under CI and 1,000 elsewhere, so that a plain
 * `bun test` stays quick while every CI run tries many new cases (the seed changes every run).
 */
export const RUNS = Number(process.env.HWM_FUZZ_RUNS ?? (process.env.CI ? 10_000 : 1_000));
/** Fail a case that takes longer than this: a hang is a defect too. */
export const CASE_TIMEOUT_MS = 2_000;

/** One line per property in the test output: how many cases ran, in how long, from which seed. */
function report<Ts>(name: string, details: fc.RunDetails<Ts>, startMs: number): void {
  const ms = Math.round(performance.now() - startMs);
  console.info(`fuzz "${name}": ${details.numRuns} cases in ${ms} ms (seed ${details.seed})`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function replayHint<Ts>(name: string, details: fc.RunDetails<Ts>): string {
  return [
    `fuzz "${name}" failed (seed ${details.seed}, path "${details.counterexamplePath ?? ""}").`,
    `Replay: HWM_FUZZ_SEED=${details.seed} HWM_FUZZ_PATH="${details.counterexamplePath ?? ""}" bun test tests/fuzz -t ${JSON.stringify(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))}`,
    `Error: ${errorText(details.errorInstance).slice(0, 2000)}`,
    (fc.defaultReportMessage(details) ?? "").slice(0, 4000),
  ].join("\n");
}

function params<Ts>(runs: number): fc.Parameters<Ts> {
  const seedText = process.env.HWM_FUZZ_SEED;
  return {
    numRuns: runs,
    seed: seedText === undefined ? (Date.now() ^ (Math.random() * 2 ** 31)) | 0 : Number(seedText),
    path: process.env.HWM_FUZZ_PATH || undefined,
    timeout: CASE_TIMEOUT_MS,
  };
}

/**
 * Runs a synchronous property; a failure throws with the seed and how to replay it. `name` is
 * part of the test's title, so that `bun test -t` finds the one test to replay.
 */
export function fuzz<Ts>(name: string, property: fc.IProperty<Ts>, runs = RUNS): void {
  const startMs = performance.now();
  const details = fc.check(property, params<Ts>(runs));
  report(name, details, startMs);
  if (details.failed) throw new Error(replayHint(name, details));
}

/** The same for a property whose cases are asynchronous (routes, WebSocket handlers). */
export async function fuzzAsync<Ts>(
  name: string,
  property: fc.IAsyncProperty<Ts>,
  runs = RUNS,
): Promise<void> {
  const startMs = performance.now();
  const details = await fc.check(property, params<Ts>(runs));
  report(name, details, startMs);
  if (details.failed) throw new Error(replayHint(name, details));
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings people and programs get wrong: empty, control characters, escapes, paths, numbers. */
export const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "\t\r\n",
  "\uFEFF",
  "\uD800",
  "\uDFFF\uD800",
  "💥",
  "a\u0301",
  "ﷺ",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "%",
  "%zz",
  "%E0%A4%A",
  "%00",
  "%2F",
  "..",
  "../../etc/passwd",
  "*",
  ",",
  "[",
  "]",
  "[*]",
  "null",
  "true",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e999",
  "-1e999",
  "9007199254740993",
  "99999999999999999999999",
  "0x10",
  "1_000",
  "-1",
  "now",
  "-1h",
  "-0s",
  "-99999999999d",
  "1.5",
  "{}",
  "[]",
  '"',
  "'",
  "\\",
  "<script>",
  "$(id)",
] as const;

/** Any string, weighted towards the odd ones. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.oneof(fc.string({ unit: "binary-ascii" }), loneSurrogate) }),
  },
);

/** A long string, occasionally: where quadratic work or a missing cap would show. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("a", "é", "💥", "%", "[", ",", "\n"),
    fc.integer({ min: 1_000, max: 70_000 }),
  )
  .map(([unit, n]) => unit.repeat(n));

/** Numbers, including those JSON turns into something else (NaN and ±Infinity become null). */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e300,
    -1e300,
    2 ** 53,
    2 ** 64,
  ),
);

/** Any JSON value, deep and wide enough to reach past the first level of every schema. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: anyNumber },
);

/** JSON text that a parser or validator may choke on: deep nesting, huge arrays, non-finite numbers. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 30_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
  fc.integer({ min: 1, max: 10_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `[${"0,".repeat(n)}0]`),
  fc.constantFrom("1e999", "-1e999", "NaN", "[1e999]", '{"id":1e999}', '{"id":-0}', "\uFEFF{}"),
  fc.string().map((s) => `{"id":1,"type":"info"${s}`),
);
