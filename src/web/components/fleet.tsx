/** @jsxImportSource preact */
// The fleet overview: one card per host, filtered and sorted as the toolbar says (the choice is
// remembered in this browser); problems (firing alerts among them) first by default. With history
// on, the cards' sparklines show the last day, read every few minutes.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { FLEET_SPARK, fetchFleetSparks } from "../../client/fleet-history.ts";
import { COMPARE, FLEET_ORDERS, type FleetOrder, isLiveOrder } from "../../client/fleet-order.ts";
import { type HostSummary, summarize } from "../../client/summary.ts";
import { RECEIVER } from "../api.ts";
import { lastOpenedHost } from "../router.ts";
import { CardScheduler } from "../scheduler.ts";
import type { FleetStore } from "../store.ts";
import { CardSlot } from "./card-slot.tsx";

const SHOWS = {
  all: "All hosts",
  problems: "With problems",
  online: "Online",
  down: "Not online",
} as const;
type ShowKey = keyof typeof SHOWS;

interface Settings {
  sort: FleetOrder;
  show: ShowKey;
}
const SETTINGS_KEY = "hwm.fleet";

function loadSettings(): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}") as Partial<Settings>;
    return {
      sort: saved.sort && saved.sort in FLEET_ORDERS ? saved.sort : "problems",
      show: saved.show && saved.show in SHOWS ? saved.show : "all",
    };
  } catch {
    return { sort: "problems", show: "all" };
  }
}

const SHOW: Record<ShowKey, (s: HostSummary) => boolean> = {
  all: () => true,
  problems: (s) => s.severity !== "fine",
  online: (s) => s.status === "online",
  down: (s) => s.status !== "online",
};

/** Sorting by a live number re-orders at most this often, so cards do not jump every second. */
const REORDER_MS = 5000;

export function Fleet({ store }: { store: FleetStore }) {
  const [settings, setSettings] = useState(loadSettings);
  const [query, setQuery] = useState("");
  const scheduler = useMemo(() => new CardScheduler(), []);
  const order = useRef<{ signature: string; atMs: number; ids: string[] } | null>(null);
  useEffect(() => localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings)), [settings]);
  useEffect(() => {
    // Back from a host's page: the keyboard continues from that host's card.
    // Its card may be drawn a few frames later, and drawn again in place (the scheduler spreads
    // card renders), which drops the focus: for a short while, give it back each frame it is
    // lost, unless the user has put the focus somewhere else meanwhile.
    const id = lastOpenedHost();
    let frame = 0;
    let focused: HTMLElement | null = null;
    const focusCard = (framesLeft: number) => {
      if (!id) return;
      const active = document.activeElement;
      const lost =
        !active || active === document.body || (focused !== null && !focused.isConnected);
      if (!lost && active !== focused) return; // the user went elsewhere
      const el = document.querySelector<HTMLElement>(`a.card[data-host="${CSS.escape(id)}"]`);
      if (el && active !== el) {
        el.focus();
        focused = el;
      }
      if (framesLeft > 0) frame = requestAnimationFrame(() => focusCard(framesLeft - 1));
    };
    focusCard(60);
    return () => {
      cancelAnimationFrame(frame);
      scheduler.dispose();
    };
  }, [scheduler]);
  useEffect(() => {
    if (store.features.history === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const read = async () => {
      const result = await fetchFleetSparks(RECEIVER);
      if (stopped) return;
      // On failure the cards keep what they have (or the live sparkline) until the next try.
      if (result.ok) store.setSparks(result.value);
      timer = setTimeout(read, FLEET_SPARK.refreshMs);
    };
    // Back from a host's page: read only when the last reading is due.
    const ageMs = store.sparks ? Date.now() - store.sparks.readAtMs : Number.POSITIVE_INFINITY;
    timer = setTimeout(read, Math.max(0, FLEET_SPARK.refreshMs - ageMs));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [store]);
  // Every render follows new data or a new filter: the cards redraw on the scheduler's turns.
  useEffect(() => scheduler.invalidate());

  const q = query.trim().toLowerCase();
  const receiverNowMs = store.receiverNowMs();
  const summaries = store.hosts.map((h) => ({ host: h, summary: summarize(h, receiverNowMs) }));
  const signature = [
    settings.sort,
    settings.show,
    q,
    ...summaries.map(({ summary: s }) => `${s.id}:${s.status}:${s.severity}`),
  ].join("|");
  const nowMs = Date.now();
  const live = isLiveOrder(settings.sort);
  if (
    !order.current ||
    order.current.signature !== signature ||
    (live && nowMs - order.current.atMs >= REORDER_MS)
  ) {
    const ids = summaries
      .filter(({ host, summary }) => {
        if (!SHOW[settings.show](summary)) return false;
        if (q === "") return true;
        const info = host.info;
        return [host.id, info?.hostname, info?.os, info?.cpu_model, host.url].some((s) =>
          s?.toLowerCase().includes(q),
        );
      })
      .sort((a, b) => COMPARE[settings.sort](a.summary, b.summary))
      .map(({ host }) => host.id);
    order.current = { signature, atMs: nowMs, ids };
  }
  const shown = order.current.ids;

  return (
    <section aria-label="Fleet">
      <div class="toolbar">
        <label class="field grow">
          <span class="sr-only">Filter hosts</span>
          <input
            type="search"
            placeholder="Filter by name, OS, CPU…"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Show</span>
          <select
            value={settings.show}
            onChange={(e) => setSettings({ ...settings, show: e.currentTarget.value as ShowKey })}
          >
            {Object.entries(SHOWS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Sort</span>
          <select
            value={settings.sort}
            onChange={(e) =>
              setSettings({ ...settings, sort: e.currentTarget.value as FleetOrder })
            }
          >
            {Object.entries(FLEET_ORDERS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {store.hosts.length === 0 ? (
        <p class="empty">
          No hosts yet. List senders under <code>[[senders]]</code> in the receiver's config; it is
          picked up without a restart.
        </p>
      ) : shown.length === 0 ? (
        <p class="empty">No host matches this filter.</p>
      ) : (
        <ul class="cards">
          {shown.map((id) => (
            <CardSlot key={id} id={id} store={store} scheduler={scheduler} />
          ))}
        </ul>
      )}
    </section>
  );
}
