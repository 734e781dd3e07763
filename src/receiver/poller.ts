// Demand-driven polling: while someone watches, every interval ask every host at once, each
// under a timeout shorter than the interval, so a dead or slow host never delays the others.
import type { Logger } from "../log.ts";
import { LinkError } from "../peer/link-error.ts";
import { FLEET_SECTIONS, type Section } from "../protocol/index.ts";
import type { Fleet } from "./fleet.ts";
import type { HostLink } from "./link.ts";

/** Share of the interval a request may take; the rest is slack for fan-out. */
const TIMEOUT_SHARE = 0.8;
/**
 * Fan-out waits for every answer, but no longer than this: a healthy sender answers in a few ms,
 * so one hung host must not hold back everyone else's fresh data. Late answers go out next round.
 */
const FANOUT_WAIT_MS = 250;

export interface PollDemand {
  /** Extra sections per host id that somebody watches (processes). */
  heavy(): ReadonlyMap<string, readonly Section[]>;
}

export class Poller {
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The pace of the running timer; null: stopped. */
  private paceMs: number | null = null;
  private readonly inFlight = new Set<string>();
  /** Hosts asked at least once: until then a host's status says nothing about it. */
  private readonly asked = new Set<string>();
  private lastRoundMs = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly links: ReadonlyMap<string, HostLink>,
    /** The live pace, while someone watches; one-off readers get data at most this old. */
    private readonly intervalMs: number,
    private readonly demand: PollDemand,
    private readonly onRound: () => void,
    private readonly log: Logger,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  /** How often hosts are asked now; null while nobody (no viewer, no recorder) wants them. */
  get currentPaceMs(): number | null {
    return this.paceMs;
  }

  get timeoutMs(): number {
    return Math.max(50, Math.floor((this.paceMs ?? this.intervalMs) * TIMEOUT_SHARE));
  }

  /** Poll at the live pace (someone watches). */
  start(): void {
    this.setPace(this.intervalMs);
  }

  /**
   * Ask every host every `paceMs` (null: stop and close every connection, so the senders go back
   * to zero cost). A faster pace starts with a round at once, so a new viewer waits for nothing;
   * a slower one keeps the connections and waits a whole new interval.
   */
  setPace(paceMs: number | null): void {
    if (paceMs === this.paceMs) return;
    const previous = this.paceMs;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.paceMs = paceMs;
    if (paceMs === null) {
      for (const link of this.links.values()) link.close();
      this.log.info("polling stopped: nobody is watching");
      return;
    }
    this.log.info(previous === null ? "polling started" : "polling pace changed", {
      hosts: this.links.size,
      interval_ms: paceMs,
    });
    const tick = () => void this.roundOrDeadline().then(this.onRound);
    this.timer = setInterval(tick, paceMs);
    if (previous === null || paceMs < previous) tick();
  }

  stop(): void {
    this.setPace(null);
  }

  /** For one-off readers (GET /api/v1/hosts, /metrics): one fresh round when the data is older than the live interval. */
  async refresh(): Promise<void> {
    if (this.paceMs === this.intervalMs || Date.now() - this.lastRoundMs < this.intervalMs) return;
    await this.round();
  }

  /**
   * One round, resolved when the hosts that were online have answered (or FANOUT_WAIT_MS passed):
   * hosts already stale, offline or failing are still asked, but nobody waits for them.
   */
  private roundOrDeadline(): Promise<void> {
    const round = this.askAll();
    // A first answer includes the sender's 200 ms CPU baseline and a connect: give it the full timeout.
    const waitMs = round.first ? this.timeoutMs : Math.min(FANOUT_WAIT_MS, this.timeoutMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    return Promise.race([round.awaited, deadline]).finally(() => clearTimeout(timer));
  }

  /** Ask every host once; resolves when every answer is in or has timed out. */
  async round(): Promise<void> {
    await this.askAll().all;
  }

  private askAll(): { all: Promise<void>; awaited: Promise<void>; first: boolean } {
    this.lastRoundMs = Date.now();
    const heavy = this.demand.heavy();
    const all: Promise<void>[] = [];
    const awaited: Promise<void>[] = [];
    let first = false;
    for (const [id, link] of this.links) {
      // A host still busy with the last round (slow, black-holed) is not asked twice.
      if (this.inFlight.has(id)) continue;
      this.inFlight.add(id);
      const neverAsked = !this.asked.has(id);
      this.asked.add(id);
      const ask = this.ask(id, link, heavy.get(id) ?? []).finally(() => this.inFlight.delete(id));
      all.push(ask);
      if (neverAsked || this.fleet.status(id) === "online") awaited.push(ask);
      first ||= neverAsked;
    }
    const settled = (asks: Promise<void>[]) => Promise.all(asks).then(() => {});
    return { all: settled(all), awaited: settled(awaited), first };
  }

  private async ask(id: string, link: HostLink, extra: readonly Section[]): Promise<void> {
    const sections: Section[] = [
      ...FLEET_SECTIONS,
      ...extra.filter((s) => !FLEET_SECTIONS.includes(s as never)),
    ];
    try {
      const [snapshot, info] = await Promise.all([
        link.snapshot(sections, this.timeoutMs),
        this.fleet.hasInfo(id) ? null : link.info(this.timeoutMs),
      ]);
      if (info) this.fleet.setInfo(id, info);
      this.fleet.succeeded(id, snapshot, extra.length > 0);
    } catch (err) {
      const error =
        err instanceof LinkError
          ? err
          : new LinkError("offline", err instanceof Error ? err.message : String(err));
      this.fleet.failed(id, error);
    }
  }
}
