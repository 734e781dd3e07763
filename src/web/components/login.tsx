/** @jsxImportSource preact */
// The login form: the receiver's login secret in, a session cookie back; the page never stores it.
import { useState } from "preact/hooks";
import { login } from "../api.ts";

export function Login(props: { notice: string | null; onLoggedIn: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || token.trim() === "") return;
    setBusy(true);
    setError(null);
    const result = await login(token.trim());
    setBusy(false);
    if (result.ok) props.onLoggedIn();
    else setError(result.message);
  };

  return (
    <main class="login">
      <form class="login-box" onSubmit={submit}>
        <h1>
          <span class="brand">hwm</span> fleet dashboard
        </h1>
        {props.notice && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        {/* For password managers: the token belongs to this dashboard, under a fixed name. */}
        <input type="text" name="username" autocomplete="username" value="hwm" hidden readOnly />
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          autofocus
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="muted small">
          The receiver's login secret: <code>dashboard.token_file</code> in its config (without one,
          its fleet token). It is traded for a session cookie and never stored by this page.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
