// The tab's title, so that a glance at the tab bar says enough: on the fleet how many hosts
// have a problem ("hwm · 2 problems", "hwm · all 12 hosts fine"), on a host page its name (and
// its state when it cannot be read: "nas (offline) · hwm").
import { summarize } from "../client/summary.ts";
import type { Route } from "./router.ts";
import type { FleetStore } from "./store.ts";

export function pageTitle(route: Route, store: FleetStore): string {
  if (route.page === "alerts") return "Alerts · hwm";
  if (route.page === "host") {
    const host = store.host(route.id);
    if (!host) return `${route.id} (unknown) · hwm`;
    return host.status === "online" ? `${host.id} · hwm` : `${host.id} (${host.status}) · hwm`;
  }
  const total = store.hosts.length;
  if (total === 0) return "hwm · no hosts yet";
  const nowMs = store.receiverNowMs();
  const problems = store.hosts.filter((h) => summarize(h, nowMs).severity !== "fine").length;
  if (problems === 0) return `hwm · all ${total} hosts fine`;
  return `hwm · ${problems} problem${problems === 1 ? "" : "s"}`;
}
