// Open WebSockets and the credential each was opened with: a socket whose session was logged out
// or expired, or whose token was replaced on reload, is closed rather than left streaming.

/** Close code for a socket whose credential ended (1008: policy violation). */
export const CREDENTIAL_ENDED_CODE = 1008;
/** How often sockets are checked for sessions that reached their end. */
export const SWEEP_INTERVAL_MS = 15_000;

interface Entry {
  /** null while the credential holds, else why it no longer does. */
  ended(): string | null;
  close(code: number, reason: string): void;
}

export class OpenSockets {
  private readonly entries = new Map<number, Entry>();
  private timer: ReturnType<typeof setInterval> | null = null;

  add(id: number, entry: Entry): void {
    this.entries.set(id, entry);
    // Only while sockets are open: an idle node keeps no timer.
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
      this.timer.unref?.();
    }
  }

  delete(id: number): void {
    this.entries.delete(id);
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Closes every socket whose credential ended; returns how many. */
  sweep(): number {
    let closed = 0;
    for (const [id, entry] of this.entries) {
      const reason = entry.ended();
      if (reason === null) continue;
      this.delete(id);
      entry.close(CREDENTIAL_ENDED_CODE, reason);
      closed++;
    }
    return closed;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.entries.clear();
  }
}
