// Spreads the fleet cards' redraws over animation frames: after each fleet frame every card is
// due, but only a batch is redrawn per screen refresh, on-screen cards first; off-screen cards
// wait until they scroll into view. So 100 hosts never cost one long task.

/** Cards redrawn per animation frame: small enough that script + layout + paint stay short. */
const BATCH = 12;

interface Slot {
  update: () => void;
  visible: boolean;
  due: boolean;
}

export class CardScheduler {
  private readonly slots = new Map<Element, Slot>();
  private readonly observer: IntersectionObserver | null;
  private frame = 0;

  constructor() {
    this.observer =
      typeof IntersectionObserver === "undefined"
        ? null
        : new IntersectionObserver((entries) => this.onVisibility(entries), {
            rootMargin: "200px",
          });
  }

  register(el: Element, update: () => void): void {
    this.slots.set(el, { update, visible: this.observer === null, due: false });
    this.observer?.observe(el);
  }

  unregister(el: Element): void {
    this.slots.delete(el);
    this.observer?.unobserve(el);
  }

  /** New data arrived: every card is due for a redraw. */
  invalidate(): void {
    for (const slot of this.slots.values()) slot.due = true;
    this.schedule();
  }

  dispose(): void {
    this.observer?.disconnect();
    cancelAnimationFrame(this.frame);
    this.slots.clear();
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const slot = this.slots.get(entry.target);
      if (slot) slot.visible = entry.isIntersecting;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  private flush(): void {
    let budget = BATCH;
    let more = false;
    for (const slot of this.slots.values()) {
      if (!slot.due || !slot.visible) continue;
      if (budget === 0) {
        more = true;
        break;
      }
      slot.due = false;
      slot.update();
      budget--;
    }
    if (more) this.schedule();
  }
}
