// Socket, TLS and HTTP failures in words a user understands, and a sender's text made harmless.
import { expect, test } from "bun:test";
import { connectFailure, senderText, upgradeRefused } from "../../../src/peer/link-error.ts";

const coded = (code: string, message = `${code}: raw`) =>
  Object.assign(new Error(message), { code });

test.each([
  [
    "ECONNREFUSED",
    "offline",
    "connection refused: nothing listens on nas:7070 (is hwm running there?)",
  ],
  ["EHOSTUNREACH", "offline", "no route to nas:7070: the machine is down or unreachable"],
  ["ENOTFOUND", "offline", "the name in nas:7070 does not resolve (DNS)"],
  ["ETIMEDOUT", "timeout", "no answer within 800 ms"],
  ["CERT_HAS_EXPIRED", "unauthorized", "the sender's certificate has expired"],
  [
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "unauthorized",
    "the sender's certificate is for another name than nas:7070",
  ],
])("%s", (code, kind, message) => {
  expect(connectFailure(coded(code), "nas:7070", 800)).toMatchObject({ kind, message });
});

test("an unknown error keeps its message, with control characters escaped", () => {
  const error = connectFailure(new Error("boom\u001b[2J"), "nas:7070", 800);
  expect(error.message).toBe("cannot connect to nas:7070: boom\\u001b[2J");
});

test.each([
  [401, null, "unauthorized", "the sender refused the token (HTTP 401)", 0],
  [
    429,
    12,
    "unauthorized",
    "the sender refused the token too often and makes this receiver wait 12 s (HTTP 429)",
    12_000,
  ],
  [
    429,
    99_999_999,
    "unauthorized",
    "the sender refused the token too often and makes this receiver wait 300 s (HTTP 429)",
    300_000,
  ],
  [
    301,
    null,
    "incompatible",
    "the sender answered with a redirect (HTTP 301), which is never followed: put the sender's own address in senders[].url",
    0,
  ],
  [404, null, "incompatible", "no hwm sender at this URL (HTTP 404)", 0],
  [502, null, "offline", "the sender failed to answer (HTTP 502)", 0],
] as const)("HTTP %d", (status, retryAfterS, kind, message, retryAfterMs) => {
  expect(upgradeRefused(status, retryAfterS)).toMatchObject({ kind, message, retryAfterMs });
});

test("a sender's text is cut and its escapes shown, not obeyed", () => {
  expect(senderText("a\u202eb\u0007")).toBe("a\\u202eb\\u0007");
  expect(senderText("x".repeat(500))).toHaveLength(161);
});
