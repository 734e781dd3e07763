// The value rules shared by file, flags and environment: durations, tokens, fingerprints, typos.
import { describe, expect, test } from "bun:test";
import {
  isHttpUrl,
  isOrigin,
  normalizeFingerprint,
  parseDurationMs,
  tokenProblem,
} from "../../../src/config/rules.ts";
import { closest, editDistance } from "../../../src/config/suggest.ts";

describe("parseDurationMs", () => {
  test.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["2d", 172_800_000],
    ["0s", 0],
  ])("%p is %p ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  test.each(["", "5", "5 m", "5min", "-5m", "1.5h", "m5", "5M"])("%p is no duration", (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe("tokenProblem", () => {
  test("accepts 16 header-safe characters and more", () => {
    expect(tokenProblem("a".repeat(16))).toBeNull();
    expect(tokenProblem("Ab0-._~+!#$%&'*^`|")).toBeNull();
  });

  test("refuses 15 characters, saying how many without repeating the secret", () => {
    const problem = tokenProblem("s3cr3t-s3cr3t-x");
    expect(problem).toStartWith("expected a token of at least 16 characters");
    expect(problem).toEndWith("got 15 characters");
    expect(problem).not.toContain("s3cr3t");
  });

  test("refuses characters a WebSocket protocol header cannot carry (base64 / and =)", () => {
    expect(tokenProblem("abcdefghijklmnop/q==")).toEndWith(
      "got 20 characters, some of them not allowed",
    );
    expect(tokenProblem("abcdefgh ijklmnopq")).toEndWith("some of them not allowed");
    expect(tokenProblem("")).toEndWith("got an empty token");
  });
});

describe("normalizeFingerprint", () => {
  const hex = "ab".repeat(32);
  test("plain and colon-separated forms give the same lowercase form", () => {
    expect(normalizeFingerprint(`sha256:${hex}`)).toBe(`sha256:${hex}`);
    expect(normalizeFingerprint(`sha256:${"AB:".repeat(31)}AB`)).toBe(`sha256:${hex}`);
  });

  test.each([
    `sha1:${"ab".repeat(32)}`,
    `sha256:${"ab".repeat(31)}`,
    `sha256:${"ab".repeat(32)}ab`,
    `sha256:${"zz".repeat(32)}`,
    `sha256:${"ab:".repeat(32)}`,
    "ab".repeat(32),
  ])("%p is malformed", (text) => {
    expect(normalizeFingerprint(text)).toBeNull();
  });
});

describe("URLs and origins", () => {
  test("http(s) URLs only", () => {
    expect(isHttpUrl("http://10.0.0.12:7070")).toBe(true);
    expect(isHttpUrl("https://pve.lan/hwm")).toBe(true);
    expect(isHttpUrl("ftp://x")).toBe(false);
    expect(isHttpUrl("10.0.0.12:7070")).toBe(false);
    expect(isHttpUrl("not a url")).toBe(false);
  });

  test("origins are scheme://host[:port] and nothing more", () => {
    expect(isOrigin("https://example.dev")).toBe(true);
    expect(isOrigin("http://localhost:5173")).toBe(true);
    expect(isOrigin("https://example.dev/")).toBe(false);
    expect(isOrigin("https://example.dev/app")).toBe(false);
    expect(isOrigin("example.dev")).toBe(false);
    expect(isOrigin("*")).toBe(false);
  });
});

describe("did-you-mean", () => {
  test("edit distance counts insertions, deletions, substitutions and swaps", () => {
    expect(editDistance("tokn", "token")).toBe(1);
    expect(editDistance("phnoe", "phone")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  test("suggests the closest key, ignoring case, and nothing when none is close", () => {
    const keys = ["name", "url", "token", "fingerprint", "ca"];
    expect(closest("tokn", keys)).toBe("token");
    expect(closest("URL", keys)).toBe("url");
    expect(closest("fingerprnt", keys)).toBe("fingerprint");
    expect(closest("intervalMs", ["interval_ms", "role"])).toBe("interval_ms");
    expect(closest("password", keys)).toBeNull();
    expect(closest("x", keys)).toBeNull();
  });
});
