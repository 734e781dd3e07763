// Fuzzing the textfile path: the Prometheus text parser on any text (never a throw, always a line
// number), the re-export read back by the parser (escapes survive), and any file through the
// textfile reader into a section the wire schema accepts and a /metrics the parser reads back.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import * as v from "valibot";
import { parsePrometheusText } from "../../src/custom/prom-parser.ts";
import { TextfileReader, wireValue } from "../../src/custom/textfile.ts";
import { CustomExposition } from "../../src/metrics/custom.ts";
import { renderMetrics } from "../../src/metrics/prometheus.ts";
import { type Custom, CustomSchema } from "../../src/protocol/index.ts";
import { anyString, fuzz, fuzzAsync, longString, RUNS } from "./fuzz.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-fuzz-textfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FRAGMENTS = [
  "# HELP ",
  "# TYPE ",
  " counter",
  " gauge",
  " histogram",
  " summary",
  " untyped",
  "up",
  "up_total",
  "h_bucket",
  "h_sum",
  "s_count",
  "{",
  "}",
  "=",
  '"',
  ",",
  "\\",
  "\\n",
  '\\"',
  "\n",
  "\r\n",
  " ",
  "\t",
  "le",
  "quantile",
  "1",
  "-2.5e3",
  "NaN",
  "+Inf",
  "-Inf",
  "1700000000000",
  "#",
  "a_b:c",
  "__x",
  "0x1",
] as const;

/** Text built from pieces of the format, so that most cases get past the first token. */
const formatLike = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), anyString), { maxLength: 60 })
  .map((parts) => parts.join(""));
const anyText = fc.oneof(formatLike, anyString, longString);

const metricName = fc
  .stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/)
  .filter((n) => !n.startsWith("hwm_"));
const labelName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,10}$/);
const sampleValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
);

describe("the text parser", () => {
  test("any text: a result or an error on a line of the text, never a throw", () => {
    fuzz(
      "prom parser any text",
      fc.property(anyText, (text) => {
        const result = parsePrometheusText(text);
        if (!result.ok) {
          expect(result.line).toBeGreaterThanOrEqual(1);
          expect(result.line).toBeLessThanOrEqual(text.split("\n").length);
          expect(result.error.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  test("what hwm re-exports, the parser reads back unchanged (names, labels, values, help)", () => {
    const family = fc.record({
      name: metricName,
      help: fc.option(anyString, { nil: null }),
      samples: fc.uniqueArray(
        fc.record({
          labels: fc.dictionary(labelName, anyString, { maxKeys: 4 }),
          value: sampleValue,
        }),
        { maxLength: 5, selector: (s) => JSON.stringify(Object.entries(s.labels).sort()) },
      ),
    });
    fuzz(
      "prom re-export round trip",
      fc.property(fc.uniqueArray(family, { maxLength: 5, selector: (f) => f.name }), (families) => {
        // Lone surrogates cannot be written as UTF-8: the textfile reader never lets them in. A
        // carriage return ending a HELP line reads as a Windows line end.
        const wellFormed = (s: string) => s.isWellFormed();
        fc.pre(
          families.every(
            (f) =>
              (f.help === null || (wellFormed(f.help) && !f.help.includes("\r"))) &&
              f.samples.every((s) => Object.values(s.labels).every(wellFormed)),
          ),
        );
        const custom: Custom = {
          dir: "/x",
          files: [],
          families: families.map((f) => ({
            name: f.name,
            type: "gauge",
            help: f.help,
            samples: f.samples.map((s) => ({
              name: f.name,
              labels: s.labels,
              value: wireValue(s.value),
            })),
          })),
        };
        const x = new CustomExposition();
        x.add({}, custom);
        const parsed = parsePrometheusText(x.render());
        if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.error}`);
        const back = parsed.families.map((f) => ({
          name: f.name,
          samples: f.samples.map((s) => ({
            labels: Object.fromEntries(s.labels),
            value: wireValue(s.value),
          })),
        }));
        const sent = custom.families
          .filter((f) => f.samples.length > 0)
          .map((f) => ({
            name: f.name,
            // -0 is written as 0, the same value for Prometheus.
            samples: f.samples.map((s) => ({
              labels: s.labels,
              value: s.value === 0 ? 0 : s.value,
            })),
          }));
        expect(back).toEqual(sent);
        for (const f of parsed.families) {
          const original = families.find((o) => o.name === f.name);
          // The format cannot keep blanks at the start of a HELP text (they separate it from the name).
          const help = original?.help?.replace(/^[ \t]+/, "");
          expect(f.help).toBe(
            help ?? "Custom metric from a textfile (*.prom) without a HELP line.",
          );
        }
      }),
    );
  });
});

describe("the textfile reader", () => {
  test("any file: a section the wire schema accepts, and a /metrics the parser reads", async () => {
    let n = 0;
    await fuzzAsync(
      "textfile any file",
      fc.asyncProperty(anyText, async (text) => {
        const sub = join(dir, String(++n));
        await Bun.write(join(sub, "x.prom"), text);
        writeFileSync(join(sub, "ok.prom"), "fine 1\n");
        const custom = await new TextfileReader(sub).read();
        expect(v.safeParse(CustomSchema, custom).issues).toBeUndefined();
        expect(custom.files.find((f) => f.file === "ok.prom")?.error).toBeNull();
        const metrics = renderMetrics([
          {
            labels: { host: "h" },
            info: null,
            snapshot: { v: 1, host: "h", ts_ms: 1, uptime_s: 1, custom },
          },
        ]);
        const parsed = parsePrometheusText(metrics);
        if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.error}\n${metrics}`);
      }),
      Math.max(50, Math.floor(RUNS / 20)),
    );
  });
});
