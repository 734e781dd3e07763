// The README's command line against what `hwm --help` says, from the real process: every command
// is listed, no flag is written there that the command does not take, and every flag a command
// takes is written somewhere in the README's "Command line" section.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const BUN = process.execPath;
const MAIN = join(ROOT, "src/main.ts");

/** `hwm [command] --help` as a user reads it (colours removed). */
function help(command: string | null): string {
  const run = Bun.spawnSync([BUN, MAIN, ...(command ? [command] : []), "--help"], {
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 20_000,
  });
  expect(run.exitCode).toBe(0);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing ANSI colours
  return run.stdout.toString().replace(/\u001b\[[0-9;]*m/g, "");
}

/** The part of a help text under a heading ("OPTIONS", "COMMANDS"), up to the next heading. */
function part(text: string, heading: string): string {
  const at = text.indexOf(`\n${heading}`);
  if (at < 0) return "";
  const rest = text.slice(at + heading.length + 1);
  const next = rest.search(/\n[A-Z]{4,}\b/);
  return next < 0 ? rest : rest.slice(0, next);
}

const flagsIn = (text: string) =>
  new Set([...text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ""));
/** As flagsIn, "--no-tui" documenting --tui as well. */
const documentedIn = (text: string) =>
  new Set([...flagsIn(text)].flatMap((f) => (f.startsWith("no-") ? [f, f.slice(3)] : [f])));

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("\n## Command line"),
  readme.indexOf("\n## ", readme.indexOf("\n## Command line") + 1),
);
const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? "";

const rootHelp = help(null);
const commands = [...part(rootHelp, "COMMANDS").matchAll(/^\s+([a-z][a-z-]*)\s{2,}/gm)].map(
  (m) => m[1] ?? "",
);

/** Each "hwm …" line of the README's block with its continuation lines, comments cut off. */
const entries = block
  .split(/\n(?=hwm\b)/)
  .map((entry) => entry.replace(/#.*$/gm, ""))
  .filter((entry) => entry.startsWith("hwm"))
  .map((entry) => {
    const word = /^hwm\s+([a-z][a-z-]*)/.exec(entry)?.[1] ?? null;
    return { command: word && commands.includes(word) ? word : null, text: entry };
  });

describe("the README's command line", () => {
  test("lists the node and every command that --help lists, and no other", () => {
    expect(commands.length).toBeGreaterThan(3);
    expect(entries.some((e) => e.command === null)).toBe(true);
    expect([...new Set(entries.flatMap((e) => (e.command ? [e.command] : [])))].sort()).toEqual(
      [...commands].sort(),
    );
  });

  for (const command of [null, ...commands]) {
    test(`hwm ${command ?? "(the node)"}: the flags written are the flags taken`, () => {
      const taken = flagsIn(part(help(command), "OPTIONS"));
      const written = entries
        .filter((e) => e.command === command)
        .flatMap((e) => [...flagsIn(e.text)]);
      for (const flag of written) {
        if (flag === "help" || flag === "version") continue;
        expect({ command, flag, taken: taken.has(flag) }).toEqual({ command, flag, taken: true });
      }
      // Every flag is documented in the section, in the block or the text under it.
      const documented = documentedIn(section);
      for (const flag of taken)
        expect({ command, flag, documented: documented.has(flag) }).toEqual({
          command,
          flag,
          documented: true,
        });
    });
  }
});
