/** @jsxImportSource preact */
// What runs on and inside a host, for its page: its health (disks, pools, failed units), its
// custom metrics, and on a hypervisor or container host its guests and containers.
import { hostOfGuest } from "../../client/guest-history.ts";
import type { HostState, Snapshot } from "../../protocol/index.ts";
import type { FleetStore } from "../store.ts";
import { CustomPanel } from "./custom.tsx";
import { ContainersPanel, GuestsPanel } from "./guests.tsx";
import { HealthPanel } from "./health.tsx";

export function HostInside(props: {
  store: FleetStore;
  host: HostState;
  nowMs: number;
  /** Why nothing can be read now (the host is down); undefined while it can be. */
  missing?: string;
}) {
  const { store, host, nowMs } = props;
  const snap = host.snapshot;
  // Guests and containers come with the watch of this page: until they do, and on a host without
  // any, there is no panel (rather than one saying "none" on every VM's page).
  const detail = store.detail?.id === host.id ? store.detail.snapshot : null;
  const listed = <K extends "guests" | "containers">(key: K) => {
    const rows: Snapshot[K] = detail?.[key];
    return { rows: rows === undefined ? [] : rows, error: detail?.errors?.[key] };
  };

  const hostOf = (name: string | null) => {
    const id = hostOfGuest(name, store.hosts);
    return id === host.id ? null : id;
  };
  return (
    <div class="detail-grid inside">
      <HealthPanel
        health={snap?.health}
        missing={props.missing ?? snap?.errors?.health}
        nowMs={nowMs}
      />
      <CustomPanel custom={snap?.custom} nowMs={nowMs} />
      <GuestsPanel
        hostId={host.id}
        guests={listed("guests")}
        history={store.guestHistory}
        hostOf={hostOf}
      />
      <ContainersPanel
        hostId={host.id}
        containers={listed("containers")}
        history={store.guestHistory}
      />
    </div>
  );
}
