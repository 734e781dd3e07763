// Saved connection profiles for `hwm tui NAME`: $XDG_CONFIG_HOME/hwm/profiles.toml (default
// ~/.config/hwm/), a TOML table per name with url, token and fingerprint. It holds tokens, so the
// file is written with mode 0600 in a 0700 directory. No renderer here: the command imports it.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import * as v from "valibot";
import { ConfigError } from "../config/index.ts";
import { describeIssues } from "../protocol/index.ts";

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const PROFILE_NAME_EXPECTED =
  'a profile name: 1 to 64 letters, digits, "_" or "-", starting with a letter or digit';

const ProfileSchema = v.strictObject({
  url: v.string(),
  token: v.optional(v.string()),
  fingerprint: v.optional(v.string()),
});
const FileSchema = v.strictObject({
  profiles: v.optional(v.record(v.pipe(v.string(), v.regex(PROFILE_NAME)), ProfileSchema)),
});

export type Profile = v.InferOutput<typeof ProfileSchema>;

export function profilesPath(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "hwm", "profiles.toml");
}

/** Every saved profile; none when the file does not exist. Throws ConfigError on a bad file. */
export function readProfiles(path: string): Record<string, Profile> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "ENOENT") return {};
    throw new ConfigError([
      `${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = Bun.TOML.parse(text);
  } catch (err) {
    throw new ConfigError([
      `${path}: not valid TOML: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  const parsed = v.safeParse(FileSchema, raw);
  if (!parsed.success) throw new ConfigError([`${path}: ${describeIssues(parsed.issues)}`]);
  return parsed.output.profiles ?? {};
}

/** A warning when others may read the file (it can hold tokens); null when it is private. */
export function permissionWarning(path: string): string | null {
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) === 0) return null;
    return `${path} can be read by others (mode 0${mode.toString(8)}); it may hold tokens: chmod 600 it`;
  } catch {
    return null;
  }
}

const tomlString = (text: string): string => JSON.stringify(text);

export function profilesText(profiles: Record<string, Profile>): string {
  const lines = [
    "# hwm tui connection profiles: `hwm tui NAME` connects, `hwm tui --save NAME URL` adds one.",
    "# This file holds tokens: keep it private (mode 0600).",
  ];
  for (const [name, p] of Object.entries(profiles).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push("", `[profiles.${name}]`, `url = ${tomlString(p.url)}`);
    if (p.token !== undefined) lines.push(`token = ${tomlString(p.token)}`);
    if (p.fingerprint !== undefined) lines.push(`fingerprint = ${tomlString(p.fingerprint)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Add or replace one profile; the file is replaced atomically and is never readable by others. */
export function saveProfile(path: string, name: string, profile: Profile): void {
  const profiles = readProfiles(path);
  profiles[name] = profile;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, profilesText(profiles), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
