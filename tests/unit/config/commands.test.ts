// `hwm token` and `hwm check-config FILE`: output, and errors the entry maps to exit code 2.
import { afterEach, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "citty";
import checkConfig from "../../../src/commands/check-config.ts";
import tokenCommand from "../../../src/commands/token.ts";
import { ConfigError, UsageError } from "../../../src/config/errors.ts";
import { checkConfigFile } from "../../../src/config/load.ts";
import { generateToken } from "../../../src/config/token.ts";

let dir: string;
let printed: string[];
let log: ReturnType<typeof spyOn>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hwm-commands-"));
  printed = [];
  log = spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    printed.push(parts.join(" "));
  });
});
afterEach(() => {
  log.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

describe("hwm token", () => {
  test("43 URL-safe characters: 32 random bytes in base64url without padding", () => {
    const token = generateToken();
    expect(token).toHaveLength(43);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });

  test("distinct on every call", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  test("the command prints one new token", async () => {
    await runCommand(tokenCommand, { rawArgs: [] });
    await runCommand(tokenCommand, { rawArgs: [] });
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(printed[1]).not.toBe(printed[0]);
  });
});

describe("hwm check-config", () => {
  test("a valid file prints FILE: ok", async () => {
    const file = join(dir, "hwm.toml");
    writeFileSync(file, 'role = "sender"\nlisten = "0.0.0.0:7070"\ntoken = "0123456789abcdef"\n');
    await runCommand(checkConfig, { rawArgs: [file] });
    expect(printed).toEqual([`${file}: ok`]);
  });

  test("a bad file throws every problem as a ConfigError (exit code 2), printing nothing", async () => {
    const file = join(dir, "hwm.toml");
    writeFileSync(file, 'rol = "sender"\n[[senders]]\nname = "a"\nurl = "ftp://x"\n');
    const error = await runCommand(checkConfig, { rawArgs: [file] }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      [
        `${file}: senders[0].url: expected an http:// or https:// URL, got "ftp://x"`,
        `${file}: rol: unknown key; did you mean "role"?`,
      ].join("\n"),
    );
    expect(printed).toEqual([]);
  });

  test("a missing file is named", () => {
    const file = join(dir, "missing.toml");
    expect(checkConfigFile(file)).toEqual([`${file}: cannot read config file: does not exist`]);
  });

  test("reads token_file and certificates too, unlike a plain schema check", () => {
    const file = join(dir, "hwm.toml");
    writeFileSync(file, 'token_file = "token"\n[tls]\ncert = "c.pem"\nkey = "k.pem"\n');
    writeFileSync(join(dir, "c.pem"), "c");
    expect(checkConfigFile(file)).toEqual([
      `${file}: tls.key: cannot read "${join(dir, "k.pem")}": does not exist`,
      `${file}: token_file: cannot read token file "${join(dir, "token")}": does not exist`,
    ]);
  });

  test("does not demand a token for a non-loopback listen: HWM_TOKEN may bring it at run time", () => {
    const file = join(dir, "hwm.toml");
    writeFileSync(file, 'listen = "0.0.0.0:7070"\n');
    expect(checkConfigFile(file)).toEqual([]);
  });
});
