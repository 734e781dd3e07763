// The flags of the default command, shared by the citty root and `hwm run`: the one place they
// are written. Their types (config CliFlags) follow from these definitions, and the README's
// command line is checked against the --help they make (tests/integration/usage.test.ts).
import type { ArgsDef } from "citty";

export const runArgs = {
  role: {
    type: "string",
    description: "sender | receiver | both (default both)",
    valueHint: "ROLE",
  },
  config: { type: "string", description: "TOML config file (env HWM_CONFIG)", valueHint: "FILE" },
  listen: {
    type: "string",
    description: "address to serve on (default 127.0.0.1:7070)",
    valueHint: "HOST:PORT",
  },
  token: {
    type: "string",
    description:
      "the fleet token (every local user sees it in ps: prefer --token-file or env HWM_TOKEN); make one with `hwm token`",
    valueHint: "TOKEN",
  },
  "token-file": {
    type: "string",
    description: "read the fleet token from FILE (mode 0600)",
    valueHint: "FILE",
  },
  "interval-ms": {
    type: "string",
    description: "poll interval of a receiver (default 1000)",
    valueHint: "N",
  },
  tui: {
    type: "boolean",
    default: true,
    description: "show the terminal dashboard when stdout is a terminal",
    negativeDescription: "run headless, logging one line per event",
  },
  "log-level": {
    type: "string",
    description: "debug | info | warn | error (default info)",
    valueHint: "LEVEL",
  },
  procfs: {
    type: "string",
    description: "where to read /proc from (a host's, mounted in a container)",
    valueHint: "PATH",
  },
  sysfs: { type: "string", description: "where to read /sys from", valueHint: "PATH" },
  "pve-dir": {
    type: "string",
    description: "where Proxmox VE keeps its guest configs (default /etc/pve)",
    valueHint: "PATH",
  },
} satisfies ArgsDef;
