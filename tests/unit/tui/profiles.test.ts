// `hwm tui` arguments: where to connect (URL, profile, defaults, token precedence), saved
// profiles on disk (0600 file in a 0700 directory), and the message when no TUI is built in.

import { describe, expect, test } from "bun:test";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConnection } from "../../../src/commands/tui.ts";
import { UsageError } from "../../../src/config/errors.ts";
import { DASHBOARD_MESSAGE_BYTES } from "../../../src/peer/open-socket.ts";
import { loadTui, unavailableMessage } from "../../../src/tui/load.ts";
import {
  permissionWarning,
  profilesPath,
  readProfiles,
  saveProfile,
} from "../../../src/tui/profiles.ts";
import { normalizeNodeUrl } from "../../../src/tui/url.ts";

const TOKEN = "flag-token-0123456789abcdef";
const ENV_TOKEN = "env-token-0123456789abcdefg";
const PROFILE_TOKEN = "profile-token-0123456789abc";
const FP = `sha256:${"ab".repeat(32)}`;

describe("node URLs", () => {
  test("host:port gets http://, wildcards become loopback, slashes go", () => {
    expect(normalizeNodeUrl("10.0.0.5:7070")).toBe("http://10.0.0.5:7070");
    expect(normalizeNodeUrl("https://nas.lan:7070/")).toBe("https://nas.lan:7070");
    expect(normalizeNodeUrl("http://0.0.0.0:7070")).toBe("http://127.0.0.1:7070");
    expect(normalizeNodeUrl("http://[::]:7070")).toBe("http://[::1]:7070");
  });

  test("other schemes, credentials and queries are refused", () => {
    expect(normalizeNodeUrl("ftp://x:1")).toEqual({ problem: expect.stringContaining("http://") });
    expect(normalizeNodeUrl("http://u:p@x:1")).toEqual({
      problem: expect.stringContaining("--token"),
    });
    expect(normalizeNodeUrl("http://x:1/?token=a")).toEqual({
      problem: expect.stringContaining("query"),
    });
  });
});

describe("where hwm tui connects", () => {
  const none = () => ({});
  const saved = () => ({
    nas: { url: "https://10.0.0.20:7070", token: PROFILE_TOKEN, fingerprint: FP },
  });

  test("default: the node on this machine, with HWM_TOKEN", () => {
    expect(resolveConnection({}, { HWM_TOKEN: ENV_TOKEN }, none)).toEqual({
      url: "http://127.0.0.1:7070",
      token: ENV_TOKEN,
      fingerprint: null,
      intervalMs: 1000,
      maxMessageBytes: DASHBOARD_MESSAGE_BYTES,
    });
  });

  test("a URL with --token, --fingerprint and --interval-ms", () => {
    const c = resolveConnection(
      {
        target: "https://pve:7070",
        token: TOKEN,
        fingerprint: FP.toUpperCase().replace("SHA256", "sha256"),
        "interval-ms": "2000",
        "max-message-bytes": "65536",
      },
      { HWM_TOKEN: ENV_TOKEN },
      none,
    );
    expect(c).toEqual({
      url: "https://pve:7070",
      token: TOKEN,
      fingerprint: FP,
      intervalMs: 2000,
      maxMessageBytes: 65_536,
    });
  });

  test("--max-message-bytes out of range or not a number says what it takes", () => {
    for (const bad of ["1000", "1e9", "lots"]) {
      expect(() => resolveConnection({ "max-message-bytes": bad }, {}, none)).toThrow(
        /--max-message-bytes: expected a whole number of bytes from 65536 to 67108864/,
      );
    }
  });

  test("a profile's token comes before HWM_TOKEN, and --token before both", () => {
    expect(resolveConnection({ target: "nas" }, { HWM_TOKEN: ENV_TOKEN }, saved)).toEqual({
      url: "https://10.0.0.20:7070",
      token: PROFILE_TOKEN,
      fingerprint: FP,
      intervalMs: 1000,
      maxMessageBytes: DASHBOARD_MESSAGE_BYTES,
    });
    expect(resolveConnection({ target: "nas", token: TOKEN }, {}, saved).token).toBe(TOKEN);
  });

  test("an unknown profile, a bad token or interval is a usage error that says what to do", () => {
    expect(() => resolveConnection({ target: "nope" }, {}, saved)).toThrow(
      /no profile "nope" \(saved: nas\)/,
    );
    expect(() => resolveConnection({ token: "short" }, {}, none)).toThrow(/--token/);
    expect(() => resolveConnection({ "interval-ms": "fast" }, {}, none)).toThrow(/--interval-ms/);
    expect(() => resolveConnection({ fingerprint: "md5:x" }, {}, none)).toThrow(UsageError);
  });
});

describe("profiles file", () => {
  test("in $XDG_CONFIG_HOME/hwm, else ~/.config/hwm", () => {
    expect(profilesPath({ XDG_CONFIG_HOME: "/x", HOME: "/h" })).toBe("/x/hwm/profiles.toml");
    expect(profilesPath({ HOME: "/h" })).toBe("/h/.config/hwm/profiles.toml");
  });

  test("saved with mode 0600 in a 0700 directory, read back, replaced by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-profiles-"));
    const path = join(dir, "config", "hwm", "profiles.toml");
    saveProfile(path, "nas", { url: "https://10.0.0.20:7070", token: PROFILE_TOKEN });
    saveProfile(path, "pve", { url: "http://10.0.0.2:7070" });
    saveProfile(path, "nas", {
      url: "https://10.0.0.21:7070",
      token: PROFILE_TOKEN,
      fingerprint: FP,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "config", "hwm")).mode & 0o777).toBe(0o700);
    expect(permissionWarning(path)).toBeNull();
    expect(readProfiles(path)).toEqual({
      nas: { url: "https://10.0.0.21:7070", token: PROFILE_TOKEN, fingerprint: FP },
      pve: { url: "http://10.0.0.2:7070" },
    });
  });

  test("a missing file is no profiles; a bad one names the file; a readable one is warned about", () => {
    const dir = mkdtempSync(join(tmpdir(), "hwm-profiles-"));
    expect(readProfiles(join(dir, "none.toml"))).toEqual({});
    const bad = join(dir, "bad.toml");
    writeFileSync(bad, "[profiles.x]\nurl = 5\n", { mode: 0o644 });
    expect(() => readProfiles(bad)).toThrow(bad);
    expect(permissionWarning(bad)).toContain("chmod 600");
  });
});

describe("a build without the native library", () => {
  test("loading the dashboard reports the platform instead of throwing", async () => {
    const loaded = await loadTui(() => Promise.reject(new Error("cannot open libopentui.so")));
    expect(loaded).toEqual({
      ok: false,
      message: unavailableMessage(),
      reason: "cannot open libopentui.so",
    });
    expect(unavailableMessage("linux", "arm64")).toBe(
      "the terminal dashboard is not available in this build for linux-arm64",
    );
  });

  test("here it loads", async () => {
    const loaded = await loadTui();
    expect(loaded.ok).toBe(true);
  });
});
