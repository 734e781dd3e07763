// Browser sessions: a login gives a random id in an HttpOnly, SameSite=Strict cookie. A session
// ends at an absolute time, on logout, or when the login secret changes; sessions are kept in a
// file in the state directory, so that a restart of the receiver logs nobody out.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_SESSION_LIFETIME_MS } from "../config/index.ts";

/**
 * `__Host-` cookies must be Secure, with Path=/ and no Domain, so no other site and no page on
 * another port of this host can set one. Browsers accept Secure cookies only from https pages
 * and from http://localhost (and 127.0.0.1, [::1]); on plain http to a LAN address the cookie
 * has to be a plain one, which the README's Security section explains.
 */
export const SESSION_COOKIE_SECURE = "__Host-hwm_session";
export const SESSION_COOKIE_PLAIN = "hwm_session";
/** The most sessions kept; the ones that end soonest go first. */
export const MAX_SESSIONS = 1000;

export interface SessionStoreOptions {
  /** The login secret sessions are bound to; a new secret ends every session. null: none. */
  secret: string | null;
  /** The JSON file sessions are kept in (mode 0600); null: memory only, lost on restart. */
  file?: string | null;
  /** Absolute lifetime: a session ends this long after the login, used or not. */
  lifetimeMs?: number;
  now?: () => number;
  /** Told when the file cannot be read or written; the store then goes on from memory. */
  onFileError?: (message: string) => void;
}

interface StoredSession {
  key: string;
  expires_ms: number;
}

/**
 * What is stored of a session is HMAC(secret, id): not the id, so the file cannot be used to log
 * in; and bound to the secret, so a new secret (after a leak) ends every session at once, even
 * those of a run that is over.
 */
export class SessionStore {
  private readonly expiresAtMs = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private secret: string;
  readonly lifetimeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.secret = options.secret ?? "";
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS;
    this.now = options.now ?? Date.now;
    const nowMs = this.now();
    for (const s of this.readFile())
      if (s.expires_ms > nowMs) this.expiresAtMs.set(s.key, s.expires_ms);
  }

  private key(id: string): string {
    return new Bun.CryptoHasher("sha256", this.secret).update(id).digest("hex");
  }

  /** A new session: its id (for the cookie only) and when it ends. */
  create(): { id: string; expiresAtMs: number } {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    const expiresAtMs = this.now() + this.lifetimeMs;
    const key = this.key(id);
    this.expiresAtMs.set(key, expiresAtMs);
    this.prune();
    this.persist([[key, expiresAtMs]], []);
    return { id, expiresAtMs };
  }

  /** When a live session ends; null when the id is unknown, logged out, expired or of another secret. */
  expiry(id: string): number | null {
    // A plain lookup: ids are 256 random bits, so timing reveals nothing worth guessing with.
    const key = this.key(id);
    const expiresAtMs = this.expiresAtMs.get(key);
    if (expiresAtMs === undefined) return null;
    if (expiresAtMs <= this.now()) {
      this.expiresAtMs.delete(key);
      return null;
    }
    return expiresAtMs;
  }

  /** Log out: the session ends here and in the file. */
  delete(id: string): void {
    const key = this.key(id);
    if (!this.expiresAtMs.delete(key)) return;
    this.persist([], [key]);
    this.ended();
  }

  /** A new login secret (config reload): every session of the old one ends. */
  setSecret(secret: string | null): void {
    if ((secret ?? "") === this.secret) return;
    const old = [...this.expiresAtMs.keys()];
    this.expiresAtMs.clear();
    this.secret = secret ?? "";
    this.persist([], old);
    this.ended();
  }

  get size(): number {
    return this.expiresAtMs.size;
  }

  /** Called whenever sessions may have ended early (logout, new secret); returns the unsubscribe. */
  onEnded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private ended(): void {
    for (const listener of this.listeners) listener();
  }

  private prune(): void {
    const nowMs = this.now();
    for (const [key, expiresAtMs] of this.expiresAtMs)
      if (expiresAtMs <= nowMs) this.expiresAtMs.delete(key);
    if (this.expiresAtMs.size <= MAX_SESSIONS) return;
    const soonest = [...this.expiresAtMs].sort((a, b) => a[1] - b[1]);
    for (const [key] of soonest.slice(0, this.expiresAtMs.size - MAX_SESSIONS))
      this.expiresAtMs.delete(key);
  }

  private readFile(): StoredSession[] {
    const file = this.options.file;
    if (!file) return [];
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if (!(err instanceof Error && "code" in err && err.code === "ENOENT"))
        this.options.onFileError?.(`cannot read ${file}: ${String(err)}`);
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(text);
      const list =
        typeof parsed === "object" && parsed !== null && "sessions" in parsed
          ? (parsed as { sessions: unknown }).sessions
          : null;
      if (!Array.isArray(list)) throw new Error("no sessions list");
      return list.filter(
        (s): s is StoredSession =>
          typeof s === "object" &&
          s !== null &&
          typeof s.key === "string" &&
          /^[0-9a-f]{64}$/.test(s.key) &&
          typeof s.expires_ms === "number",
      );
    } catch (err) {
      this.options.onFileError?.(`${file} is damaged and starts over: ${String(err)}`);
      return [];
    }
  }

  /**
   * Writes the change into the file as it is now on disk, not our view of it, so that two
   * receivers sharing a state directory keep each other's sessions; written whole and renamed
   * into place, so a crash never leaves half a file.
   */
  private persist(added: [string, number][], removed: string[]): void {
    const file = this.options.file;
    if (!file) return;
    const nowMs = this.now();
    const merged = new Map<string, number>();
    for (const s of this.readFile()) if (s.expires_ms > nowMs) merged.set(s.key, s.expires_ms);
    for (const key of removed) merged.delete(key);
    for (const [key, expiresAtMs] of added) merged.set(key, expiresAtMs);
    const kept = [...merged].sort((a, b) => b[1] - a[1]).slice(0, MAX_SESSIONS);
    const text = JSON.stringify({
      version: 1,
      sessions: kept.map(([key, expires_ms]) => ({ key, expires_ms })),
    });
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, `${text}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    } catch (err) {
      this.options.onFileError?.(`cannot write ${file}: ${String(err)}`);
    }
  }
}

/** The cookie's name: `__Host-` where the browser will keep a Secure cookie. */
export function sessionCookieName(secureContext: boolean): string {
  return secureContext ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
}

/**
 * Every value of our cookie in the request. There can be several: a page on another port of
 * the same host can add a plain cookie of that name (cookies do not keep ports apart), and
 * taking only the first would let it shadow the real one.
 */
export function sessionIdsFrom(req: Request, secureContext: boolean): string[] {
  const header = req.headers.get("cookie");
  if (!header) return [];
  const name = sessionCookieName(secureContext);
  const ids: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (value !== "" && ids.length < 8) ids.push(value);
  }
  return ids;
}

function attributes(secureContext: boolean): string {
  return `Path=/; HttpOnly; SameSite=Strict${secureContext ? "; Secure" : ""}`;
}

export function sessionCookie(id: string, maxAgeMs: number, secureContext: boolean): string {
  const maxAgeS = Math.max(0, Math.round(maxAgeMs / 1000));
  return `${sessionCookieName(secureContext)}=${id}; ${attributes(secureContext)}; Max-Age=${maxAgeS}`;
}

export function clearedSessionCookie(secureContext: boolean): string {
  return `${sessionCookieName(secureContext)}=; ${attributes(secureContext)}; Max-Age=0`;
}
