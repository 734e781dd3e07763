// A rule as the engine holds it: its config, its identity across reloads, which hosts it watches,
// and its instances (one per host, or per host and key), each with its notification bookkeeping.
import type { AlertConfig, NotifierConfig } from "../config/index.ts";
import { describeCondition } from "./condition.ts";
import { hostMatcher } from "./hosts.ts";
import type { Severity } from "./notification.ts";
import type { ActiveAlert } from "./store.ts";

export interface Instance extends ActiveAlert {
  /** A reboot: fires once, has no "resolved", is gone the next round, is not persisted. */
  oneShot: boolean;
  /** Inside one of the rule's silence windows at the last evaluation. */
  silenced: boolean;
  /** The last evaluation round in which its condition held. */
  round: number;
  /** When it was last sent to the rule's Alertmanager notifiers; null: not since start. */
  amSentMs: number | null;
}

export interface Rule {
  config: AlertConfig;
  /** describeCondition(config.condition): the rule's identity across reloads and restarts. */
  when: string;
  watches: (hostId: string) => boolean;
  /** It notifies an Alertmanager, which needs firing alerts re-sent. */
  toAlertmanager: boolean;
  severity: Severity;
  /** Pending and firing instances by instanceId. */
  instances: Map<string, Instance>;
  /** Ended inside a silence window after their firing was notified: "resolved" is owed. */
  owed: Map<string, Instance>;
}

export const instanceId = (host: string, key: string | null): string =>
  key === null ? host : `${host}\u0000${key}`;

/** A host going away is the worst news; a reboot is worth knowing but over by the time it is told. */
function severityOf(config: AlertConfig): Severity {
  switch (config.condition.kind) {
    case "offline":
      return "critical";
    case "reboot":
      return "info";
    case "threshold":
      return "warning";
  }
}

export function buildRule(config: AlertConfig, notifiers: readonly NotifierConfig[]): Rule {
  const match = hostMatcher(config.hosts);
  // A fleet is a fixed set of ids: each is matched against the patterns once.
  const matched = new Map<string, boolean>();
  return {
    config,
    when: describeCondition(config.condition),
    watches: (id) => {
      const hit = matched.get(id) ?? match(id);
      matched.set(id, hit);
      return hit;
    },
    toAlertmanager: notifiers.some(
      (n) => n.type === "alertmanager" && config.notify.includes(n.name),
    ),
    severity: severityOf(config),
    instances: new Map(),
    owed: new Map(),
  };
}

/** What the store keeps of an instance. */
export function toActiveAlert(i: ActiveAlert): ActiveAlert {
  return {
    rule: i.rule,
    when: i.when,
    host: i.host,
    key: i.key,
    state: i.state,
    startedMs: i.startedMs,
    firedMs: i.firedMs,
    resolvedMs: i.resolvedMs,
    value: i.value,
    message: i.message,
    notified: i.notified,
    lastNotifiedMs: i.lastNotifiedMs,
  };
}

/** A stored instance back at work; Alertmanager hears of it again at the first evaluation. */
export function fromActiveAlert(a: ActiveAlert): Instance {
  return { ...toActiveAlert(a), oneShot: false, silenced: false, round: 0, amSentMs: null };
}
