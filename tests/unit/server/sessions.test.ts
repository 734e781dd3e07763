// Session ids: random, sliding expiry, deletion, cookie attributes.
import { expect, test } from "bun:test";
import {
  clearedSessionCookie,
  SESSION_TTL_MS,
  SessionStore,
  sessionCookie,
  sessionIdFrom,
} from "../../../src/server/sessions.ts";

test("sessions live while used and expire when not", () => {
  let nowMs = 0;
  const store = new SessionStore(() => nowMs);
  const id = store.create();
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(store.create()).not.toBe(id);
  nowMs += SESSION_TTL_MS - 1;
  expect(store.touch(id)).toBe(true);
  nowMs += SESSION_TTL_MS - 1;
  expect(store.touch(id)).toBe(true);
  nowMs += SESSION_TTL_MS + 1;
  expect(store.touch(id)).toBe(false);
  expect(store.touch("made-up")).toBe(false);
  const other = store.create();
  store.delete(other);
  expect(store.touch(other)).toBe(false);
});

test("cookies are HttpOnly, SameSite=Strict, Secure under TLS; parsing finds ours", () => {
  expect(sessionCookie("abc", false)).toBe(
    `hwm_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`,
  );
  expect(sessionCookie("abc", true)).toEndWith("; Secure");
  expect(clearedSessionCookie(false)).toContain("Max-Age=0");
  const req = new Request("http://x/", { headers: { cookie: "a=1; hwm_session=xyz ; b=2" } });
  expect(sessionIdFrom(req)).toBe("xyz");
  expect(sessionIdFrom(new Request("http://x/"))).toBeNull();
});
