// The listen address: parsing "HOST:PORT" (IPv4, hostname or [IPv6]:port) and telling loopback
// hosts apart, because a node without a token may only listen on loopback.
// (Not node:net's isIPv4/isIPv6: a sender has no other use for node:net and its streams.)

export interface ListenAddress {
  /** IPv6 without brackets, as Bun.serve wants it. */
  host: string;
  port: number;
}

const EXPECTED =
  'HOST:PORT with a port from 0 to 65535, such as "127.0.0.1:7070", "0.0.0.0:7070", "myhost:7070" or "[::1]:7070"';

// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

const IPV4_OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

/** Dotted-quad IPv4, no leading zeros: what node:net's isIPv4 accepts. */
export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** IPv6, embedded IPv4 and a zone ("fe80::1%eth0") allowed: what node:net's isIPv6 accepts. */
export function isIPv6(text: string): boolean {
  const percent = text.indexOf("%");
  if (percent >= 0 && !/^[\w.-]+$/.test(text.slice(percent + 1))) return false;
  const address = percent < 0 ? text : text.slice(0, percent);
  if (!address.includes(":") || !/^[\da-f:.]+$/i.test(address)) return false;
  // The URL parser knows every IPv6 spelling, and refuses what is not one.
  return URL.canParse(`http://[${address}]/`);
}

/** Why `text` is no listen address, or null when it is one. */
function listenFlaw(text: string): string | null {
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0 || text[end + 1] !== ":") return "";
    host = text.slice(1, end);
    portText = text.slice(end + 2);
    if (!isIPv6(host)) return `${JSON.stringify(host)} is not an IPv6 address`;
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) return "no port";
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    // "::1:7070" is ambiguous (is 7070 the last group?), which is why URLs bracket IPv6 too.
    if (host.includes(":")) return `IPv6 addresses go in brackets, as in "[::1]:7070"`;
    if (host === "") return `no host; "0.0.0.0:${portText}" means every IPv4 interface`;
    // All digits and dots is meant as an IPv4 address, never a host name: "10.0.0.256" is a typo.
    if (/^[\d.]+$/.test(host) ? !isIPv4(host) : !HOSTNAME.test(host)) {
      return `${JSON.stringify(host)} is neither an IPv4 address nor a host name`;
    }
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    return `port ${JSON.stringify(portText)} is not a number from 0 to 65535`;
  return null;
}

/** The address, or the complete "expected …, got …" sentence for the caller to place. */
export function parseListen(text: string): ListenAddress | string {
  const flaw = listenFlaw(text);
  if (flaw !== null) {
    return `expected ${EXPECTED}, got ${JSON.stringify(text)}${flaw ? ` (${flaw})` : ""}`;
  }
  // listenFlaw accepted it, so the last colon separates the port and brackets mark IPv6.
  const colon = text.lastIndexOf(":");
  const host = text.slice(0, colon);
  return {
    host: host.startsWith("[") ? host.slice(1, -1) : host,
    port: Number(text.slice(colon + 1)),
  };
}

/** "HOST:PORT" again, with brackets around IPv6, for messages and logs. */
export function formatListen(address: ListenAddress): string {
  return address.host.includes(":")
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

/** The eight 16-bit groups of an address that isIPv6 accepted (embedded IPv4 included). */
function ipv6Groups(address: string): number[] {
  // "::ffff:127.0.0.1" → "::ffff:7f00:1", so only one spelling is left to expand.
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => {
    const hex = (hi: string, lo: string): string => ((Number(hi) << 8) | Number(lo)).toString(16);
    return `${hex(a, b)}:${hex(c, d)}`;
  });
  const parse = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16));
  const [head = "", tail] = text.split("::");
  if (tail === undefined) return parse(head);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function isLoopbackIPv4(address: string): boolean {
  return isIPv4(address) && address.split(".")[0] === "127";
}

/** 127.0.0.0/8, ::1 (in any spelling, also IPv4-mapped 127.x) and localhost. */
export function isLoopbackHost(host: string): boolean {
  let name = host.trim().toLowerCase();
  if (name.startsWith("[") && name.endsWith("]")) name = name.slice(1, -1);
  if (name === "localhost" || name === "localhost.") return true;
  if (isLoopbackIPv4(name)) return true;
  if (!isIPv6(name) || name.includes("%")) return false;
  const groups = ipv6Groups(name);
  if (groups.length !== 8) return false;
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true;
  // ::ffff:127.x.y.z reaches the IPv4 loopback through a dual-stack socket.
  return (
    groups.slice(0, 5).every((g) => g === 0) &&
    groups[5] === 0xffff &&
    groups[6] !== undefined &&
    groups[6] >> 8 === 127
  );
}
