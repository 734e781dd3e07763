// Hash routing: "#/" is the fleet, "#/host/ID" one host, so reload and the back button work
// without any server-side routes.
import { useEffect, useState } from "preact/hooks";

export type Route = { page: "fleet" } | { page: "host"; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/host\/(.+)$/.exec(hash);
  if (match?.[1]) {
    try {
      return { page: "host", id: decodeURIComponent(match[1]) };
    } catch {
      return { page: "fleet" };
    }
  }
  return { page: "fleet" };
}

export function hostHref(id: string): string {
  return `#/host/${encodeURIComponent(id)}`;
}

export const FLEET_HREF = "#/";

/** True when the host page was reached from the fleet page in this tab (Back returns there). */
let cameFromFleet = false;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    let current = parseRoute(location.hash);
    const onChange = () => {
      const next = parseRoute(location.hash);
      cameFromFleet = current.page === "fleet" && next.page === "host";
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
