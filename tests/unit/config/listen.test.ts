// Listen addresses ("HOST:PORT", [IPv6]:port) and which hosts count as loopback.
import { describe, expect, test } from "bun:test";
import * as net from "node:net";
import {
  formatListen,
  isIPv4,
  isIPv6,
  isLoopbackHost,
  parseListen,
} from "../../../src/config/listen.ts";

describe("parseListen", () => {
  test.each([
    ["127.0.0.1:7070", "127.0.0.1", 7070],
    ["0.0.0.0:0", "0.0.0.0", 0],
    ["myhost.lan:65535", "myhost.lan", 65535],
    ["localhost:80", "localhost", 80],
    ["[::1]:7070", "::1", 7070],
    ["[::]:7070", "::", 7070],
    ["[fe80::1]:1", "fe80::1", 1],
  ])("%p is host %p port %p", (text, host, port) => {
    expect(parseListen(text)).toEqual({ host, port });
  });

  test.each([
    ["0.0.0.0", "(no port)"],
    ["host:65536", '(port "65536" is not a number from 0 to 65535)'],
    ["host:-1", '(port "-1" is not a number from 0 to 65535)'],
    ["host:", '(port "" is not a number from 0 to 65535)'],
    [":7070", '(no host; "0.0.0.0:7070" means every IPv4 interface)'],
    ["::1:7070", '(IPv6 addresses go in brackets, as in "[::1]:7070")'],
    ["10.0.0.256:80", '("10.0.0.256" is neither an IPv4 address nor a host name)'],
    ["bad_host:80", '("bad_host" is neither an IPv4 address nor a host name)'],
    ["[nope]:80", '("nope" is not an IPv6 address)'],
    ["[::1]7070", '"[::1]7070"'],
  ])("%p is refused, saying %p", (text, why) => {
    const result = parseListen(text);
    expect(typeof result).toBe("string");
    expect(result as string).toStartWith("expected HOST:PORT with a port from 0 to 65535");
    expect(result as string).toContain(`got ${JSON.stringify(text)}`);
    expect(result as string).toEndWith(why);
  });

  test("formatListen brackets IPv6 again", () => {
    expect(formatListen({ host: "::1", port: 7070 })).toBe("[::1]:7070");
    expect(formatListen({ host: "10.0.0.1", port: 80 })).toBe("10.0.0.1:80");
  });
});

describe("isLoopbackHost", () => {
  test.each([
    "127.0.0.1",
    "127.1.2.3",
    "127.255.255.255",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "localhost",
    "LocalHost",
  ])("%p is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  test.each([
    "0.0.0.0",
    "192.168.1.1",
    "10.0.0.1",
    "128.0.0.1",
    "127.0.0.256",
    "::",
    "::2",
    "1::1",
    "::ffff:10.0.0.1",
    "myhost",
    "localhost.example.com",
    "",
  ])("%p is not loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("isIPv4 and isIPv6", () => {
  test("agree with node:net on every spelling, odd ones included", () => {
    const cases = [
      ...["1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5"],
      ...["::", "::1", "2001:db8::1", "FE80::A", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9"],
      ...["1::2::3", "12345::", "g::1", "::ffff:127.0.0.1", "::ffff:1.2.3", "::ffff:01.2.3.4"],
      ...["::ffff:1.2.3.256", "fe80::1%eth0", "fe80::1%25", "::1%", "[::1]", "::1]/x[", "", ":"],
      ...[" ::1", "::1 ", "localhost", "example.com"],
    ];
    for (const text of cases) {
      expect([text, isIPv4(text), isIPv6(text)]).toEqual([
        text,
        net.isIPv4(text),
        net.isIPv6(text),
      ]);
    }
  });
});
