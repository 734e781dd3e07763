// `hwm tui` on the command line without a terminal: saving and listing profiles (a private
// file), usage errors with exit code 2, and the refusal to draw on something that is no TTY.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHwm, TOKEN } from "../helpers/process.ts";

const config = mkdtempSync(join(tmpdir(), "hwm-tui-cli-"));
const env = { XDG_CONFIG_HOME: config };
const file = join(config, "hwm", "profiles.toml");

describe("hwm tui", () => {
  test("--save writes a 0600 profile with its token; --list shows it without the token", async () => {
    const saved = await runHwm(
      ["tui", "--save", "nas", "https://10.0.0.20:7070", "--token", TOKEN],
      env,
    );
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain("saved profile nas (https://10.0.0.20:7070, with its token)");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(`token = "${TOKEN}"`);
    const list = await runHwm(["tui", "--list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("nas  https://10.0.0.20:7070  (token)");
    expect(list.stdout).not.toContain(TOKEN);
  });

  test("an unknown profile or a bad URL is a usage error (exit 2) that says what to do", async () => {
    const unknown = await runHwm(["tui", "nope"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no profile "nope"');
    const bad = await runHwm(["tui", "--save", "x", "ftp://host:1"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("http:// or https://");
    const flag = await runHwm(["tui", "--tokn", "x"], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("did you mean --token?");
  });

  test("without a terminal it refuses to draw (exit 2)", async () => {
    const r = await runHwm(["tui", "http://127.0.0.1:9"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs a terminal");
  });
});
