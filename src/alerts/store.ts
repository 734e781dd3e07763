// Where alert state survives a restart: the active instances (so a firing alert is neither
// forgotten nor notified again) and the recent events; sqliteAlertStore keeps them in two tables
// of the history database.
import type { Database } from "bun:sqlite";
import * as v from "valibot";
import type { Logger } from "../log.ts";
import { type AlertEvent, AlertEventSchema } from "../protocol/index.ts";

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ActiveAlertSchema = v.object({
  rule: v.string(),
  /** The rule's condition in canonical form: a rule that changed since does not inherit the state. */
  when: v.string(),
  host: v.string(),
  key: v.nullable(v.string()),
  /**
   * pending or firing; resolved: it ended inside a silence window after its firing had been
   * notified, and its "resolved" notification waits for the window's end.
   */
  state: v.picklist(["pending", "firing", "resolved"]),
  /** When the condition started to hold. */
  startedMs: count,
  firedMs: v.nullable(count),
  resolvedMs: v.nullable(count),
  value: v.nullable(v.number()),
  message: v.string(),
  /** Its firing has been notified (a "resolved" is then owed when it ends). */
  notified: v.boolean(),
  lastNotifiedMs: v.nullable(count),
});
export type ActiveAlert = v.InferOutput<typeof ActiveAlertSchema>;

export interface AlertStore {
  /** The saved instances, and the events newest first. */
  load(): { active: ActiveAlert[]; events: AlertEvent[] };
  /** All active instances (replacing the saved ones) and the events since the last save, oldest first. Never throws. */
  save(active: readonly ActiveAlert[], newEvents: readonly AlertEvent[]): void;
}

/** Events kept in the database; the API shows fewer. */
export const STORED_EVENTS = 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alert_active (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alert_events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts_ms INTEGER NOT NULL, data TEXT NOT NULL);
`;

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

function parseRows<T>(
  rows: readonly { data: string }[],
  schema: v.GenericSchema<unknown, T>,
): { values: T[]; bad: number } {
  const values: T[] = [];
  let bad = 0;
  for (const row of rows) {
    try {
      const parsed = v.safeParse(schema, JSON.parse(row.data));
      if (parsed.success) values.push(parsed.output);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { values, bad };
}

export function sqliteAlertStore(db: Database, log: Logger): AlertStore {
  let ready = true;
  try {
    db.run(SCHEMA);
  } catch (err) {
    ready = false;
    log.error("alert state will not be kept across restarts: cannot create its tables", {
      reason: reason(err),
    });
  }
  return {
    load() {
      if (!ready) return { active: [], events: [] };
      try {
        const active = parseRows(
          db.query<{ data: string }, []>("SELECT data FROM alert_active").all(),
          ActiveAlertSchema,
        );
        const events = parseRows(
          db
            .query<{ data: string }, [number]>(
              "SELECT data FROM alert_events ORDER BY id DESC LIMIT ?",
            )
            .all(STORED_EVENTS),
          AlertEventSchema,
        );
        if (active.bad + events.bad > 0) {
          log.warn("alert state: unreadable rows skipped", { rows: active.bad + events.bad });
        }
        return { active: active.values, events: events.values };
      } catch (err) {
        log.error("alert state: cannot load, starting empty", { reason: reason(err) });
        return { active: [], events: [] };
      }
    },
    save(active, newEvents) {
      if (!ready) return;
      try {
        db.transaction(() => {
          db.run("DELETE FROM alert_active");
          const insertActive = db.prepare("INSERT INTO alert_active (id, data) VALUES (?, ?)");
          for (const a of active) {
            insertActive.run(JSON.stringify([a.rule, a.host, a.key]), JSON.stringify(a));
          }
          const insertEvent = db.prepare("INSERT INTO alert_events (ts_ms, data) VALUES (?, ?)");
          for (const e of newEvents) insertEvent.run(e.ts_ms, JSON.stringify(e));
          if (newEvents.length > 0) {
            db.run(
              "DELETE FROM alert_events WHERE id <= (SELECT id FROM alert_events ORDER BY id DESC LIMIT 1 OFFSET ?)",
              [STORED_EVENTS],
            );
          }
        })();
      } catch (err) {
        log.error("alert state: cannot save", { reason: reason(err) });
      }
    },
  };
}
