/** @jsxImportSource preact */
// The logged-in page: owns the store and the live connection, redraws at most once per animation
// frame, and shows the fleet, one host or the alerts depending on the URL hash, named in the
// tab's title.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Access } from "../api.ts";
import { logout } from "../api.ts";
import { type LinkState, LiveConnection } from "../live.ts";
import { pageTitle } from "../page-title.ts";
import { useRoute } from "../router.ts";
import { FleetStore } from "../store.ts";
import { AlertsView } from "./alerts-view.tsx";
import { Fleet } from "./fleet.tsx";
import { Header } from "./header.tsx";
import { HostDetail } from "./host-detail.tsx";

interface Props {
  access: Exclude<Access, { kind: "login" }>;
  onLoggedOut: () => void;
  onExpired: () => void;
}

export function Dashboard({ access, onLoggedOut, onExpired }: Props) {
  const store = useMemo(() => {
    const s = new FleetStore();
    s.seed(access.fleet.hosts, access.fleet.ts_ms, access.fleet.features);
    return s;
  }, [access]);
  const [link, setLink] = useState<LinkState>({ kind: "connecting" });
  const connection = useMemo(() => new LiveConnection(location, store, setLink), [store]);
  const [, setRedraws] = useState(0);
  const route = useRoute();

  useEffect(() => {
    // Many messages between two screen refreshes cost one render; a hidden tab renders nothing.
    let frame = 0;
    const unsubscribe = store.subscribe(() => {
      if (frame === 0)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setRedraws((n) => n + 1);
        });
    });
    connection.start();
    // Leaving the page (or entering the back-forward cache) ends this consumer on the receiver.
    const onPageHide = () => connection.stop();
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) connection.start();
    };
    addEventListener("pagehide", onPageHide);
    addEventListener("pageshow", onPageShow);
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      connection.stop();
      removeEventListener("pagehide", onPageHide);
      removeEventListener("pageshow", onPageShow);
    };
  }, [store, connection]);

  useEffect(() => {
    if (link.kind === "expired") onExpired();
    const down = link.kind === "reconnecting";
    store.setLinkDown(down);
    if (!down) return;
    // The cards' "last update N s ago" grows while the link is down.
    const timer = setInterval(() => setRedraws((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [link, onExpired, store]);

  const watched = route.page === "host" ? route.id : null;
  useEffect(() => connection.watch(watched), [connection, watched]);

  const title = pageTitle(route, store);
  useEffect(() => {
    document.title = title;
  }, [title]);

  const signOut = async () => {
    connection.stop();
    await logout();
    onLoggedOut();
  };

  return (
    <div class="shell">
      <Header store={store} link={link} onLogout={access.kind === "session" ? signOut : null} />
      {link.kind === "reconnecting" && (
        <div class="banner" role="status">
          <strong>Reconnecting…</strong> the live connection to the receiver was lost (attempt{" "}
          {link.attempt}). The values below are the last ones received.
        </div>
      )}
      <main id="main">
        {route.page === "host" ? (
          <HostDetail store={store} id={route.id} range={route.range} />
        ) : route.page === "alerts" ? (
          <AlertsView store={store} />
        ) : (
          <Fleet store={store} routeView={route.view} />
        )}
      </main>
    </div>
  );
}
