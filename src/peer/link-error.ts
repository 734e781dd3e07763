// Why a receiver could not get an answer from a host, in the terms of the host status and in
// words a user understands: raw socket and TLS error codes are translated here, and text a sender
// chose is quoted with its control characters escaped before it reaches a card, a terminal or a log.

/** "cancelled": we closed the link ourselves (nobody watches); it says nothing about the host. */
export type LinkFailure = "offline" | "timeout" | "unauthorized" | "incompatible" | "cancelled";

export class LinkError extends Error {
  constructor(
    readonly kind: LinkFailure,
    message: string,
    /** The sender asked us to wait this long before trying again (HTTP 429 Retry-After). */
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = "LinkError";
  }
}

export interface RemoteTarget {
  url: string;
  token: string | null;
  fingerprint: string | null;
  ca: string | null;
}

/** How much of a sender's own text (an error message, a close reason) is shown. */
const SENDER_TEXT_CHARS = 160;

/**
 * C0 and C1 controls (ANSI escapes), and the invisible format characters that reorder or hide
 * text (bidi overrides and isolates, zero-width spaces and joiners, the BOM).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A sender's text, safe to show: unsafe characters as \u escapes, cut to a sane length. */
export function senderText(text: string): string {
  const cut = text.length > SENDER_TEXT_CHARS ? `${text.slice(0, SENDER_TEXT_CHARS)}…` : text;
  return cut.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Who is at the other end, and how the user makes it trusted: a receiver's words by default. */
export interface PeerWords {
  peer: string;
  /** Where a certificate's fingerprint is pinned. */
  pin: string;
  /** Where a CA file is given; null where none can be. */
  ca: string | null;
}

export const SENDER_WORDS: PeerWords = {
  peer: "sender",
  pin: "senders[].fingerprint",
  ca: "senders[].ca",
};

/** What went wrong opening a connection to `host` (host:port), from the error's code. */
export function connectFailure(
  err: unknown,
  host: string,
  timeoutMs: number,
  words: PeerWords = SENDER_WORDS,
): LinkError {
  const { peer, pin, ca } = words;
  const code =
    typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
  const message = describe(err);
  const offline = (text: string) => new LinkError("offline", text);
  const refused = (text: string) => new LinkError("unauthorized", text);
  switch (code) {
    case "ECONNREFUSED":
      return offline(`connection refused: nothing listens on ${host} (is hwm running there?)`);
    case "ECONNRESET":
      return offline(`the connection to ${host} was reset`);
    case "EPIPE":
      return offline(`the connection to ${host} broke`);
    case "EHOSTUNREACH":
    case "EHOSTDOWN":
      return offline(`no route to ${host}: the machine is down or unreachable`);
    case "ENETUNREACH":
    case "ENETDOWN":
      return offline(`the network of ${host} is unreachable from this receiver`);
    case "ETIMEDOUT":
      return new LinkError("timeout", `no answer within ${timeoutMs} ms`);
    case "ENOTFOUND":
    case "EAI_NONAME":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return offline(`the name in ${host} does not resolve (DNS)`);
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return refused(
        `the ${peer}'s certificate is self-signed: pin it with ${pin}${ca ? ` or trust its CA with ${ca}` : ""}`,
      );
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "CERT_UNTRUSTED":
    case "CERT_SIGNATURE_FAILURE":
      return refused(
        `the ${peer}'s certificate is not signed by a CA this machine trusts (${ca ?? pin})`,
      );
    case "CERT_HAS_EXPIRED":
      return refused(`the ${peer}'s certificate has expired`);
    case "CERT_NOT_YET_VALID":
      return refused(`the ${peer}'s certificate is not valid yet (check both clocks)`);
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return refused(`the ${peer}'s certificate is for another name than ${host}`);
  }
  if (
    /wrong[ _]version[ _]number|packet[ _]length[ _]too[ _]long|unknown[ _]protocol|http[ _]request/i.test(
      message,
    )
  ) {
    return new LinkError(
      "incompatible",
      `the ${peer} does not speak TLS here: use http:// in its url`,
    );
  }
  return offline(`cannot connect to ${host}: ${senderText(message)}`);
}

/**
 * The other end answered the WebSocket upgrade with `status` instead of 101. The hints about the
 * receiver's config ([[senders]]) are given only in a receiver's words about a sender.
 */
export function upgradeRefused(
  status: number,
  retryAfterS: number | null,
  words: PeerWords = SENDER_WORDS,
): LinkError {
  const { peer } = words;
  const inReceiver = words === SENDER_WORDS;
  if (status === 401) {
    return new LinkError("unauthorized", `the ${peer} refused the token (HTTP 401)`);
  }
  if (status === 403) {
    return new LinkError(
      "unauthorized",
      inReceiver
        ? "the sender refused the connection (HTTP 403): a sender without a token answers on loopback only"
        : `the ${peer} refused the connection (HTTP 403)`,
    );
  }
  if (status === 429) {
    // A sender answers 429 only to an address that sent wrong tokens: the token is the problem.
    // A hostile sender could ask for a year: no more than the sender's own longest back-off.
    const waitS = Math.min(Math.max(1, retryAfterS ?? 60), 300);
    return new LinkError(
      "unauthorized",
      `the ${peer} refused the token too often and makes ${inReceiver ? "this receiver" : "us"} wait ${waitS} s (HTTP 429)`,
      waitS * 1000,
    );
  }
  if (status >= 300 && status < 400) {
    const where = inReceiver ? "senders[].url" : "the URL";
    return new LinkError(
      "incompatible",
      `the ${peer} answered with a redirect (HTTP ${status}), which is never followed: put the ${peer}'s own address in ${where}`,
    );
  }
  if (status === 404) {
    return new LinkError("incompatible", `no hwm ${peer} at this URL (HTTP 404)`);
  }
  if (status >= 500) {
    return new LinkError("offline", `the ${peer} failed to answer (HTTP ${status})`);
  }
  return new LinkError(
    "incompatible",
    `the ${peer} answered HTTP ${status} instead of opening a WebSocket`,
  );
}
