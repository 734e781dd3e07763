// The Host header: whether a request names a loopback address (DNS rebinding, cookie rules), and
// the request's URL, which Bun builds from Host and which does not exist when Host is bad.

/** 127.0.0.0/8, ::1 and localhost, with or without a port, IPv6 in brackets. */
export function isLoopbackHostHeader(host: string | null): boolean {
  if (!host) return false;
  let name = host.trim().toLowerCase();
  if (name.startsWith("[")) {
    const end = name.indexOf("]");
    if (end < 0) return false;
    name = name.slice(1, end);
  } else {
    const colon = name.lastIndexOf(":");
    if (colon >= 0) name = name.slice(0, colon);
  }
  if (name === "localhost" || name === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * The URL of a request, or null when its Host header is missing or malformed: Bun then hands
 * over a bare path ("/healthz") or a URL that does not parse ("http://[bad/"). Such a request
 * is a client's mistake (or a scanner's), to be answered 400, not an internal error.
 */
export function requestUrl(req: Request): URL | null {
  const url = URL.parse(req.url);
  return url !== null && url.host !== "" ? url : null;
}

export const BAD_HOST_MESSAGE = "a valid Host header is required (HOST or HOST:PORT)";
