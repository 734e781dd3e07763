// Rounds that could not be written yet (file locked, disk full): kept in memory, a bounded
// number, and written together with the next round that succeeds.
import type { HostRow, SampleRow, StatusChange } from "./records.ts";

/** The round being written included; at the default 10 s interval, the last five minutes. */
export const MAX_PENDING_ROUNDS = 30;

interface Round {
  samples: readonly SampleRow[];
  changes: readonly StatusChange[];
}

export class PendingRounds {
  readonly #rounds: Round[] = [];
  /** Only a host's latest state matters: older ones are replaced, never replayed. */
  readonly #hosts = new Map<string, HostRow>();
  readonly #maxRounds: number;
  /** Rounds dropped (oldest first) since the last successful write. */
  dropped = 0;

  constructor(maxRounds = MAX_PENDING_ROUNDS) {
    this.#maxRounds = maxRounds;
  }

  add(
    samples: readonly SampleRow[],
    hosts: readonly HostRow[],
    changes: readonly StatusChange[],
  ): void {
    this.#rounds.push({ samples, changes });
    for (const host of hosts) {
      const before = this.#hosts.get(host.id);
      // A row that keeps the stored snapshot keeps the one still waiting to be stored.
      const snapshot = host.snapshot === undefined ? before?.snapshot : host.snapshot;
      this.#hosts.set(host.id, snapshot === host.snapshot ? host : { ...host, snapshot });
    }
    while (this.#rounds.length > this.#maxRounds) {
      this.#rounds.shift();
      this.dropped++;
    }
  }

  get rounds(): number {
    return this.#rounds.length;
  }

  *samples(): Generator<SampleRow> {
    for (const round of this.#rounds) yield* round.samples;
  }

  hosts(): Iterable<HostRow> {
    return this.#hosts.values();
  }

  changes(): StatusChange[] {
    return this.#rounds.flatMap((round) => round.changes);
  }

  clear(): void {
    this.#rounds.length = 0;
    this.#hosts.clear();
    this.dropped = 0;
  }
}
