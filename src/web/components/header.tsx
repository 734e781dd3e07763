/** @jsxImportSource preact */
// The top bar: brand, fleet counts, the alerts page with how many fire (when the receiver has
// rules), the live link's state, the time of the last frame, logout.
import { clockTime } from "../../client/units.ts";
import type { LinkState } from "../live.ts";
import { ALERTS_HREF, FLEET_HREF } from "../router.ts";
import type { FleetStore } from "../store.ts";

const LINK_TEXT: Record<LinkState["kind"], string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  expired: "Session expired",
};

export function Header(props: {
  store: FleetStore;
  link: LinkState;
  onLogout: (() => void) | null;
}) {
  const { store, link } = props;
  const online = store.hosts.filter((h) => h.status === "online").length;
  const firing = store.firingCount();
  return (
    <header class="topbar">
      <a class="brand" href={FLEET_HREF}>
        hwm
      </a>
      <span class="counts">
        {store.hosts.length} hosts · {online} online
        {online < store.hosts.length && (
          <strong class="text-bad"> · {store.hosts.length - online} not online</strong>
        )}
      </span>
      {store.features.alerts && (
        <a
          class={`alerts-link${firing > 0 ? " firing" : ""}`}
          href={ALERTS_HREF}
          data-testid="alerts-link"
        >
          {firing > 0 && <span aria-hidden="true">▲ </span>}
          Alerts{firing > 0 ? ` · ${firing} firing` : ""}
        </a>
      )}
      <span class="spacer" />
      <span class={`link link-${link.kind}`} data-testid="link-state">
        <span class="dot" aria-hidden="true" />
        {LINK_TEXT[link.kind]}
      </span>
      {store.receivedAtMs > 0 && (
        <span class="muted updated" data-testid="updated">
          updated {clockTime(store.receivedAtMs)}
        </span>
      )}
      {props.onLogout && (
        <button type="button" class="ghost" onClick={props.onLogout}>
          Log out
        </button>
      )}
    </header>
  );
}
