/** @jsxImportSource preact */
// The fleet overview: one card per host, or one row per host in the table view, filtered and
// sorted as the toolbar and the table's headers say (the choices are remembered in this browser);
// problems (firing alerts among them) first by default. With history on, the cards' sparklines
// show the last day, read every few minutes. Keys: `/` filters, arrows move between cards or
// rows, Enter opens a host.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { FLEET_SPARK, fetchFleetSparks } from "../../client/fleet-history.ts";
import { COMPARE, isLiveOrder } from "../../client/fleet-order.ts";
import { compareBy, isLiveColumn, nextSort } from "../../client/fleet-table.ts";
import { type HostSummary, summarize } from "../../client/summary.ts";
import type { HostState } from "../../protocol/index.ts";
import { RECEIVER } from "../api.ts";
import { onCardKey, onRowKey, useSlashToFilter } from "../fleet-keys.ts";
import { type FleetView, loadSettings, SHOW, saveSettings } from "../fleet-settings.ts";
import { lastOpenedHost, showFleetView } from "../router.ts";
import { CardScheduler } from "../scheduler.ts";
import type { FleetStore } from "../store.ts";
import { CardSlot } from "./card-slot.tsx";
import { FleetTable } from "./fleet-table.tsx";
import { FleetToolbar } from "./fleet-toolbar.tsx";

/** Sorting by a live number re-orders at most this often, so cards and rows do not jump every second. */
const REORDER_MS = 5000;

/** A host's card or row, by its id. */
const hostSelector = (id: string) =>
  `a.card[data-host="${CSS.escape(id)}"], tr.host-row[data-host="${CSS.escape(id)}"]`;

function matches(host: HostState, q: string): boolean {
  if (q === "") return true;
  const info = host.info;
  return [host.id, info?.hostname, info?.os, info?.cpu_model, host.url].some((s) =>
    s?.toLowerCase().includes(q),
  );
}

export function Fleet({ store, routeView }: { store: FleetStore; routeView: FleetView | null }) {
  const [settings, setSettings] = useState(loadSettings);
  const [query, setQuery] = useState("");
  const filter = useRef<HTMLInputElement>(null);
  const scheduler = useMemo(() => new CardScheduler(), []);
  const order = useRef<{ signature: string; atMs: number; ids: string[] } | null>(null);
  const view = routeView ?? settings.view;
  useEffect(() => saveSettings(settings), [settings]);
  useSlashToFilter(filter);
  useEffect(() => {
    // Back from a host's page: the keyboard continues from that host's card or row.
    // Its card may be drawn a few frames later, and drawn again in place (the scheduler spreads
    // card renders), which drops the focus: for a short while, give it back each frame it is
    // lost, unless the user has put the focus somewhere else meanwhile.
    const id = lastOpenedHost();
    let frame = 0;
    let focused: HTMLElement | null = null;
    const focusHost = (framesLeft: number) => {
      if (!id) return;
      const active = document.activeElement;
      const lost =
        !active || active === document.body || (focused !== null && !focused.isConnected);
      if (!lost && active !== focused) return; // the user went elsewhere
      const el = document.querySelector<HTMLElement>(hostSelector(id));
      if (el && active !== el) {
        el.focus();
        focused = el;
      }
      if (framesLeft > 0) frame = requestAnimationFrame(() => focusHost(framesLeft - 1));
    };
    focusHost(60);
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
  const summaries = new Map<string, HostSummary>(
    store.hosts.map((h) => [h.id, summarize(h, receiverNowMs)]),
  );
  const table = view === "table";
  const sortKey = table ? `${settings.table.column}:${settings.table.descending}` : settings.sort;
  const signature = [
    view,
    sortKey,
    settings.show,
    q,
    ...[...summaries.values()].map((s) => `${s.id}:${s.status}:${s.severity}`),
  ].join("|");
  const nowMs = Date.now();
  const live = table ? isLiveColumn(settings.table.column) : isLiveOrder(settings.sort);
  if (
    !order.current ||
    order.current.signature !== signature ||
    (live && nowMs - order.current.atMs >= REORDER_MS)
  ) {
    const compare = table ? compareBy(settings.table) : COMPARE[settings.sort];
    const ids = store.hosts
      .filter((host) => matches(host, q))
      .flatMap((host) => {
        const s = summaries.get(host.id);
        return s && SHOW[settings.show](s) ? [s] : [];
      })
      .sort(compare)
      .map((s) => s.id);
    order.current = { signature, atMs: nowMs, ids };
  }
  const shown = order.current.ids;

  const onView = (next: FleetView) => {
    setSettings({ ...settings, view: next });
    showFleetView(next);
  };
  return (
    <section aria-label="Fleet">
      <FleetToolbar
        query={query}
        onQuery={setQuery}
        filterRef={filter}
        settings={settings}
        view={view}
        onSettings={setSettings}
        onView={onView}
      />
      {store.hosts.length === 0 ? (
        <p class="empty">
          No hosts yet. List senders under <code>[[senders]]</code> in the receiver's config; it is
          picked up without a restart.
        </p>
      ) : shown.length === 0 ? (
        <p class="empty">No host matches this filter.</p>
      ) : table ? (
        <FleetTable
          rows={shown.flatMap((id) => summaries.get(id) ?? [])}
          sort={settings.table}
          onSort={(column) => setSettings({ ...settings, table: nextSort(settings.table, column) })}
          nowMs={receiverNowMs}
          onRowKey={onRowKey}
        />
      ) : (
        <ul class="cards" onKeyDown={onCardKey}>
          {shown.map((id) => (
            <CardSlot key={id} id={id} store={store} scheduler={scheduler} />
          ))}
        </ul>
      )}
    </section>
  );
}
