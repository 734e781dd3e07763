// The [health] and [custom] tables: their values, defaults, paths and where they belong.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "../../../src/config/file.ts";
import { resolveConfig } from "../../../src/config/load.ts";

const FILE = "/etc/hwm/hwm.toml";
const problemsOf = (toml: string) => parseConfigText(toml, FILE).problems;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hwm-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configFrom(toml: string) {
  const path = join(dir, "hwm.toml");
  writeFileSync(path, toml);
  return resolveConfig({ config: path }, {});
}

describe("[health]", () => {
  test("defaults: on, readings kept 5 minutes, each tool run bounded by 10 s", () => {
    expect(configFrom("").health).toEqual({
      enabled: true,
      maxAgeMs: 300_000,
      toolTimeoutMs: 10_000,
    });
  });

  test("values are taken", () => {
    const config = configFrom('[health]\nenabled = false\nmax_age = "15m"\ntool_timeout = "30s"\n');
    expect(config.health).toEqual({ enabled: false, maxAgeMs: 900_000, toolTimeoutMs: 30_000 });
  });

  test.each([
    [
      '[health]\nmax_age = "10s"',
      'health.max_age: expected a duration from "30s" to "1d", such as "5m", got "10s"',
    ],
    [
      '[health]\ntool_timeout = "1h"',
      'health.tool_timeout: expected a duration from "1s" to "5m", such as "10s", got "1h"',
    ],
    ["[health]\nenabled = 1", "health.enabled: expected true or false, got 1"],
    ['[health]\nmaxage = "5m"', 'health.maxage: unknown key; did you mean "max_age"?'],
  ])("%p is refused with its key path", (toml, message) => {
    expect(problemsOf(toml)).toEqual([`${FILE}: ${message}`]);
  });
});

describe("[custom]", () => {
  test("no table: no textfile directory", () => {
    expect(configFrom("").custom).toEqual({ textfileDir: null });
  });

  test("a relative textfile_dir is taken from the config file's directory", () => {
    expect(configFrom('[custom]\ntextfile_dir = "textfiles"\n').custom).toEqual({
      textfileDir: join(dir, "textfiles"),
    });
  });

  test.each([
    ["[custom]\n", "custom.textfile_dir: missing; expected a file path"],
    ['[custom]\ntextfile = "/x"', 'custom.textfile: unknown key; did you mean "textfile_dir"?'],
    ["[custom]\ntextfile_dir = 3", "custom.textfile_dir: expected a file path, got 3"],
  ])("%p is refused with its key path", (toml, message) => {
    expect(problemsOf(toml)).toContain(`${FILE}: ${message}`);
  });

  test("[health] and [custom] on a receiver-only node are refused: they describe a sender", () => {
    const path = join(dir, "hwm.toml");
    writeFileSync(
      path,
      'role = "receiver"\n[custom]\ntextfile_dir = "/x"\n[health]\nenabled = false\n',
    );
    expect(() => resolveConfig({ config: path }, {})).toThrow(
      'custom: expected only on a sender (role "sender" or "both")',
    );
  });
});
