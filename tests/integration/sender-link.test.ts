// The receiver's link to one sender (RemoteLink over its own WebSocket client), in-process against
// the hostile fake sender and a real sender process: every attack ends as a LinkError whose kind
// is the host's status and whose words say why, within a bounded cost; a frozen sender is noticed
// and the link recovers by itself; socket and TLS errors are translated.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FLEET_SECTIONS } from "../../src/protocol/index.ts";
import { LinkError, RemoteLink } from "../../src/receiver/link.ts";
import { startFreezingProxy } from "../helpers/freezing-proxy.ts";
import { ESCAPES, type HostileMode, startHostileSender } from "../helpers/hostile-sender.ts";
import { startHwm, startSender, TOKEN } from "../helpers/process.ts";
import { selfSignedCert } from "../helpers/tls.ts";

const hostile = startHostileSender();
const dir = mkdtempSync(join(tmpdir(), "hwm-link-"));
const cleanups: (() => unknown)[] = [() => hostile.stop()];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const MAX_MESSAGE_BYTES = 1_048_576;

function linkTo(
  url: string,
  options: { token?: string | null; fingerprint?: string; ca?: string } = {},
) {
  const link = new RemoteLink(
    {
      url,
      token: options.token === undefined ? TOKEN : options.token,
      fingerprint: options.fingerprint ?? null,
      ca: options.ca ?? null,
    },
    { maxMessageBytes: MAX_MESSAGE_BYTES },
  );
  cleanups.push(() => link.close());
  return link;
}

/** The LinkError a snapshot request ends with, and how long it took. */
async function failure(
  link: RemoteLink,
  timeoutMs = 2000,
): Promise<{ error: LinkError; ms: number }> {
  const startMs = performance.now();
  try {
    await link.snapshot(FLEET_SECTIONS, timeoutMs);
  } catch (err) {
    if (!(err instanceof LinkError)) throw err;
    return { error: err, ms: performance.now() - startMs };
  }
  throw new Error("the request succeeded");
}

const hostileLink = (mode: HostileMode) => linkTo(hostile.url(mode));

describe("hostile senders", () => {
  test("a 120 MB message is refused on its declared length, before its payload is read", async () => {
    const { error, ms } = await failure(hostileLink("oversized"));
    expect(error.kind).toBe("incompatible");
    expect(error.message).toContain(`over ${MAX_MESSAGE_BYTES} bytes (max_message_bytes)`);
    expect(ms).toBeLessThan(1000);
    await Bun.sleep(100);
    const stats = hostile.stats("oversized");
    // What the fake sender got into the kernel before the reset: socket buffers, not 120 MB.
    expect(stats.bytesWritten).toBeLessThan(16 * 1024 * 1024);
    expect(stats.closes).toBe(1);
  });

  test("120 MB in small fragments is cut when the sum passes the cap", async () => {
    const { error } = await failure(hostileLink("fragments"));
    expect(error.kind).toBe("incompatible");
    expect(error.message).toContain("max_message_bytes");
    await Bun.sleep(100);
    expect(hostile.stats("fragments").bytesWritten).toBeLessThan(16 * 1024 * 1024);
  });

  test("a compression the receiver did not offer is refused at the handshake: no deflate bomb", async () => {
    const { error } = await failure(hostileLink("bomb"));
    expect(error.kind).toBe("incompatible");
    expect(error.message).toContain("extension that was not offered (permessage-deflate");
  });

  test("deep nesting and 150 000 cores under the byte cap end as incompatible, cheaply", async () => {
    const nested = await failure(hostileLink("nested"));
    expect(nested.error).toMatchObject({
      kind: "incompatible",
      message: "the sender sent JSON nested deeper than 16 levels",
    });
    // Refused before JSON.parse builds 400 000 nested arrays (40 MB).
    expect(nested.ms).toBeLessThan(100);
    const wide = await failure(hostileLink("wide"));
    expect(wide.error.kind).toBe("incompatible");
    expect(wide.error.message).toContain("data.cpu.cores_pct: at most 8192 items, got 150000");
    expect(wide.ms).toBeLessThan(200);
  });

  test("a redirect is never followed, and its target is not revealed", async () => {
    const { error } = await failure(hostileLink("redirect"));
    expect(error.kind).toBe("incompatible");
    expect(error.message).toContain("redirect (HTTP 302), which is never followed");
    expect(error.message).not.toMatch(/127\.0\.0\.1|:\d{2,5}/);
    await Bun.sleep(100);
    expect(hostile.redirectTargetConnections()).toBe(0);
  });

  test("a refusal's body (a 100 MB gzip bomb) is never read", async () => {
    const { error, ms } = await failure(hostileLink("gzip-401"));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toBe("the sender refused the token (HTTP 401)");
    expect(ms).toBeLessThan(500);
  });

  test("429 is a refused token, not a dead host, and its Retry-After is honoured", async () => {
    const link = hostileLink("throttled");
    const { error } = await failure(link);
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toContain("the sender refused the token too often");
    expect(error.message).toContain("wait 30 s (HTTP 429)");
    // Asked again at once, the link waits instead of knocking.
    const again = await failure(link);
    expect(again.error.message).toBe(error.message);
    expect(hostile.stats("throttled").connections).toBe(1);
  });

  test("a sender's error text reaches last_error with its escapes neutralised", async () => {
    const { error } = await failure(hostileLink("escapes"));
    expect(error.kind).toBe("incompatible");
    expect(error.message).toStartWith("the sender answered internal: ");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not get through
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(error.message).toContain("\\u001b[2J");
    expect(ESCAPES).toContain("\u001b");
  });

  test("a connection that stops answering is dropped, and pings are answered", async () => {
    const link = hostileLink("silent");
    const first = await failure(link, 300);
    expect(first.error).toMatchObject({ kind: "timeout", message: "no answer within 300 ms" });
    await Bun.sleep(100);
    const stats = hostile.stats("silent");
    expect(stats.pongs).toBe(1);
    expect(stats.closes).toBe(1);
    await failure(link, 300);
    expect(stats.connections).toBe(2); // a fresh connection, not the dead one
  });
});

describe("a frozen real sender", () => {
  test("SIGSTOP: timeouts within the interval, and a new connection answers after SIGCONT", async () => {
    const sender = await startSender();
    cleanups.push(() => sender.stop());
    const link = linkTo(sender.url);
    const intervalMs = 500;
    const timeoutMs = intervalMs * 0.8;
    await link.snapshot(FLEET_SECTIONS, 3000);
    sender.proc.kill("SIGSTOP");
    cleanups.push(() => sender.proc.kill("SIGCONT"));
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round++) {
      const roundStart = Date.now();
      const { error } = await failure(link, timeoutMs);
      outcomes.push(error.kind);
      await Bun.sleep(Math.max(0, intervalMs - (Date.now() - roundStart)));
    }
    expect(outcomes).toEqual(["timeout", "timeout", "timeout"]);
    sender.proc.kill("SIGCONT");
    let answered = false;
    for (let round = 0; round < 10 && !answered; round++) {
      try {
        await link.snapshot(FLEET_SECTIONS, timeoutMs);
        answered = true;
      } catch {
        await Bun.sleep(intervalMs);
      }
    }
    expect(answered).toBe(true);
  });
});

describe("a connection that dies silently", () => {
  test("a request that times out drops the connection; the next one gets through on a new one", async () => {
    const sender = await startSender();
    cleanups.push(() => sender.stop());
    const proxy = await startFreezingProxy(sender.url);
    cleanups.push(() => proxy.stop());
    const link = linkTo(proxy.url);
    await link.snapshot(FLEET_SECTIONS, 3000);
    await link.snapshot(FLEET_SECTIONS, 400);
    expect(proxy.connections()).toBe(1);
    proxy.freeze(); // a NAT forgets the mapping: no close, no reset, nothing gets through
    const { error } = await failure(link, 400);
    expect(error).toMatchObject({ kind: "timeout", message: "no answer within 400 ms" });
    await link.snapshot(FLEET_SECTIONS, 400);
    expect(proxy.connections()).toBe(2);
  });
});

describe("connection errors in words", () => {
  test("nothing listening", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = closed.port;
    closed.stop(true);
    const { error } = await failure(linkTo(`http://127.0.0.1:${port}`));
    expect(error).toMatchObject({
      kind: "offline",
      message: `connection refused: nothing listens on 127.0.0.1:${port} (is hwm running there?)`,
    });
  });

  test("a 404 is not a sender", async () => {
    const { error } = await failure(linkTo(`http://127.0.0.1:${hostile.port}/elsewhere`));
    expect(error).toMatchObject({
      kind: "incompatible",
      message: "no hwm sender at this URL (HTTP 404)",
    });
  });

  test("TLS: a self-signed certificate, a wrong pin, https to a plain sender", async () => {
    const { cert, key, fingerprint } = selfSignedCert(dir);
    const config = join(dir, "tls-sender.toml");
    writeFileSync(
      config,
      `role = "sender"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\n[tls]\ncert = "${cert}"\nkey = "${key}"\n`,
    );
    const sender = await startHwm(["--config", config, "--no-tui"]);
    cleanups.push(() => sender.stop());

    const unverified = await failure(linkTo(sender.url));
    expect(unverified.error.kind).toBe("unauthorized");
    expect(unverified.error.message).toContain("self-signed: pin it with senders[].fingerprint");

    const wrongPin = `sha256:${"ab".repeat(32)}`;
    const pinned = await failure(linkTo(sender.url, { fingerprint: wrongPin }));
    expect(pinned.error.kind).toBe("unauthorized");
    expect(pinned.error.message).toContain("does not match the pinned fingerprint");

    // The right pin and the CA file both work.
    await linkTo(sender.url, { fingerprint }).snapshot(FLEET_SECTIONS, 3000);
    await linkTo(sender.url, { ca: cert }).snapshot(FLEET_SECTIONS, 3000);

    const plain = await startSender();
    cleanups.push(() => plain.stop());
    const wrongScheme = await failure(linkTo(plain.url.replace("http:", "https:")));
    expect(wrongScheme.error.message).toBe(
      "the sender does not speak TLS here: use http:// in its url",
    );
  });
});
