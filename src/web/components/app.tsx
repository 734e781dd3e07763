/** @jsxImportSource preact */
// The page's top level: find out whether a login is needed, then the login form or the
// dashboard; a stale session brings the login back with a message saying so.
import { useCallback, useEffect, useState } from "preact/hooks";
import { type Access, probeAccess } from "../api.ts";
import { Dashboard } from "./dashboard.tsx";
import { Login } from "./login.tsx";

type Screen =
  | { kind: "checking" }
  | { kind: "unreachable"; message: string }
  | { kind: "login"; notice: string | null }
  | { kind: "dashboard"; access: Exclude<Access, { kind: "login" }> };

const EXPIRED = "Your session has expired — log in again.";
const RETRY_MS = 3000;

export function App() {
  const [screen, setScreen] = useState<Screen>({ kind: "checking" });

  const check = useCallback(async (notice: string | null = null) => {
    try {
      const access = await probeAccess();
      if (access.kind === "login")
        setScreen({ kind: "login", notice: access.expired ? EXPIRED : notice });
      else setScreen({ kind: "dashboard", access });
    } catch (err) {
      setScreen({ kind: "unreachable", message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

  useEffect(() => {
    if (screen.kind !== "unreachable") return;
    const timer = setTimeout(() => void check(), RETRY_MS);
    return () => clearTimeout(timer);
  }, [screen, check]);

  switch (screen.kind) {
    case "checking":
      return <p class="centered muted">Connecting to the receiver…</p>;
    case "unreachable":
      return (
        <p class="centered" role="alert">
          Cannot reach the receiver ({screen.message}). Retrying…
        </p>
      );
    case "login":
      return <Login notice={screen.notice} onLoggedIn={() => void check()} />;
    case "dashboard":
      return (
        <Dashboard
          access={screen.access}
          onLoggedOut={() => setScreen({ kind: "login", notice: "You have logged out." })}
          onExpired={() => setScreen({ kind: "login", notice: EXPIRED })}
        />
      );
  }
}
