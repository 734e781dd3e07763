// Hash routing: "#/" is the fleet ("?view=table" once a view is chosen), "#/host/ID" one host
// ("?range=24h" keeps its charts' range), "#/alerts" the alert rules and events; so reload and
// the back button work without any server-side routes.
import { useEffect, useState } from "preact/hooks";
import { DEFAULT_RANGE, parseRange, type RangeKey } from "../client/ranges.ts";
import { type FleetView, isFleetView } from "./fleet-settings.ts";

export type Route =
  /** view: the one the URL names; null: the one remembered in this browser. */
  | { page: "fleet"; view: FleetView | null }
  | { page: "host"; id: string; range: RangeKey }
  | { page: "alerts" };

export function parseRoute(hash: string): Route {
  if (hash === ALERTS_HREF) return { page: "alerts" };
  const match = /^#\/host\/([^?]+)(?:\?(.*))?$/.exec(hash);
  if (match?.[1]) {
    try {
      const range = parseRange(new URLSearchParams(match[2] ?? "").get("range"));
      return { page: "host", id: decodeURIComponent(match[1]), range };
    } catch {
      return { page: "fleet", view: null };
    }
  }
  const view = new URLSearchParams(/^#\/\?(.*)$/.exec(hash)?.[1] ?? "").get("view");
  return { page: "fleet", view: isFleetView(view) ? view : null };
}

/** The default range stays out of the URL, so a plain host link is "#/host/ID". */
export function hostHref(id: string, range: RangeKey = DEFAULT_RANGE): string {
  const path = `#/host/${encodeURIComponent(id)}`;
  return range === DEFAULT_RANGE ? path : `${path}?range=${range}`;
}

export const FLEET_HREF = "#/";
export const ALERTS_HREF = "#/alerts";

export function fleetHref(view: FleetView): string {
  return `${FLEET_HREF}?view=${view}`;
}

/** Another view of the fleet replaces the page's history entry, as a new range does. */
export function showFleetView(view: FleetView): void {
  location.replace(fleetHref(view));
}

/** A new range replaces the page's history entry: Back leaves the host, not the last range. */
export function showRange(id: string, range: RangeKey): void {
  location.replace(hostHref(id, range));
}

/** True when the host page was reached from the fleet page in this tab (Back returns there). */
let cameFromFleet = false;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    let current = parseRoute(location.hash);
    const onChange = () => {
      const next = parseRoute(location.hash);
      // Another range of the same host is the same page: it keeps where Back goes.
      const samePage = current.page === "host" && next.page === "host" && current.id === next.id;
      if (!samePage) cameFromFleet = current.page === "fleet" && next.page === "host";
      current = next;
      setRoute(next);
    };
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Back to the fleet: through history when we came from it, so Back/Forward stay natural. */
export function goToFleet(): void {
  if (cameFromFleet) history.back();
  else location.hash = FLEET_HREF;
}

let lastHost: string | null = null;

/** The host whose page was open last, so the fleet page can give its card the focus back. */
export function rememberHost(id: string): void {
  lastHost = id;
}

export function lastOpenedHost(): string | null {
  return lastHost;
}
