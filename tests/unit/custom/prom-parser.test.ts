// The Prometheus text-format parser: what it accepts (every metric type, escapes, special
// values, timestamps, comments) and, for each kind of mistake, the line and the words it gives.
import { describe, expect, test } from "bun:test";
import { parsePrometheusText, parseValue } from "../../../src/custom/prom-parser.ts";

function families(text: string) {
  const result = parsePrometheusText(text);
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`);
  return result.families;
}

describe("accepted", () => {
  test("HELP and TYPE, labels with escapes, a trailing comma, blanks between tokens", () => {
    const [f] = families(
      [
        "# HELP backup_age_seconds Age of the last backup.\\nIn seconds, \\\\ included.",
        "# TYPE backup_age_seconds gauge",
        'backup_age_seconds{job="nightly", path="C:\\\\dir \\"x\\"\\n",} 3600',
        '  backup_age_seconds { job = "weekly" }\t7200',
      ].join("\n"),
    );
    expect(f).toEqual({
      name: "backup_age_seconds",
      type: "gauge",
      help: "Age of the last backup.\nIn seconds, \\ included.",
      samples: [
        {
          name: "backup_age_seconds",
          labels: [
            ["job", "nightly"],
            ["path", 'C:\\dir "x"\n'],
          ],
          value: 3600,
          timestampMs: null,
          line: 3,
        },
        {
          name: "backup_age_seconds",
          labels: [["job", "weekly"]],
          value: 7200,
          timestampMs: null,
          line: 4,
        },
      ],
    });
  });

  test("comments, blank lines and Windows line endings are skipped", () => {
    const fs = families("# just a comment\r\n\r\n#\n# TYPE up counter\r\nup 1\r\n");
    expect(fs.map((f) => [f.name, f.type, f.samples[0]?.value])).toEqual([["up", "counter", 1]]);
  });

  test("NaN, infinities, exponents and timestamps", () => {
    const fs = families("a NaN\nb +Inf\nc -Inf\nd 1.5e-3 1700000000000\ne -0.25 -5\n");
    const values = fs.map((f) => f.samples[0]?.value);
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([Infinity, -Infinity, 0.0015, -0.25]);
    expect(fs.map((f) => f.samples[0]?.timestampMs)).toEqual([null, null, null, 1700000000000, -5]);
  });

  test("histograms and summaries group their suffixed samples under one family", () => {
    const fs = families(
      [
        "# TYPE req_seconds histogram",
        'req_seconds_bucket{le="0.1"} 3',
        'req_seconds_bucket{le="+Inf"} 5',
        "req_seconds_sum 1.2",
        "req_seconds_count 5",
        "# TYPE rpc summary",
        'rpc{quantile="0.99"} 0.3',
        "rpc_sum 12",
        "rpc_count 40",
        "plain_count 7",
      ].join("\n"),
    );
    expect(fs.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      [
        "req_seconds",
        "histogram",
        ["req_seconds_bucket", "req_seconds_bucket", "req_seconds_sum", "req_seconds_count"],
      ],
      ["rpc", "summary", ["rpc", "rpc_sum", "rpc_count"]],
      ["plain_count", "untyped", ["plain_count"]],
    ]);
  });

  test("a family without samples (only HELP/TYPE) is left out", () => {
    expect(families("# HELP nothing Never set.\n# TYPE nothing gauge\n")).toEqual([]);
  });

  test("parseValue takes Go's spellings and refuses the rest", () => {
    expect(parseValue("Inf")).toBe(Infinity);
    expect(parseValue("nan")).toBeNaN();
    expect(parseValue(".5")).toBe(0.5);
    for (const bad of ["", "1,5", "0x10", "1e", "one", "--1", "1_000"])
      expect(parseValue(bad)).toBeNull();
  });
});

describe("refused, with the line and why", () => {
  test.each([
    ["1up 1", 1, 'expected a metric name, found "1up 1"'],
    ["up", 1, 'expected a value after "up"'],
    ["up one", 1, '"one" is not a number'],
    ["up 1 2 3", 1, 'unexpected "3" at the end'],
    ["up 1 1.5", 1, '"1.5" is not a timestamp (integer milliseconds)'],
    ['up{a="b"', 1, 'expected "," or "}", found the end of the line'],
    ['up{a="b} 1', 1, "label value not closed: missing '\"'"],
    ["up{a=b} 1", 1, 'expected """, found "b} 1"'],
    ['up{a="\\t"} 1', 1, 'invalid escape "\\t" in a label value'],
    ['up{a="1",a="2"} 1', 1, 'label "a" given twice'],
    ['up{__name__="x"} 1', 1, 'label name "__name__" is reserved (__)'],
    ['up{1a="x"} 1', 1, 'expected a label name or \'}\', found "1a=\\"x\\"} 1"'],
    ["ok 1\nup 1\nup 2", 3, "series up{} given twice"],
    ['up{b="2",a="1"} 1\nup{a="1",b="2"} 1', 2, 'series up{a="1",b="2"} given twice'],
    ["# TYPE up gauge\n# TYPE up gauge", 2, 'second TYPE line for "up"'],
    ["# HELP up x\n# HELP up y", 2, 'second HELP line for "up"'],
    ["up 1\n# TYPE up gauge", 2, 'TYPE line for "up" after its samples'],
    [
      "# TYPE up bogus",
      1,
      'unknown type "bogus" for "up"; expected one of counter, gauge, untyped, histogram, summary',
    ],
    ["# HELP up bad \\x escape", 1, 'invalid escape "\\x" in a HELP text'],
    ["# TYPE h histogram\nh_bucket 1", 2, 'histogram sample "h_bucket" without a "le" label'],
    ['# TYPE h histogram\nh_bucket{le="x"} 1', 2, '"le" label "x" is not a number'],
    ["# TYPE s summary\ns 1", 2, 'summary sample "s" without a "quantile" label'],
  ])("%p → line %p", (text, line, error) => {
    expect(parsePrometheusText(text)).toEqual({ ok: false, line, error });
  });
});
