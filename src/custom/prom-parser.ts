// A parser of the Prometheus text exposition format (version 0.0.4), as node_exporter's textfile
// collector reads it: comments, HELP and TYPE lines, labels with escapes, optional timestamps,
// NaN and infinities, every metric type. Pure: text in, families or the first error (with its line) out.
import { LABEL_NAME, METRIC_NAME } from "../protocol/index.ts";

export const METRIC_TYPES = ["counter", "gauge", "untyped", "histogram", "summary"] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export interface ParsedSample {
  /** The sample's own name: the family's, or with _bucket, _sum or _count. */
  name: string;
  /** In the order written. */
  labels: [string, string][];
  value: number;
  /** Milliseconds since the epoch, when the line gives one. */
  timestampMs: number | null;
  line: number;
}

export interface ParsedFamily {
  name: string;
  type: MetricType;
  help: string | null;
  samples: ParsedSample[];
}

export type ParseResult =
  | { ok: true; families: ParsedFamily[] }
  | { ok: false; line: number; error: string };

class ParseError extends Error {}

/** Go's ParseFloat spellings of the special values, which the format allows (case-insensitive). */
const SPECIAL_VALUES: ReadonlyMap<string, number> = new Map([
  ["nan", Number.NaN],
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d{1,19}$/;

/** A sample value: a decimal float or one of the special values. */
export function parseValue(token: string): number | null {
  const special = SPECIAL_VALUES.get(token.toLowerCase());
  if (special !== undefined) return special;
  return DECIMAL.test(token) ? Number(token) : null;
}

/** Which family a sample belongs to: histogram and summary samples carry a suffix. */
function familyOf(sample: string, types: ReadonlyMap<string, MetricType>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === "histogram" || (type === "summary" && suffix !== "_bucket")) return base;
  }
  return sample;
}

/** Reads one line left to right; every method throws a ParseError naming what it expected. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  skipBlanks(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  /** Everything up to the next blank (or the end). */
  token(): string {
    const start = this.pos;
    while (!this.done && this.text[this.pos] !== " " && this.text[this.pos] !== "\t") this.pos++;
    return this.text.slice(start, this.pos);
  }

  name(pattern: RegExp, what: string): string {
    const start = this.pos;
    while (!this.done && /[a-zA-Z0-9_:]/.test(this.text[this.pos] ?? "")) this.pos++;
    const found = this.text.slice(start, this.pos);
    if (!pattern.test(found)) {
      throw new ParseError(`expected ${what}, found ${describeAt(this.text, start)}`);
    }
    return found;
  }

  expect(char: string): void {
    if (this.text[this.pos] !== char) {
      throw new ParseError(`expected "${char}", found ${describeAt(this.text, this.pos)}`);
    }
    this.pos++;
  }

  /** A double-quoted label value with \\, \" and \n escapes. */
  quoted(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      if (this.done) throw new ParseError("label value not closed: missing '\"'");
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const next = this.text[this.pos++];
      if (next === "\\" || next === '"') out += next;
      else if (next === "n") out += "\n";
      else throw new ParseError(`invalid escape "\\${next ?? ""}" in a label value`);
    }
  }
}

function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return "the end of the line";
  return JSON.stringify(text.slice(pos, pos + 12));
}

/** A HELP text: \\ and \n are the only escapes. */
function unescapeHelp(text: string): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    throw new ParseError(`invalid escape "\\${c}" in a HELP text`);
  });
}

interface Builder {
  families: Map<string, ParsedFamily>;
  /** Declared types, for the families whose samples carry suffixes. */
  types: Map<string, MetricType>;
  /** name{labels} of every sample so far, to catch a series given twice. */
  series: Set<string>;
}

function family(b: Builder, name: string): ParsedFamily {
  let f = b.families.get(name);
  if (!f) {
    f = { name, type: "untyped", help: null, samples: [] };
    b.families.set(name, f);
  }
  return f;
}

function commentLine(b: Builder, cur: Cursor): void {
  cur.skipBlanks();
  const keyword = cur.token();
  if (keyword !== "HELP" && keyword !== "TYPE") return; // any other comment
  cur.skipBlanks();
  const name = cur.name(METRIC_NAME, `a metric name after # ${keyword}`);
  if (!cur.done && cur.text[cur.pos] !== " " && cur.text[cur.pos] !== "\t") {
    throw new ParseError(`expected a blank after the metric name "${name}"`);
  }
  cur.skipBlanks();
  const rest = cur.text.slice(cur.pos);
  const f = family(b, name);
  if (keyword === "HELP") {
    if (f.help !== null) throw new ParseError(`second HELP line for "${name}"`);
    f.help = unescapeHelp(rest);
    return;
  }
  const type = rest.trimEnd();
  if (!(METRIC_TYPES as readonly string[]).includes(type)) {
    throw new ParseError(
      `unknown type ${JSON.stringify(type)} for "${name}"; expected one of ${METRIC_TYPES.join(", ")}`,
    );
  }
  if (b.types.has(name)) throw new ParseError(`second TYPE line for "${name}"`);
  if (f.samples.length > 0) throw new ParseError(`TYPE line for "${name}" after its samples`);
  f.type = type as MetricType;
  b.types.set(name, f.type);
}

function sampleLine(b: Builder, cur: Cursor, line: number): void {
  const name = cur.name(METRIC_NAME, "a metric name");
  cur.skipBlanks();
  const labels: [string, string][] = [];
  if (cur.text[cur.pos] === "{") {
    cur.pos++;
    cur.skipBlanks();
    while (cur.text[cur.pos] !== "}") {
      const label = cur.name(LABEL_NAME, "a label name or '}'");
      if (label.startsWith("__")) throw new ParseError(`label name "${label}" is reserved (__)`);
      if (labels.some(([l]) => l === label)) throw new ParseError(`label "${label}" given twice`);
      cur.skipBlanks();
      cur.expect("=");
      cur.skipBlanks();
      labels.push([label, cur.quoted()]);
      cur.skipBlanks();
      if (cur.text[cur.pos] === ",") {
        cur.pos++;
        cur.skipBlanks();
      } else if (cur.text[cur.pos] !== "}") {
        throw new ParseError(`expected "," or "}", found ${describeAt(cur.text, cur.pos)}`);
      }
    }
    cur.pos++;
    cur.skipBlanks();
  }
  const valueText = cur.token();
  if (valueText === "") throw new ParseError(`expected a value after "${name}"`);
  const value = parseValue(valueText);
  if (value === null) throw new ParseError(`${JSON.stringify(valueText)} is not a number`);
  cur.skipBlanks();
  let timestampMs: number | null = null;
  if (!cur.done) {
    const ts = cur.token();
    if (!INTEGER.test(ts) || !Number.isSafeInteger(Number(ts))) {
      throw new ParseError(`${JSON.stringify(ts)} is not a timestamp (integer milliseconds)`);
    }
    timestampMs = Number(ts);
    cur.skipBlanks();
    if (!cur.done) throw new ParseError(`unexpected ${describeAt(cur.text, cur.pos)} at the end`);
  }

  const f = family(b, familyOf(name, b.types));
  checkSpecialLabel(f, name, labels);
  const key = seriesKey(name, labels);
  if (b.series.has(key)) throw new ParseError(`series ${key} given twice`);
  b.series.add(key);
  f.samples.push({ name, labels, value, timestampMs, line });
}

/** Histogram buckets need a numeric `le`, summary quantiles a numeric `quantile`. */
function checkSpecialLabel(f: ParsedFamily, name: string, labels: [string, string][]): void {
  const needed =
    f.type === "histogram" && name.endsWith("_bucket")
      ? "le"
      : f.type === "summary" && name === f.name
        ? "quantile"
        : null;
  if (needed === null) return;
  const value = labels.find(([l]) => l === needed)?.[1];
  if (value === undefined)
    throw new ParseError(`${f.type} sample "${name}" without a "${needed}" label`);
  if (parseValue(value) === null) {
    throw new ParseError(`"${needed}" label ${JSON.stringify(value)} is not a number`);
  }
}

/** Label order does not make a different series. */
export function seriesKey(name: string, labels: readonly [string, string][]): string {
  const sorted = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}{${sorted.map(([l, v]) => `${l}=${JSON.stringify(v)}`).join(",")}}`;
}

/** The whole text; the first problem stops the parse and is reported with its line number. */
export function parsePrometheusText(text: string): ParseResult {
  const b: Builder = { families: new Map(), types: new Map(), series: new Set() };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    // Windows line endings are forgiven; any other carriage return is an error below.
    const raw = lines[i] ?? "";
    const cur = new Cursor(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    try {
      cur.skipBlanks();
      if (cur.done) continue;
      if (cur.text[cur.pos] === "#") {
        cur.pos++;
        commentLine(b, cur);
      } else sampleLine(b, cur, i + 1);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      return { ok: false, line: i + 1, error: error.message };
    }
  }
  return { ok: true, families: [...b.families.values()].filter((f) => f.samples.length > 0) };
}
