// A TCP proxy in front of a real sender that can make its open connections die silently, as a
// NAT that forgets a mapping or a cable pulled mid-way does: nothing more gets through, and
// nothing is closed or reset. New connections get through as before.
import type { Socket } from "bun";

export interface FreezingProxy {
  url: string;
  /** Connections opened so far. */
  connections(): number;
  /** Every connection open now stops carrying bytes, both ways, without a close. */
  freeze(): void;
  /** New connections are accepted but carry nothing (the path is down) until unblock(). */
  block(): void;
  unblock(): void;
  stop(): void;
}

interface Pipe {
  frozen: boolean;
  upstream: Socket<Pipe> | null;
  /** Bytes from the client before the upstream connection was ready. */
  early: Uint8Array[];
  client: Socket<Pipe> | null;
}

export async function startFreezingProxy(target: string): Promise<FreezingProxy> {
  const { hostname, port } = new URL(target);
  const pipes = new Set<Pipe>();
  let opened = 0;
  let blocked = false;
  const server = Bun.listen<Pipe>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      async open(client) {
        opened += 1;
        const pipe: Pipe = { frozen: blocked, upstream: null, early: [], client };
        client.data = pipe;
        pipes.add(pipe);
        if (blocked) return;
        pipe.upstream = await Bun.connect<Pipe>({
          hostname,
          port: Number(port),
          data: pipe,
          socket: {
            data(_upstream, chunk) {
              if (!pipe.frozen) pipe.client?.write(chunk);
            },
            close() {
              if (!pipe.frozen) pipe.client?.end();
            },
            error() {},
          },
        });
        for (const chunk of pipe.early) pipe.upstream.write(chunk);
        pipe.early = [];
      },
      data(client, chunk) {
        const pipe = client.data;
        if (pipe.frozen) return;
        if (pipe.upstream) pipe.upstream.write(chunk);
        else pipe.early.push(new Uint8Array(chunk));
      },
      close(client) {
        const pipe = client.data;
        pipes.delete(pipe);
        if (!pipe.frozen) pipe.upstream?.end();
      },
      error() {},
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    connections: () => opened,
    freeze() {
      for (const pipe of pipes) pipe.frozen = true;
    },
    block() {
      blocked = true;
    },
    unblock() {
      blocked = false;
    },
    stop() {
      for (const pipe of pipes) {
        pipe.upstream?.end();
        pipe.client?.end();
      }
      server.stop(true);
    },
  };
}
