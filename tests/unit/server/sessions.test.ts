// Sessions: random ids, an absolute lifetime, logout, survival across restarts through the file,
// the end of every session when the secret changes, and the cookie's name and attributes.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  clearedSessionCookie,
  MAX_SESSIONS,
  SessionStore,
  sessionCookie,
  sessionIdsFrom,
} from "../../../src/server/sessions.ts";

const SECRET = "dashboard-secret-0123456789abcdef";
const DAY_MS = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), "hwm-sessions-"));
let files = 0;
const newFile = () => join(dir, `state-${files++}`, "sessions.json");

describe("SessionStore", () => {
  test("a session ends at its absolute lifetime, however much it is used", () => {
    let nowMs = 1_000_000;
    const store = new SessionStore({ secret: SECRET, lifetimeMs: 7 * DAY_MS, now: () => nowMs });
    const { id, expiresAtMs } = store.create();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAtMs).toBe(nowMs + 7 * DAY_MS);
    expect(store.create().id).not.toBe(id);
    for (let day = 0; day < 6; day++) {
      nowMs += DAY_MS;
      expect(store.expiry(id)).toBe(expiresAtMs);
    }
    nowMs += DAY_MS;
    expect(store.expiry(id)).toBeNull();
    expect(store.expiry("made-up")).toBeNull();
  });

  test("logout ends a session and tells the listeners", () => {
    const store = new SessionStore({ secret: SECRET });
    const { id } = store.create();
    let told = 0;
    store.onEnded(() => told++);
    store.delete(id);
    expect(store.expiry(id)).toBeNull();
    expect(told).toBe(1);
  });

  test("sessions survive a restart through the file; a logout does too", () => {
    const file = newFile();
    const first = new SessionStore({ secret: SECRET, file });
    const kept = first.create();
    const loggedOut = first.create();
    first.delete(loggedOut.id);
    const restarted = new SessionStore({ secret: SECRET, file });
    expect(restarted.expiry(kept.id)).toBe(kept.expiresAtMs);
    expect(restarted.expiry(loggedOut.id)).toBeNull();
  });

  test("the file is 0600, in a 0700 directory, and holds no session id", () => {
    const file = newFile();
    const { id } = new SessionStore({ secret: SECRET, file }).create();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, "..")).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(id);
    expect(text).not.toContain(SECRET);
  });

  test("a new secret ends every session, in this run and after a restart", () => {
    const file = newFile();
    const store = new SessionStore({ secret: SECRET, file });
    const { id } = store.create();
    let told = 0;
    store.onEnded(() => told++);
    store.setSecret("another-secret-0123456789abcdef");
    expect(store.expiry(id)).toBeNull();
    expect(told).toBe(1);
    expect(new SessionStore({ secret: SECRET, file }).expiry(id)).toBeNull();
    // A restart with a changed secret (the file still lists the old sessions) refuses them too.
    const other = newFile();
    const before = new SessionStore({ secret: SECRET, file: other }).create();
    const after = new SessionStore({ secret: "another-secret-0123456789abcdef", file: other });
    expect(after.expiry(before.id)).toBeNull();
  });

  test("two receivers sharing a state directory keep each other's sessions", () => {
    const file = newFile();
    const a = new SessionStore({ secret: SECRET, file });
    const b = new SessionStore({ secret: SECRET, file });
    const fromA = a.create();
    const fromB = b.create();
    const restarted = new SessionStore({ secret: SECRET, file });
    expect(restarted.expiry(fromA.id)).not.toBeNull();
    expect(restarted.expiry(fromB.id)).not.toBeNull();
  });

  test("a damaged or unwritable file is reported, and the store works from memory", () => {
    const file = newFile();
    new SessionStore({ secret: SECRET, file }).create();
    writeFileSync(file, "{not json");
    const problems: string[] = [];
    const store = new SessionStore({ secret: SECRET, file, onFileError: (m) => problems.push(m) });
    expect(problems[0]).toContain("damaged");
    const { id } = store.create();
    expect(store.expiry(id)).not.toBeNull();
    const unwritable = new SessionStore({
      secret: SECRET,
      file: "/proc/hwm-test/sessions.json",
      onFileError: (m) => problems.push(m),
    });
    expect(unwritable.expiry(unwritable.create().id)).not.toBeNull();
    expect(problems.at(-1)).toContain("cannot write");
  });

  test(`at most ${MAX_SESSIONS} sessions: the ones ending soonest go first`, () => {
    let nowMs = 0;
    const store = new SessionStore({ secret: SECRET, now: () => nowMs });
    const first = store.create();
    for (let i = 0; i < MAX_SESSIONS; i++) {
      nowMs += 1;
      store.create();
    }
    expect(store.size).toBe(MAX_SESSIONS);
    expect(store.expiry(first.id)).toBeNull();
  });
});

describe("cookies", () => {
  test("__Host- and Secure where the browser keeps it; plain on http to a LAN address", () => {
    expect(sessionCookie("abc", 30 * DAY_MS, true)).toBe(
      `__Host-hwm_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=${30 * 86_400}`,
    );
    expect(sessionCookie("abc", 1000, false)).toBe(
      "hwm_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=1",
    );
    expect(clearedSessionCookie(true)).toStartWith("__Host-hwm_session=;");
    expect(clearedSessionCookie(true)).toContain("Max-Age=0");
  });

  test("every value of our cookie is read, and only under the name the context allows", () => {
    const req = new Request("http://x/", {
      headers: { cookie: "hwm_session=planted; a=1; __Host-hwm_session=real ; hwm_session=other" },
    });
    expect(sessionIdsFrom(req, true)).toEqual(["real"]);
    expect(sessionIdsFrom(req, false)).toEqual(["planted", "other"]);
    expect(sessionIdsFrom(new Request("http://x/"), true)).toEqual([]);
  });
});
