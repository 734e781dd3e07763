// The alert rules at work: after every poll round each rule is checked against the fleet, its
// instances (one per host, or per host and key for "[*]") move ok → pending → firing → resolved,
// events are kept, and notifications are handed to the notifiers' queues without waiting.
import type { AlertConfig, NotifierConfig } from "../config/index.ts";
import { metricName, metricSections } from "../history/metrics.ts";
import type { Logger } from "../log.ts";
import type {
  AlertEvent,
  AlertsResponse,
  FiringAlert,
  HostState,
  Section,
} from "../protocol/index.ts";
import { holds } from "./condition.ts";
import { hostMetrics } from "./host-metrics.ts";
import {
  offlineMessage,
  offlineResolvedMessage,
  rebootMessage,
  type ThresholdFacts,
  thresholdMessage,
  thresholdResolvedMessage,
  unwatchedMessage,
} from "./message.ts";
import type { AlertNotification, NotificationKind } from "./notification.ts";
import { ALERTMANAGER_RESEND_MS } from "./notifiers/alertmanager.ts";
import { DELIVERY_DEFAULTS, type DeliveryOptions, type FetchLike, NotifierQueue } from "./queue.ts";
import { RebootTracker } from "./reboots.ts";
import {
  buildRule,
  fromActiveAlert,
  type Instance,
  instanceId,
  type Rule,
  toActiveAlert,
} from "./rule.ts";
import { inSilence } from "./silence.ts";
import type { ActiveAlert, AlertStore } from "./store.ts";
import { firingByHost, ruleState } from "./view.ts";

export type { ActiveAlert, AlertStore } from "./store.ts";
export { sqliteAlertStore } from "./store.ts";

export interface AlertEngineOptions {
  rules: readonly AlertConfig[];
  notifiers: readonly NotifierConfig[];
  log: Logger;
  store?: AlertStore | null;
  /** The dashboard's base URL ("https://hwm.lan:7070"), for links in notifications. */
  dashboardUrl?: string | null;
  /** typeof fetch, or a stand-in. */
  fetch?: FetchLike;
  /** Attempt timeout, retry delays and queue bound of every notifier; tests shorten them. */
  delivery?: Partial<Omit<DeliveryOptions, "fetch">>;
}

/** Events kept in memory and shown by the API, newest first. */
export const MAX_EVENTS = 200;
/** How long stop() waits for notifications in flight. */
export const STOP_GRACE_MS = 2000;

/** Host statuses that "host offline" means; stale is a host that still answered a moment ago. */
const DOWN_STATUSES: ReadonlySet<string> = new Set(["offline", "unauthorized", "incompatible"]);

export class AlertEngine {
  private readonly log: Logger;
  private readonly store: AlertStore | null;
  private readonly dashboardUrl: string | null;
  private readonly delivery: DeliveryOptions;
  private rules = new Map<string, Rule>();
  private queues = new Map<string, NotifierQueue>();
  private readonly reboots = new RebootTracker();
  /** Newest first, at most MAX_EVENTS. */
  private events: AlertEvent[] = [];
  /** Events since the last save, oldest first. */
  private unsaved: AlertEvent[] = [];
  /** Something the store keeps changed since the last save. */
  private dirty = false;
  private round = 0;
  private firingByHost = new Map<string, FiringAlert[]>();
  private lastError: string | null = null;

  constructor(options: AlertEngineOptions) {
    this.log = options.log;
    this.store = options.store ?? null;
    this.dashboardUrl = options.dashboardUrl ? options.dashboardUrl.replace(/\/+$/, "") : null;
    this.delivery = {
      ...DELIVERY_DEFAULTS,
      ...options.delivery,
      fetch: options.fetch ?? DELIVERY_DEFAULTS.fetch,
    };
    this.queues = this.buildQueues(options.notifiers);
    this.rules = this.buildRules(options.rules, options.notifiers);
    this.restore();
    this.indexFiring();
  }

  /** After every poll round, with the fleet as it is now (receiver's clock). Never throws. */
  evaluate(hosts: readonly HostState[], nowMs: number): void {
    try {
      const now = Math.max(0, Math.floor(nowMs));
      this.round++;
      const byId = new Map(hosts.map((h) => [h.id, h]));
      const rebooted = this.reboots.observe(hosts);
      this.reboots.keepOnly(new Set(byId.keys()));
      const date = new Date(now);
      for (const rule of this.rules.values()) {
        const silenced = rule.config.silence.some((w) => inSilence(w, date));
        this.check(rule, hosts, rebooted, silenced, now);
        this.sweep(rule, byId, silenced, now);
        this.notifyRule(rule, silenced, now);
      }
      this.indexFiring();
      this.save();
      this.lastError = null;
    } catch (err) {
      // Once per distinct failure: a bug must not flood the log at 1 Hz, nor stop the poller.
      const reason = err instanceof Error ? (err.stack ?? err.message) : String(err);
      if (reason !== this.lastError) this.log.error("alert evaluation failed", { reason });
      this.lastError = reason;
    }
  }

  /**
   * The sections beyond the fleet's that the rules watching this host read (guests, containers):
   * the receiver asks the host for them in every round, watched or not.
   */
  sections(hostId: string): Section[] {
    const wanted = new Set<Section>();
    for (const rule of this.rules.values()) {
      const condition = rule.config.condition;
      if (condition.kind !== "threshold" || !rule.watches(hostId)) continue;
      for (const section of metricSections(condition.metric.family)) wanted.add(section);
    }
    return [...wanted];
  }

  /** Firing alerts of one host, for the fleet frames (HostState.alerts). */
  firing(hostId: string): FiringAlert[] {
    return [...(this.firingByHost.get(hostId) ?? [])];
  }

  /** GET /api/v1/alerts */
  state(nowMs: number): AlertsResponse {
    return {
      ts_ms: Math.max(0, Math.floor(nowMs)),
      rules: [...this.rules.values()].map(ruleState),
      events: [...this.events],
    };
  }

  /**
   * Config reload: rules and notifiers replaced. A rule with the same name and condition keeps its
   * instances; the firing ones of a rule that changed or went away end with a "resolved".
   */
  setRules(rules: readonly AlertConfig[], notifiers: readonly NotifierConfig[]): void {
    const oldQueues = this.queues;
    this.queues = this.buildQueues(notifiers, oldQueues);
    for (const [name, queue] of oldQueues) {
      if (this.queues.get(name) !== queue) void queue.stop(STOP_GRACE_MS);
    }
    const next = this.buildRules(rules, notifiers);
    const nowMs = Date.now();
    for (const old of this.rules.values()) {
      const kept = next.get(old.config.name);
      if (kept && kept.when === old.when) {
        kept.instances = old.instances;
        kept.owed = old.owed;
        continue;
      }
      const silenced = old.config.silence.some((w) => inSilence(w, new Date(nowMs)));
      for (const instance of old.instances.values()) {
        if (instance.state !== "firing" || instance.oneShot) continue;
        instance.message = unwatchedMessage(instance.host, old.config.name);
        this.resolve(old, instance, silenced, nowMs, false);
      }
      this.dirty = true;
    }
    this.rules = next;
    this.indexFiring();
    this.save();
  }

  /** Stop retry timers; waits (at most STOP_GRACE_MS) for notifications in flight. */
  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.stop(STOP_GRACE_MS)));
  }

  // --- evaluation ---

  /** Where the rule's condition holds now: instances created, kept, fired. */
  private check(
    rule: Rule,
    hosts: readonly HostState[],
    rebooted: ReadonlyMap<string, number | null>,
    silenced: boolean,
    now: number,
  ): void {
    const condition = rule.config.condition;
    for (const host of hosts) {
      if (!rule.watches(host.id)) continue;
      switch (condition.kind) {
        case "offline": {
          if (!DOWN_STATUSES.has(host.status)) break;
          this.hold(rule, host.id, null, null, silenced, now, (instance) =>
            offlineMessage(
              host.id,
              host.status,
              host.last_error,
              host.last_seen_ms ?? instance.startedMs,
              now,
            ),
          );
          break;
        }
        case "reboot": {
          if (!rebooted.has(host.id)) break;
          const uptimeMs = rebooted.get(host.id) ?? null;
          // A reboot is an event: any earlier one of this host is over.
          rule.instances.delete(instanceId(host.id, null));
          this.hold(rule, host.id, null, null, silenced, now, () =>
            rebootMessage(host.id, uptimeMs),
          );
          break;
        }
        case "threshold": {
          if (host.status !== "online" || !host.snapshot) break;
          const metrics = hostMetrics(host.snapshot);
          const { metric, op, value: threshold } = condition;
          const facts = (key: string | null): ThresholdFacts => ({
            host: host.id,
            family: metric.family,
            key,
            op,
            threshold,
          });
          if (metric.key === "*") {
            for (const [key, value] of metrics.byFamily.get(metric.family.name) ?? []) {
              if (!holds(op, value, threshold)) continue;
              this.hold(rule, host.id, key, value, silenced, now, (i) =>
                thresholdMessage(facts(key), value, now - i.startedMs),
              );
            }
          } else {
            const value = metrics.byName.get(metricName(metric.family, metric.key));
            if (value === undefined || !holds(op, value, threshold)) break;
            this.hold(rule, host.id, metric.key, value, silenced, now, (i) =>
              thresholdMessage(facts(metric.key), value, now - i.startedMs),
            );
          }
          break;
        }
      }
    }
  }

  /** The condition holds for this host (and key) now. */
  private hold(
    rule: Rule,
    host: string,
    key: string | null,
    value: number | null,
    silenced: boolean,
    now: number,
    message: (instance: Instance) => string,
  ): void {
    const id = instanceId(host, key);
    let instance = rule.instances.get(id);
    if (!instance) {
      const oneShot = rule.config.condition.kind === "reboot";
      instance = {
        rule: rule.config.name,
        when: rule.when,
        host,
        key,
        state: "pending",
        startedMs: now,
        firedMs: null,
        resolvedMs: null,
        value,
        message: "",
        notified: false,
        lastNotifiedMs: null,
        oneShot,
        silenced,
        round: this.round,
        amSentMs: null,
      };
      rule.instances.set(id, instance);
      this.dirty = true;
    }
    instance.round = this.round;
    instance.value = value;
    instance.message = message(instance);
    const forMs = instance.oneShot ? 0 : rule.config.forMs;
    if (instance.state === "pending" && now - instance.startedMs >= forMs) {
      this.fire(rule, id, instance, now);
    }
  }

  private fire(rule: Rule, id: string, instance: Instance, now: number): void {
    instance.state = "firing";
    instance.firedMs = now;
    this.dirty = true;
    this.record(instance, "firing", now);
    // It ended and came back inside one silence window: the last word people had was "firing",
    // which is true again, so the owed "resolved" is dropped and nothing new is said.
    const owed = rule.owed.get(id);
    if (owed) {
      rule.owed.delete(id);
      instance.notified = true;
      instance.lastNotifiedMs = owed.lastNotifiedMs;
    }
  }

  /** Instances whose condition did not hold this round. */
  private sweep(rule: Rule, byId: ReadonlyMap<string, HostState>, silenced: boolean, now: number) {
    const condition = rule.config.condition;
    for (const [id, instance] of rule.instances) {
      if (instance.round === this.round) continue;
      if (instance.oneShot) {
        // A reboot is said once and has no "resolved".
        rule.instances.delete(id);
        this.dirty = true;
        continue;
      }
      const host = byId.get(instance.host);
      if (!host || !rule.watches(host.id)) {
        instance.message = unwatchedMessage(instance.host, rule.config.name);
      } else if (condition.kind === "threshold") {
        // No fresh data: nothing is known to have changed, so the state stays as it is.
        if (host.status !== "online" || !host.snapshot) continue;
        const { metric, op, value: threshold } = condition;
        const value =
          hostMetrics(host.snapshot).byName.get(metricName(metric.family, instance.key)) ?? null;
        instance.value = value;
        instance.message = thresholdResolvedMessage(
          { host: host.id, family: metric.family, key: instance.key, op, threshold },
          value,
          now - (instance.firedMs ?? instance.startedMs),
        );
      } else {
        instance.value = null;
        instance.message = offlineResolvedMessage(host.id, now - instance.startedMs);
      }
      rule.instances.delete(id);
      this.resolve(rule, instance, silenced, now, true);
    }
  }

  /** The instance ended (already removed from rule.instances): pending ones end silently. */
  private resolve(
    rule: Rule,
    instance: Instance,
    silenced: boolean,
    now: number,
    owe: boolean,
  ): void {
    this.dirty = true;
    if (instance.state !== "firing") return;
    instance.state = "resolved";
    instance.resolvedMs = now;
    this.record(instance, "resolved", now);
    // Fired and ended without anybody having been told: nothing to take back.
    if (!instance.notified) return;
    if (silenced) {
      if (owe) rule.owed.set(instanceId(instance.host, instance.key), instance);
      return;
    }
    this.send(rule, instance, "resolved", now, false);
  }

  /** Notifications that are due: a first firing, a repeat, Alertmanager's keep-alive, owed ones. */
  private notifyRule(rule: Rule, silenced: boolean, now: number): void {
    const repeatMs = rule.config.repeatMs;
    for (const instance of rule.instances.values()) {
      instance.silenced = silenced;
      if (instance.state !== "firing" || silenced) continue;
      if (!instance.notified) {
        this.send(rule, instance, "firing", now, false);
        instance.notified = true;
        instance.lastNotifiedMs = now;
        this.dirty = true;
      } else if (repeatMs !== null && now - (instance.lastNotifiedMs ?? 0) >= repeatMs) {
        this.send(rule, instance, "firing", now, false);
        instance.lastNotifiedMs = now;
        this.dirty = true;
      } else if (
        rule.toAlertmanager &&
        !instance.oneShot &&
        now - (instance.amSentMs ?? 0) >= ALERTMANAGER_RESEND_MS
      ) {
        this.send(rule, instance, "firing", now, true);
      }
    }
    if (silenced || rule.owed.size === 0) return;
    for (const instance of rule.owed.values()) this.send(rule, instance, "resolved", now, false);
    rule.owed.clear();
    this.dirty = true;
  }

  // --- notifications, events, persistence ---

  private send(
    rule: Rule,
    instance: Instance,
    kind: NotificationKind,
    now: number,
    alertmanagerOnly: boolean,
  ): void {
    const condition = rule.config.condition;
    const notification: AlertNotification = {
      kind,
      rule: rule.config.name,
      host: instance.host,
      key: instance.key,
      value: instance.value,
      threshold: condition.kind === "threshold" ? condition.value : null,
      condition: rule.when,
      severity: rule.severity,
      sinceMs: instance.firedMs ?? instance.startedMs,
      tsMs: kind === "resolved" ? (instance.resolvedMs ?? now) : now,
      message: instance.message,
      url: this.dashboardUrl
        ? `${this.dashboardUrl}/#/host/${encodeURIComponent(instance.host)}`
        : null,
    };
    for (const name of rule.config.notify) {
      const queue = this.queues.get(name);
      if (!queue || (alertmanagerOnly && queue.notifier.type !== "alertmanager")) continue;
      queue.push(notification);
      if (queue.notifier.type === "alertmanager") instance.amSentMs = now;
    }
  }

  private record(instance: Instance, kind: "firing" | "resolved", now: number): void {
    const event: AlertEvent = {
      ts_ms: now,
      rule: instance.rule,
      host: instance.host,
      key: instance.key,
      kind,
      value: instance.value,
      message: instance.message,
    };
    this.events.unshift(event);
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
    this.unsaved.push(event);
  }

  private save(): void {
    if (!this.dirty && this.unsaved.length === 0) return;
    const events = this.unsaved;
    this.unsaved = [];
    this.dirty = false;
    if (!this.store) return;
    const active: ActiveAlert[] = [];
    for (const rule of this.rules.values()) {
      for (const i of [...rule.instances.values(), ...rule.owed.values()]) {
        if (i.oneShot) continue;
        active.push(toActiveAlert(i));
      }
    }
    this.store.save(active, events);
  }

  /** What a previous run left: instances of rules that still exist unchanged, and the events. */
  private restore(): void {
    if (!this.store) return;
    let loaded: ReturnType<AlertStore["load"]>;
    try {
      loaded = this.store.load();
    } catch (err) {
      this.log.error("alert state: cannot load, starting empty", {
        reason: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    let dropped = 0;
    for (const a of loaded.active) {
      const rule = this.rules.get(a.rule);
      if (!rule || rule.when !== a.when || rule.config.condition.kind === "reboot") {
        dropped++;
        continue;
      }
      const instance = fromActiveAlert(a);
      const id = instanceId(a.host, a.key);
      if (a.state === "resolved") rule.owed.set(id, instance);
      else rule.instances.set(id, instance);
    }
    if (dropped > 0) {
      this.log.info("alert state of changed or removed rules dropped", { instances: dropped });
      this.dirty = true;
    }
    this.events = loaded.events.slice(0, MAX_EVENTS);
  }

  private buildQueues(
    notifiers: readonly NotifierConfig[],
    previous: ReadonlyMap<string, NotifierQueue> = new Map(),
  ): Map<string, NotifierQueue> {
    const queues = new Map<string, NotifierQueue>();
    for (const notifier of notifiers) {
      const old = previous.get(notifier.name);
      const same =
        old &&
        old.notifier.type === notifier.type &&
        old.notifier.url === notifier.url &&
        old.notifier.token === notifier.token;
      queues.set(notifier.name, same ? old : new NotifierQueue(notifier, this.log, this.delivery));
    }
    return queues;
  }

  private buildRules(
    configs: readonly AlertConfig[],
    notifiers: readonly NotifierConfig[],
  ): Map<string, Rule> {
    const names = new Set(notifiers.map((n) => n.name));
    const rules = new Map<string, Rule>();
    for (const config of configs) {
      const unknown = config.notify.filter((n) => !names.has(n));
      if (unknown.length > 0) {
        this.log.warn("alert rule names notifiers that do not exist", {
          rule: config.name,
          notifiers: unknown.join(","),
        });
      }
      rules.set(config.name, buildRule(config, notifiers));
    }
    return rules;
  }

  private indexFiring(): void {
    this.firingByHost = firingByHost(this.rules.values());
  }
}
