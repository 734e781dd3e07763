// The receiver's HTTP calls the page makes: find out whether a login is needed, log in, log out;
// and where the history and alert routes are for src/client/api.ts.
import type { ApiTarget } from "../client/api.ts";
import type { HostsResponse } from "../protocol/index.ts";

/** The page's own receiver, asked with the session cookie. */
export const RECEIVER: ApiTarget = { baseUrl: "", init: { credentials: "same-origin" } };

const HOSTS = "/api/v1/hosts";
const SESSION = "/api/v1/session";

/** How the receiver answers an HTTP error (src/server/http.ts). */
interface ErrorBody {
  error?: { code?: string; message?: string };
}

export type Access =
  /** A node without a token (loopback only): no login at all. */
  | { kind: "open"; fleet: HostsResponse }
  | { kind: "session"; fleet: HostsResponse }
  | { kind: "login"; expired: boolean };

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as ErrorBody;
    return body.error?.message ?? res.statusText;
  } catch {
    return res.statusText;
  }
}

/**
 * First without the cookie: a 200 means the node needs no login. Then with it: a 200 means a
 * live session; a 401 that mentions expiry means the cookie is stale (its session reached its
 * end, was logged out elsewhere, or the secret changed; a restart of the receiver keeps it).
 */
export async function probeAccess(): Promise<Access> {
  const open = await fetch(HOSTS, { credentials: "omit" });
  if (open.ok) return { kind: "open", fleet: (await open.json()) as HostsResponse };
  if (open.status !== 401) throw new Error(await errorMessage(open));
  const withCookie = await fetch(HOSTS, { credentials: "same-origin" });
  if (withCookie.ok) return { kind: "session", fleet: (await withCookie.json()) as HostsResponse };
  if (withCookie.status !== 401) throw new Error(await errorMessage(withCookie));
  const message = await errorMessage(withCookie);
  return { kind: "login", expired: /expired/i.test(message) };
}

/** Is the session still good? false on a 401; true otherwise (network trouble is not a logout). */
export async function sessionAlive(): Promise<boolean> {
  try {
    const res = await fetch(HOSTS, { credentials: "same-origin" });
    return res.status !== 401;
  } catch {
    return true;
  }
}

export type LoginResult = { ok: true } | { ok: false; message: string };

export async function login(token: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch(SESSION, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
  } catch {
    return { ok: false, message: "Cannot reach the receiver. Is it running?" };
  }
  if (res.ok) {
    // A browser that keeps no Secure cookie from an http page would log in and be logged out at
    // once, with no word why: the receiver sends a __Host- (Secure) cookie over https and on
    // http://localhost, which some browsers still refuse on plain http.
    if (await sessionAlive()) return { ok: true };
    return {
      ok: false,
      message:
        "Logged in, but this browser did not keep the session cookie. Open the dashboard over https, or at http://localhost.",
    };
  }
  if (res.status === 401)
    return {
      ok: false,
      message: "Wrong token: the dashboard's login secret is needed here. Check it and try again.",
    };
  if (res.status === 429) {
    const waitS = Number(res.headers.get("retry-after") ?? "0");
    return { ok: false, message: `Too many failed attempts: try again in ${waitS} s.` };
  }
  return { ok: false, message: await errorMessage(res) };
}

export async function logout(): Promise<void> {
  try {
    await fetch(SESSION, { method: "DELETE" });
  } catch {
    // The cookie stays until it expires; the page forgets the session anyway.
  }
}
