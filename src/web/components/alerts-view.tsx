/** @jsxImportSource preact */
// "#/alerts": every alert rule with its state (ok, pending, firing) and where it holds, and the
// latest alert events, newest first, with how long ago. Read again every few seconds while open.
import { useEffect, useState } from "preact/hooks";
import { describeApiError, fetchAlerts } from "../../client/api.ts";
import * as f from "../../client/units.ts";
import type {
  AlertEvent,
  AlertInstance,
  AlertRuleState,
  AlertState,
  AlertsResponse,
} from "../../protocol/index.ts";
import { RECEIVER } from "../api.ts";
import { FLEET_HREF, hostHref } from "../router.ts";
import type { FleetStore } from "../store.ts";

const REFRESH_MS = 5000;

type Loaded =
  | { kind: "loading" }
  | { kind: "ready"; data: AlertsResponse; receivedAtMs: number }
  | { kind: "failed"; message: string };

const STATE_TEXT: Record<AlertState, string> = { ok: "ok", pending: "pending", firing: "firing" };
const STATE_ICON: Record<AlertState, string> = { ok: "●", pending: "◐", firing: "▲" };

function StateBadge({ state }: { state: AlertState }) {
  return (
    <span class={`badge alert-${state}`}>
      <span aria-hidden="true">{STATE_ICON[state]}</span> {STATE_TEXT[state]}
    </span>
  );
}

function where(host: string, key: string | null): string {
  return key === null ? host : `${host} · ${key}`;
}

function Instance({ instance: i, nowMs }: { instance: AlertInstance; nowMs: number }) {
  return (
    <li>
      <StateBadge state={i.state} /> <a href={hostHref(i.host)}>{where(i.host, i.key)}</a>{" "}
      <span class="muted small">
        {i.state} for {f.duration((nowMs - i.since_ms) / 1000)}
      </span>
      {i.silenced && <span class="muted small"> · silenced (nobody is notified)</span>}
      <div class="small">{i.message}</div>
    </li>
  );
}

function Rule({ rule, nowMs }: { rule: AlertRuleState; nowMs: number }) {
  return (
    <li class={`rule rule-${rule.state}`} data-rule={rule.name}>
      <div class="rule-head">
        <strong>{rule.name}</strong> <StateBadge state={rule.state} />
      </div>
      <div class="small">
        <code>{rule.when}</code>
        {rule.for_ms > 0 && <> for {f.duration(rule.for_ms / 1000)}</>} · hosts{" "}
        {rule.hosts.length > 0 ? rule.hosts.join(", ") : "all"}
        {rule.notify.length > 0 && <> · notifies {rule.notify.join(", ")}</>}
      </div>
      {rule.instances.length > 0 && (
        <ul class="instances">
          {rule.instances.map((i) => (
            <Instance key={`${i.host}/${i.key}`} instance={i} nowMs={nowMs} />
          ))}
        </ul>
      )}
    </li>
  );
}

function Event({ event: e, nowMs }: { event: AlertEvent; nowMs: number }) {
  return (
    <li class={`event event-${e.kind}`}>
      <time
        class="muted small"
        dateTime={new Date(e.ts_ms).toISOString()}
        title={f.dateTime(e.ts_ms)}
      >
        {f.ago(e.ts_ms, nowMs)}
      </time>{" "}
      <span class={`badge alert-${e.kind === "firing" ? "firing" : "ok"}`}>
        <span aria-hidden="true">{e.kind === "firing" ? "▲" : "✓"}</span> {e.kind}
      </span>{" "}
      <strong>{e.rule}</strong> · <a href={hostHref(e.host)}>{where(e.host, e.key)}</a>
      <div class="small">{e.message}</div>
    </li>
  );
}

export function AlertsView({ store }: { store: FleetStore }) {
  const enabled = store.features.alerts;
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      const result = await fetchAlerts(RECEIVER);
      if (stopped) return;
      setLoaded(
        result.ok
          ? { kind: "ready", data: result.value, receivedAtMs: Date.now() }
          : { kind: "failed", message: describeApiError(result.error) },
      );
      timer = setTimeout(read, REFRESH_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [enabled]);

  // "3 min ago" on the receiver's clock, which stamped the events, moved on by ours since.
  const nowMs =
    loaded.kind === "ready" ? loaded.data.ts_ms + (Date.now() - loaded.receivedAtMs) : Date.now();
  const events =
    loaded.kind === "ready" ? [...loaded.data.events].sort((a, b) => b.ts_ms - a.ts_ms) : [];

  return (
    <section class="detail" aria-labelledby="alerts-title">
      <div class="detail-head">
        <a class="back" href={FLEET_HREF}>
          ← Fleet
        </a>
        <h1 id="alerts-title">Alerts</h1>
      </div>
      {!enabled ? (
        <p class="empty">
          No alert rules on this receiver: add <code>[[alerts]]</code> to its config file.
        </p>
      ) : loaded.kind === "loading" ? (
        <p class="muted">Reading the alert rules…</p>
      ) : loaded.kind === "failed" ? (
        <p class="error" role="alert">
          The alerts cannot be read: {loaded.message}
        </p>
      ) : (
        <div class="detail-grid tables">
          <section class="panel" aria-labelledby="rules-title">
            <h2 id="rules-title">Rules</h2>
            <ul class="rules" data-testid="alert-rules">
              {loaded.data.rules.map((rule) => (
                <Rule key={rule.name} rule={rule} nowMs={nowMs} />
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="events-title">
            <h2 id="events-title">
              Recent events <span class="muted small">· newest first</span>
            </h2>
            {events.length === 0 ? (
              <p class="muted">No alert has fired or resolved yet.</p>
            ) : (
              <ol class="events" data-testid="alert-events">
                {events.map((e) => (
                  <Event
                    key={`${e.ts_ms}/${e.rule}/${e.host}/${e.key}/${e.kind}`}
                    event={e}
                    nowMs={nowMs}
                  />
                ))}
              </ol>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
