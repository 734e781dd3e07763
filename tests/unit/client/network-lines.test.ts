// The network chart's choice: the total of the machine's own links, the busiest interfaces in the
// window, never a bridge port (tap, veth, fwbr…), nothing idle since boot or in the window.
import { describe, expect, test } from "bun:test";
import type { Columns } from "../../../src/client/columns.ts";
import { ifaceRole, networkLines, TOP_IFACES } from "../../../src/client/network-lines.ts";

/** A column over three rows: one number stands for the same value in each row. */
type Row = number | (number | null)[];

/** Columns of rx and tx per interface over three rows (null: no value at that row). */
function columns(ifaces: Record<string, [Row, Row]>): Columns {
  const column = (row: Row) => (typeof row === "number" ? [row, row, row] : row);
  const series = new Map<string, (number | null)[]>();
  for (const [iface, [rx, tx]] of Object.entries(ifaces)) {
    series.set(`network[${iface}].rx_bps`, column(rx));
    series.set(`network[${iface}].tx_bps`, column(tx));
  }
  return { timesMs: [1000, 2000, 3000], series };
}

describe("ifaceRole", () => {
  test("bridges, bridge ports and links by the names Proxmox, Docker and libvirt give them", () => {
    for (const name of ["vmbr0", "vmbr1.100", "br-3f2a9c", "br0", "docker0", "virbr0", "lxcbr0"])
      expect(ifaceRole(name)).toBe("bridge");
    for (const name of [
      "tap100i0",
      "veth101i0",
      "vethab12cd",
      "fwpr100p0",
      "fwln100i0",
      "fwbr100i0",
    ])
      expect(ifaceRole(name)).toBe("port");
    for (const name of ["eth0", "ens18", "enp3s0", "bond0", "wg0", "tailscale0", "wlan0"])
      expect(ifaceRole(name)).toBe("link");
  });
});

describe("networkLines", () => {
  test("a Proxmox host: the total is its links alone; ports are never drawn", () => {
    const net = networkLines(
      columns({
        eno1: [
          [100, 200, 300],
          [10, 20, 30],
        ],
        wg0: [1, 2],
        vmbr0: [
          [90, 190, 290],
          [9, 19, 29],
        ],
        tap100i0: [500, 500],
        fwbr100i0: [400, 400],
        veth101i0: [300, 300],
      }),
      null,
    );
    expect(net.counted).toEqual(["eno1", "wg0"]);
    expect(net.totalRx).toEqual([101, 201, 301]);
    expect(net.totalTx).toEqual([12, 22, 32]);
    // Busiest first; the bridge is drawn (it is the host's own traffic) but not added.
    expect(net.ifaces).toEqual(["eno1", "vmbr0", "wg0"]);
    for (const key of net.ifaces) expect(ifaceRole(key)).not.toBe("port");
  });

  test("at most the top three by traffic in the window", () => {
    const net = networkLines(
      columns({
        eth0: [5, 5],
        eth1: [50, 0],
        eth2: [1, 0],
        eth3: [20, 20],
      }),
      null,
    );
    expect(net.ifaces).toEqual(["eth1", "eth3", "eth0"]);
    expect(net.ifaces.length).toBe(TOP_IFACES);
    expect(net.totalRx).toEqual([76, 76, 76]);
  });

  test("idle since boot (the snapshot's totals) or all window: no line, nothing added", () => {
    const net = networkLines(
      columns({
        eth0: [5, 5],
        eth1: [0, 0],
        dummy0: [0, 0],
        wg0: [1, 1],
      }),
      new Map([
        ["eth0", 10_000],
        ["eth1", 4_000],
        ["dummy0", 0],
        ["wg0", 0],
      ]),
    );
    // wg0 said 0 bytes since boot: the snapshot's word wins over stray window values.
    expect(net.counted).toEqual(["eth0"]);
    expect(net.ifaces).toEqual([]);
  });

  test("a single link is the total: it takes no line of its own beside it", () => {
    const net = networkLines(
      columns({
        ens18: [[3, 4, 5], 1],
        docker0: [1, 1],
      }),
      null,
    );
    expect(net.counted).toEqual(["ens18"]);
    expect(net.totalRx).toEqual([3, 4, 5]);
    expect(net.ifaces).toEqual(["docker0"]);
  });

  test("a row where no counted link has a value stays a gap in the total", () => {
    const net = networkLines(
      columns({
        eth0: [
          [5, null, 5],
          [5, null, 5],
        ],
        eth1: [
          [1, null, null],
          [1, null, 1],
        ],
      }),
      null,
    );
    expect(net.totalRx).toEqual([6, null, 5]);
    expect(net.totalTx).toEqual([6, null, 6]);
  });

  test("a host with traffic only on bridges counts the bridges; nothing at all: no total", () => {
    expect(
      networkLines(
        columns({
          vmbr0: [2, 1],
        }),
        null,
      ).counted,
    ).toEqual(["vmbr0"]);
    expect(networkLines({ timesMs: [], series: new Map() }, null).counted).toEqual([]);
  });
});
