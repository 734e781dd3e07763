// One notifier's outbox: notifications go out one at a time in order, each attempt bounded, a
// failure retried with back-off and then given up with one log line; the queue itself is bounded.
// Nothing here blocks the caller: push() returns at once.
import type { NotifierConfig } from "../config/index.ts";
import type { Logger } from "../log.ts";
import { deliverOnce, SEND_TIMEOUT_MS } from "./deliver.ts";
import type { AlertNotification } from "./notification.ts";

/** What an attempt needs of fetch (typeof fetch fits; so does a test double). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DeliveryOptions {
  timeoutMs: number;
  /** Waits before the 2nd, 3rd, … attempt; after the last one the notification is given up. */
  retryDelaysMs: readonly number[];
  /** Notifications waiting at most; beyond, the oldest waiting one is dropped. */
  maxQueued: number;
  fetch: FetchLike;
}

export const DELIVERY_DEFAULTS: DeliveryOptions = {
  timeoutMs: SEND_TIMEOUT_MS,
  retryDelaysMs: [5_000, 30_000, 120_000],
  maxQueued: 100,
  fetch: (url, init) => fetch(url, init),
};

interface Item {
  notification: AlertNotification;
  attempts: number;
}

/** Alertmanager keeps only the latest word on an alert, so an older one still waiting is moot. */
const sameAlert = (a: AlertNotification, b: AlertNotification) =>
  a.rule === b.rule && a.host === b.host && a.key === b.key;

export class NotifierQueue {
  private readonly items: Item[] = [];
  /** The first item is being sent, or waits for its retry. */
  private busy = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  /** stop() was called: nothing new starts; an attempt in flight may still finish. */
  private closing = false;
  private readonly stopping = new AbortController();

  constructor(
    readonly notifier: NotifierConfig,
    private readonly log: Logger,
    private readonly options: DeliveryOptions = DELIVERY_DEFAULTS,
  ) {}

  push(notification: AlertNotification): void {
    if (this.closing) return;
    if (this.notifier.type === "alertmanager") {
      // Skip the head while it is being sent: it is already on its way.
      for (let i = this.items.length - 1; i >= (this.busy ? 1 : 0); i--) {
        const item = this.items[i];
        if (item && sameAlert(item.notification, notification)) this.items.splice(i, 1);
      }
    }
    if (this.items.length >= this.options.maxQueued) {
      const dropped = this.items.splice(this.busy ? 1 : 0, 1)[0];
      if (dropped) {
        this.log.warn("notifier queue full: dropped the oldest waiting notification", {
          notifier: this.notifier.name,
          rule: dropped.notification.rule,
          host: dropped.notification.host,
          kind: dropped.notification.kind,
        });
      }
    }
    this.items.push({ notification, attempts: 0 });
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.closing) return;
    const head = this.items[0];
    if (!head) return;
    this.busy = true;
    this.inFlight = this.attempt(head);
  }

  private async attempt(item: Item): Promise<void> {
    item.attempts++;
    const result = await deliverOnce(this.notifier, item.notification, {
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
      signal: this.stopping.signal,
    });
    if (this.closing) {
      if (result.ok) this.items.shift();
      return;
    }
    const fields = {
      notifier: this.notifier.name,
      type: this.notifier.type,
      rule: item.notification.rule,
      host: item.notification.host,
      kind: item.notification.kind,
      attempts: item.attempts,
    };
    if (!result.ok) {
      const delayMs = this.options.retryDelaysMs[item.attempts - 1];
      if (result.retry && delayMs !== undefined) {
        this.log.debug("notification failed, will retry", {
          ...fields,
          reason: result.reason,
          retry_in_ms: delayMs,
        });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.inFlight = this.attempt(item);
        }, delayMs);
        return;
      }
      this.log.warn(`notification to ${this.notifier.name} given up: ${result.reason}`, fields);
    } else if (item.attempts > 1) {
      this.log.info("notification sent after retrying", fields);
    }
    this.items.shift();
    this.busy = false;
    this.pump();
  }

  /** Cancels retries, gives an attempt in flight up to graceMs to finish, drops what waits. */
  async stop(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.inFlight && graceMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([this.inFlight, grace]);
      clearTimeout(timer);
    }
    this.stopping.abort();
    const dropped = this.items.length;
    this.items.length = 0;
    if (dropped > 0) {
      this.log.warn("notifications not sent: hwm is stopping", {
        notifier: this.notifier.name,
        dropped,
      });
    }
  }
}
