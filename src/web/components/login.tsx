/** @jsxImportSource preact */
// The login form: the node's token in, a session cookie back; the token is never stored by the page.
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
          The receiver's token (<code>token</code> in its config, or <code>HWM_TOKEN</code>). It is
          traded for a session cookie and never stored by this page.
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
