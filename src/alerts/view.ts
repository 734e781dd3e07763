// The engine's rules as the API and the fleet frames show them: per rule its worst state and
// instances (firing first), and per host the alerts firing now.
import type { AlertInstance, AlertRuleState, AlertState, FiringAlert } from "../protocol/index.ts";
import type { Rule } from "./rule.ts";

const RANK: Record<AlertState, number> = { ok: 0, pending: 1, firing: 2 };

export function ruleState(rule: Rule): AlertRuleState {
  const instances: AlertInstance[] = [];
  for (const i of rule.instances.values()) {
    if (i.state === "resolved") continue;
    instances.push({
      host: i.host,
      key: i.key,
      state: i.state,
      since_ms: i.state === "firing" ? (i.firedMs ?? i.startedMs) : i.startedMs,
      value: i.value,
      message: i.message,
      silenced: i.silenced,
    });
  }
  instances.sort(
    (a, b) =>
      RANK[b.state] - RANK[a.state] ||
      a.host.localeCompare(b.host) ||
      (a.key ?? "").localeCompare(b.key ?? ""),
  );
  const c = rule.config;
  return {
    name: c.name,
    when: c.when,
    for_ms: c.forMs,
    hosts: [...c.hosts],
    notify: [...c.notify],
    state: instances.reduce<AlertState>(
      (worst, i) => (RANK[i.state] > RANK[worst] ? i.state : worst),
      "ok",
    ),
    instances,
  };
}

export function firingByHost(rules: Iterable<Rule>): Map<string, FiringAlert[]> {
  const byHost = new Map<string, FiringAlert[]>();
  for (const rule of rules) {
    for (const i of rule.instances.values()) {
      if (i.state !== "firing") continue;
      const list = byHost.get(i.host) ?? [];
      byHost.set(i.host, list);
      list.push({
        rule: i.rule,
        key: i.key,
        since_ms: i.firedMs ?? i.startedMs,
        message: i.message,
      });
    }
  }
  return byHost;
}
