// `hwm tui --token-file`: the token read from a file, so it never shows in `ps`.
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConnection } from "../../../src/commands/tui.ts";

const TOKEN = "tui-file-token-0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "hwm-tui-token-"));

test("--token-file gives the token, before a profile's and HWM_TOKEN; never with --token", () => {
  const file = join(dir, "token");
  writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
  const saved = () => ({
    nas: { url: "https://10.0.0.20:7070", token: "profile-token-0123456789" },
  });
  expect(
    resolveConnection(
      { target: "nas", "token-file": file },
      { HWM_TOKEN: "env-token-0123456789ab" },
      saved,
    ).token,
  ).toBe(TOKEN);
  expect(() => resolveConnection({ "token-file": file, token: TOKEN }, {}, saved)).toThrow(
    "either --token or --token-file",
  );
  expect(() => resolveConnection({ "token-file": join(dir, "missing") }, {}, saved)).toThrow(
    "does not exist",
  );
});
