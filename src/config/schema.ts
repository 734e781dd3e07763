// The valibot schema of the TOML config file: exactly its keys, strict tables, and
// messages that say what each key expects, so a bad file is explained key by key.
import * as v from "valibot";
import { CONDITION_EXPECTED, parseCondition } from "../alerts/condition.ts";
import { parseSilence, SILENCE_EXPECTED } from "../alerts/silence.ts";
import { parseListen } from "./listen.ts";
import {
  DURATION_EXPECTED,
  describe,
  FINGERPRINT_EXPECTED,
  HEALTH_MAX_AGE,
  HEALTH_TOOL_TIMEOUT,
  HISTORY_BACKENDS,
  HOST_ID,
  HOST_ID_EXPECTED,
  HTTP_URL_EXPECTED,
  hasCredentials,
  INTERVAL_EXPECTED,
  isDurationIn,
  isHttpUrl,
  isIntervalMs,
  isMessageBytes,
  isOrigin,
  isSessionLifetime,
  isTable,
  MESSAGE_BYTES_EXPECTED,
  NOTIFIER_TYPES,
  normalizeFingerprint,
  ORIGIN_EXPECTED,
  oneOf,
  PROMETHEUS_LABELS,
  parseDurationMs,
  ROLES,
  SECRET_EXPECTED,
  SESSION_LIFETIME_EXPECTED,
  secretProblem,
  tokenProblem,
} from "./rules.ts";
import { closest } from "./suggest.ts";

/** The keys allowed at the top of the file, for the "belongs above the first [table]" hint. */
export const TOP_LEVEL_KEYS = [
  "role",
  "listen",
  "token",
  "token_file",
  "interval_ms",
  "max_message_bytes",
  "tls",
  "dashboard",
  "senders",
  "history",
  "notifiers",
  "alerts",
  "health",
  "custom",
] as const;

interface Issue {
  input: unknown;
}
type Message = (issue: Issue) => string;

/** What each key expects, looked up when the key is missing altogether. */
const EXPECTS = new WeakMap<object, string>();

function expects<S extends object>(what: string, schema: S): S {
  EXPECTS.set(schema, what);
  return schema;
}

function expected(what: string, show: (value: unknown) => string = describe): Message {
  return (issue) => `expected ${what}, got ${show(issue.input)}`;
}

/** A string that satisfies `ok`; one message for a wrong type and a wrong value alike. */
function text(what: string, ok: (value: string) => boolean = (value) => value !== "") {
  const message = expected(what);
  return expects(what, v.pipe(v.string(message), v.check(ok, message)));
}

const PATH_EXPECTED = "a file path";
const path = () => text(PATH_EXPECTED);

const interval = () => {
  const message = expected(INTERVAL_EXPECTED);
  return expects(INTERVAL_EXPECTED, v.pipe(v.number(message), v.check(isIntervalMs, message)));
};

const token = () => {
  // Never echo a secret: a non-string is shown by kind, a bad string only by its length.
  const message: Message = ({ input }) =>
    typeof input === "string" ? (tokenProblem(input) ?? "") : expected("a token string")({ input });
  return expects(
    "a token",
    v.pipe(
      v.string(message),
      v.check((t) => tokenProblem(t) === null, message),
    ),
  );
};

const httpUrl = () => {
  const message: Message = ({ input }) =>
    typeof input === "string" && isHttpUrl(input) && hasCredentials(input)
      ? `expected ${HTTP_URL_EXPECTED} without user:password in it (the token has its own key), got a URL with credentials`
      : expected(HTTP_URL_EXPECTED)({ input });
  return expects(
    HTTP_URL_EXPECTED,
    v.pipe(
      v.string(message),
      v.check((u) => isHttpUrl(u) && !hasCredentials(u), message),
    ),
  );
};

function list<S extends v.GenericSchema>(what: string, item: S) {
  return expects(what, v.array(item, expected(what)));
}

/**
 * A strict TOML table: unknown keys are errors with a "did you mean" hint, missing keys say what
 * they expect, and an array of tables where one table belongs ([[tls]] for [tls]) is named as such.
 */
function table<E extends v.ObjectEntries>(what: string, entries: E, nested = true) {
  const keys = Object.keys(entries);
  const message = (issue: Issue & { expected: string | null }): string => {
    // valibot reports an unknown key with the key as input and "never" expected, and a
    // missing key with the key's quoted name expected.
    if (issue.expected === "never" && typeof issue.input === "string") {
      return unknownKey(issue.input, keys, nested);
    }
    const missing = keys.find((key) => issue.expected === JSON.stringify(key));
    if (missing !== undefined && issue.input === undefined) {
      const entry = entries[missing];
      return `missing; expected ${(entry && EXPECTS.get(entry)) ?? "a value"}`;
    }
    return expected(what)(issue);
  };
  return expects(
    what,
    v.pipe(
      v.custom<Record<string, unknown>>(isTable, expected(what)),
      v.strictObject(entries, message),
    ),
  );
}

function unknownKey(key: string, valid: readonly string[], nested: boolean): string {
  if (nested && (TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
    // TOML puts every key after a [table] header into that table: a classic misplacement.
    return `unknown key here; "${key}" is a top-level key: move it above the first [table] header`;
  }
  const suggestion = closest(key, valid);
  return suggestion
    ? `unknown key; did you mean "${suggestion}"?`
    : `unknown key; expected one of: ${valid.join(", ")}`;
}

const sender = table("a [[senders]] table with name and url", {
  name: text(HOST_ID_EXPECTED, (name) => HOST_ID.test(name)),
  url: httpUrl(),
  token: v.optional(token()),
  fingerprint: v.optional(text(FINGERPRINT_EXPECTED, (f) => normalizeFingerprint(f) !== null)),
  ca: v.optional(path()),
});

const secret = () => {
  const message: Message = ({ input }) =>
    typeof input === "string" ? (secretProblem(input) ?? "") : expected(SECRET_EXPECTED)({ input });
  return expects(
    SECRET_EXPECTED,
    v.pipe(
      v.string(message),
      v.check((t) => secretProblem(t) === null, message),
    ),
  );
};

const duration = () => text(DURATION_EXPECTED, (d) => parseDurationMs(d) !== null);

/** Like text(), but the message is the one `parse` gives for the value. */
function parsed(what: string, parse: (value: string) => unknown) {
  const message: Message = ({ input }) => {
    if (typeof input !== "string") return expected(what)({ input });
    const result = parse(input);
    return typeof result === "object" && result !== null && "error" in result
      ? String(result.error)
      : expected(what)({ input });
  };
  return expects(
    what,
    v.pipe(
      v.string(message),
      v.check((value) => {
        const result = parse(value);
        return !(typeof result === "object" && result !== null && "error" in result);
      }, message),
    ),
  );
}

const notifier = table("a [[notifiers]] table with name, type and url", {
  name: text("a non-empty name"),
  type: expects(oneOf(NOTIFIER_TYPES), v.picklist(NOTIFIER_TYPES, expected(oneOf(NOTIFIER_TYPES)))),
  url: httpUrl(),
  token: v.optional(secret()),
  token_file: v.optional(path()),
});

const alert = table("an [[alerts]] table with name and when", {
  name: text("a non-empty name"),
  when: parsed(CONDITION_EXPECTED, parseCondition),
  for: v.optional(duration()),
  repeat: v.optional(duration()),
  hosts: v.optional(
    list(
      'a list of host ids or name patterns such as "*" or "pve-*"',
      text('a host id or a pattern such as "pve-*"'),
    ),
  ),
  notify: v.optional(list("a list of notifier names", text("a notifier name"))),
  silence: v.optional(
    list(`a list of windows, each ${SILENCE_EXPECTED}`, parsed(SILENCE_EXPECTED, parseSilence)),
  ),
});

const rollup = table("a [[history.rollups]] table with step and retention", {
  step: duration(),
  retention: duration(),
});

const listenMessage: Message = ({ input }) => {
  const parsed = typeof input === "string" ? parseListen(input) : null;
  return typeof parsed === "string"
    ? parsed
    : expected('HOST:PORT such as "0.0.0.0:7070"')({ input });
};

export const ConfigFileSchema = table(
  "a TOML document",
  {
    role: v.optional(expects(oneOf(ROLES), v.picklist(ROLES, expected(oneOf(ROLES))))),
    listen: v.optional(
      v.pipe(
        v.string(listenMessage),
        v.check((l) => typeof parseListen(l) !== "string", listenMessage),
      ),
    ),
    token: v.optional(token()),
    token_file: v.optional(path()),
    interval_ms: v.optional(interval()),
    max_message_bytes: v.optional(
      expects(
        MESSAGE_BYTES_EXPECTED,
        v.pipe(
          v.number(expected(MESSAGE_BYTES_EXPECTED)),
          v.check(isMessageBytes, expected(MESSAGE_BYTES_EXPECTED)),
        ),
      ),
    ),
    tls: v.optional(
      table("a [tls] table with cert and key", {
        cert: path(),
        key: path(),
        ca: v.optional(path()),
      }),
    ),
    dashboard: v.optional(
      table("a [dashboard] table", {
        allowed_origins: v.optional(list("a list of origins", text(ORIGIN_EXPECTED, isOrigin))),
        token: v.optional(token()),
        token_file: v.optional(path()),
        session_lifetime: v.optional(text(SESSION_LIFETIME_EXPECTED, isSessionLifetime)),
      }),
    ),
    senders: v.optional(list("one or more [[senders]] tables", sender)),
    history: v.optional(
      table("a [history] table", {
        enabled: v.optional(expects("true or false", v.boolean(expected("true or false")))),
        interval_ms: v.optional(interval()),
        backend: v.optional(
          expects(
            oneOf(HISTORY_BACKENDS),
            v.picklist(HISTORY_BACKENDS, expected(oneOf(HISTORY_BACKENDS))),
          ),
        ),
        path: v.optional(path()),
        raw_retention: v.optional(duration()),
        rollups: v.optional(list("one or more [[history.rollups]] tables", rollup)),
        url: v.optional(httpUrl()),
        token_file: v.optional(path()),
        label: v.optional(
          expects(
            oneOf(PROMETHEUS_LABELS),
            v.picklist(PROMETHEUS_LABELS, expected(oneOf(PROMETHEUS_LABELS))),
          ),
        ),
      }),
    ),
    notifiers: v.optional(list("one or more [[notifiers]] tables", notifier)),
    alerts: v.optional(list("one or more [[alerts]] tables", alert)),
    health: v.optional(
      table("a [health] table", {
        enabled: v.optional(expects("true or false", v.boolean(expected("true or false")))),
        max_age: v.optional(text(HEALTH_MAX_AGE.expected, (d) => isDurationIn(d, HEALTH_MAX_AGE))),
        tool_timeout: v.optional(
          text(HEALTH_TOOL_TIMEOUT.expected, (d) => isDurationIn(d, HEALTH_TOOL_TIMEOUT)),
        ),
      }),
    ),
    custom: v.optional(table("a [custom] table with textfile_dir", { textfile_dir: path() })),
  },
  false,
);

/** The file as validated: snake_case keys as written, relative paths not yet resolved. */
export type ConfigFile = v.InferOutput<typeof ConfigFileSchema>;
