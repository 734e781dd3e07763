// Browser sessions: a login with the token gives an opaque random id in an HttpOnly,
// SameSite=Strict cookie; the id alone is never the token and expires on its own.
export const SESSION_COOKIE = "hwm_session";
/** Sliding expiry: a session used within this time stays alive. */
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
const MAX_SESSIONS = 1000;

export class SessionStore {
  private readonly expiresAtMs = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  create(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const id = Buffer.from(bytes).toString("base64url");
    this.prune();
    this.expiresAtMs.set(id, this.now() + SESSION_TTL_MS);
    return id;
  }

  /** True for a live session, whose expiry then slides forward. */
  touch(id: string): boolean {
    // A plain lookup: ids are 256 random bits, so timing reveals nothing worth guessing with.
    const expiresAtMs = this.expiresAtMs.get(id);
    if (expiresAtMs === undefined) return false;
    if (expiresAtMs < this.now()) {
      this.expiresAtMs.delete(id);
      return false;
    }
    this.expiresAtMs.set(id, this.now() + SESSION_TTL_MS);
    return true;
  }

  delete(id: string): void {
    this.expiresAtMs.delete(id);
  }

  private prune(): void {
    const nowMs = this.now();
    for (const [id, expiresAtMs] of this.expiresAtMs)
      if (expiresAtMs < nowMs) this.expiresAtMs.delete(id);
    // Oldest first: Maps iterate in insertion order.
    for (const id of this.expiresAtMs.keys()) {
      if (this.expiresAtMs.size < MAX_SESSIONS) break;
      this.expiresAtMs.delete(id);
    }
  }
}

export function sessionIdFrom(req: Request): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}
