// The `custom` section: node_exporter's textfile convention. Every *.prom file in the configured
// directory is parsed and checked; a bad file is left out with one error naming it and its line,
// and the others still count. A file is parsed again only when its size or mtime changed.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { MaybePromise } from "../collect/maybe.ts";
import {
  type Custom,
  type CustomFamily,
  type CustomFile,
  type CustomValue,
  PROTOCOL_CAPS,
} from "../protocol/index.ts";
import { type ParsedFamily, parsePrometheusText, seriesKey } from "./prom-parser.ts";

/** A textfile larger than this is refused: the section travels in every fleet frame. */
export const MAX_TEXTFILE_BYTES = 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What one file holds, kept while its size and mtime stay the same. */
interface FileReading {
  size: number;
  mtimeMs: number;
  families: ParsedFamily[];
  error: string | null;
}

/** The wire form of a sample value: JSON has no NaN or infinities. */
export function wireValue(value: number): CustomValue {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return value;
}

/** Checks what the parser accepts but hwm does not: its own prefix and explicit timestamps. */
function fileProblem(families: readonly ParsedFamily[]): string | null {
  for (const f of families) {
    if (f.name.startsWith("hwm_")) {
      return `line ${f.samples[0]?.line}: "${f.name}": the hwm_ prefix is kept for hwm's own metrics`;
    }
    for (const s of f.samples) {
      if (s.timestampMs !== null) {
        return `line ${s.line}: explicit timestamps are not supported (node_exporter's textfile collector refuses them too)`;
      }
      if (s.labels.length > PROTOCOL_CAPS.customLabels) {
        return `line ${s.line}: more than ${PROTOCOL_CAPS.customLabels} labels`;
      }
      const long = s.labels.find(
        ([l, v]) => l.length > PROTOCOL_CAPS.nameChars || v.length > PROTOCOL_CAPS.reasonChars,
      );
      if (long) return `line ${s.line}: label "${long[0].slice(0, 64)}" is too long`;
      if (s.name.length > PROTOCOL_CAPS.nameChars) return `line ${s.line}: metric name too long`;
    }
  }
  return null;
}

function parseFile(bytes: Uint8Array): { families: ParsedFamily[]; error: string | null } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { families: [], error: "not valid UTF-8 text" };
  }
  const parsed = parsePrometheusText(text);
  if (!parsed.ok) return { families: [], error: `line ${parsed.line}: ${parsed.error}` };
  const problem = fileProblem(parsed.families);
  return problem ? { families: [], error: problem } : { families: parsed.families, error: null };
}

/** Families of all files merged by name; a file that conflicts with earlier ones is refused whole. */
class Merger {
  readonly families = new Map<string, CustomFamily>();
  /** Which file gave each family and each series first, for the messages. */
  readonly familyFile = new Map<string, string>();
  readonly series = new Map<string, string>();
  samples = 0;

  /** Adds the file's families, or returns why not (nothing of it is added then). */
  add(file: string, families: readonly ParsedFamily[]): string | null {
    let count = 0;
    const keys: string[] = [];
    for (const f of families) {
      const known = this.families.get(f.name);
      if (known && known.type !== f.type) {
        return `"${f.name}" is ${article(f.type)} here but ${article(known.type)} in ${this.familyFile.get(f.name)}`;
      }
      for (const s of f.samples) {
        const key = seriesKey(s.name, s.labels);
        const earlier = this.series.get(key);
        if (earlier !== undefined) return `line ${s.line}: ${key} is given by ${earlier} too`;
        keys.push(key);
      }
      count += f.samples.length;
    }
    if (this.samples + count > PROTOCOL_CAPS.customSamples) {
      return `its ${count} samples would pass the limit of ${PROTOCOL_CAPS.customSamples} over all files`;
    }
    const newFamilies = families.filter((f) => !this.families.has(f.name)).length;
    if (this.families.size + newFamilies > PROTOCOL_CAPS.customFamilies) {
      return `its metrics would pass the limit of ${PROTOCOL_CAPS.customFamilies} metric names over all files`;
    }
    for (const key of keys) this.series.set(key, file);
    this.samples += count;
    for (const f of families) {
      let target = this.families.get(f.name);
      if (!target) {
        target = {
          name: f.name,
          type: f.type,
          help: f.help?.slice(0, PROTOCOL_CAPS.reasonChars) ?? null,
          samples: [],
        };
        this.families.set(f.name, target);
        this.familyFile.set(f.name, file);
      }
      target.help ??= f.help?.slice(0, PROTOCOL_CAPS.reasonChars) ?? null;
      for (const s of f.samples) {
        target.samples.push({
          name: s.name,
          labels: Object.fromEntries(s.labels),
          value: wireValue(s.value),
        });
      }
    }
    return null;
  }
}

export class TextfileReader {
  readonly #dir: string | null;
  readonly #cache = new Map<string, FileReading>();

  /** `dir`: the textfile directory; null: none configured, and the section is empty. */
  constructor(dir: string | null) {
    this.#dir = dir;
  }

  /** At once when no directory is configured: the fast snapshot path stays synchronous. */
  read(): MaybePromise<Custom> {
    const dir = this.#dir;
    if (dir === null) return { dir: null, files: [], families: [] };
    return this.#readDir(dir);
  }

  async #readDir(dir: string): Promise<Custom> {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(".prom")).sort();
    } catch (error) {
      throw new Error(`cannot list the textfile directory ${dir}: ${reasonOf(error)}`);
    }
    const files: CustomFile[] = [];
    const merger = new Merger();
    const seen = new Set<string>();
    for (const file of names.slice(0, PROTOCOL_CAPS.customFiles)) {
      seen.add(file);
      const reading = await this.#readFile(dir, file);
      const error = reading.error ?? merger.add(file, reading.families);
      const samples = error ? 0 : reading.families.reduce((n, f) => n + f.samples.length, 0);
      files.push({
        file: file.slice(0, PROTOCOL_CAPS.nameChars),
        mtime_ms: reading.mtimeMs > 0 ? Math.floor(reading.mtimeMs) : null,
        samples,
        error: error?.slice(0, PROTOCOL_CAPS.reasonChars) ?? null,
      });
    }
    for (const name of this.#cache.keys()) if (!seen.has(name)) this.#cache.delete(name);
    if (names.length > PROTOCOL_CAPS.customFiles) {
      const skipped = names.length - PROTOCOL_CAPS.customFiles;
      const last = files[files.length - 1];
      if (last) {
        last.error ??= `and ${skipped} more *.prom files left out: at most ${PROTOCOL_CAPS.customFiles} are read`;
      }
    }
    return { dir, files, families: [...merger.families.values()] };
  }

  async #readFile(dir: string, name: string): Promise<FileReading> {
    const path = join(dir, name);
    try {
      const info = await stat(path);
      if (!info.isFile()) return failed("not a regular file");
      const cached = this.#cache.get(name);
      if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached;
      const { size, mtimeMs } = info;
      const bytes = size > MAX_TEXTFILE_BYTES ? null : await readFile(path);
      const reading: FileReading =
        bytes === null || bytes.length > MAX_TEXTFILE_BYTES
          ? { size, mtimeMs, families: [], error: `larger than ${MAX_TEXTFILE_BYTES / 1024} KiB` }
          : { size, mtimeMs, ...parseFile(bytes) };
      this.#cache.set(name, reading);
      return reading;
    } catch (error) {
      // Vanished between the listing and the read (a writer renaming over it), or unreadable.
      return failed(`cannot read: ${reasonOf(error)}`);
    }
  }
}

function failed(error: string): FileReading {
  return { size: -1, mtimeMs: 0, families: [], error };
}

const article = (type: string) => `${type === "untyped" ? "an" : "a"} ${type}`;

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR") return "not a directory";
  return error instanceof Error ? error.message : String(error);
}
