// The node URL a user typed, made into a base URL: "host:port" gets http://, a wildcard listen
// address becomes loopback, the trailing slash goes. No renderer here: the commands import it.

export const DEFAULT_NODE_URL = "http://127.0.0.1:7070";

/** Whether `text` is meant as an address rather than a profile name. */
export function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes(":") || text.includes("/");
}

/** A base URL ("http://10.0.0.5:7070"), or a sentence saying what is wrong with `text`. */
export function normalizeNodeUrl(text: string): string | { problem: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return {
      problem: `expected a node URL such as http://10.0.0.5:7070, got ${JSON.stringify(text)}`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { problem: `expected an http:// or https:// URL, got ${JSON.stringify(text)}` };
  }
  if (url.username || url.password || url.search || url.hash) {
    return {
      problem: `a node URL has no user, query or fragment (the token goes in --token), got ${JSON.stringify(text)}`,
    };
  }
  // A node listening on every address is reached on loopback from the same machine.
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (url.hostname === "[::]") url.hostname = "[::1]";
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
