// The hardened systemd unit and the config file `hwm service` writes: pure text, testable.
import { RUNTIME_ENV } from "../commands/runtime-env.ts";
import type { Role } from "../config/index.ts";

export const UNIT_NAME = "hwm.service";
export const UNIT_PATH = `/etc/systemd/system/${UNIT_NAME}`;
export const CONFIG_PATH = "/etc/hwm/hwm.toml";
export const BINARY_PATH = "/usr/local/bin/hwm";
/** The service's own system user, made by systemd-sysusers from this file. */
export const SYSUSERS_PATH = "/etc/sysusers.d/hwm.conf";
export const SYSUSERS_TEXT = 'u hwm - "hwm hardware monitor" /var/lib/hwm /usr/sbin/nologin\n';
/** Where systemd hands files over (LoadCredential): readable by the service alone. */
const CREDENTIALS_DIR = `/run/credentials/${UNIT_NAME}`;
export const CREDENTIAL_TOKEN_PATH = `${CREDENTIALS_DIR}/token`;
export const CREDENTIAL_DASHBOARD_TOKEN_PATH = `${CREDENTIALS_DIR}/dashboard-token`;

export interface ServiceOptions {
  role: Role;
  listen: string;
  /** A root-only file holding the token, passed in by systemd; null: loopback without a token. */
  tokenFile: string | null;
  /** A root-only file holding the dashboard's own login secret (receiver, both); null: none. */
  dashboardTokenFile: string | null;
  /** Certificate and key to serve https with, handed over like the token; null: plain http. */
  tls: { cert: string; key: string } | null;
  binaryPath: string;
  configPath: string;
}

export function unitText(o: ServiceOptions): string {
  const lines = [
    "# Written by `hwm service install`; `hwm service print` shows what it would write.",
    "[Unit]",
    `Description=hwm hardware monitor (${o.role})`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=exec",
    `ExecStart=${o.binaryPath} --config ${o.configPath} --no-tui`,
    // Set here, the node does not need to restart itself to get them (runtime-env.ts).
    ...Object.entries(RUNTIME_ENV).map(([name, value]) => `Environment=${name}=${value}`),
    "ExecReload=/bin/kill -HUP $MAINPID",
    "Restart=on-failure",
    "RestartSec=2s",
    ...(o.tokenFile ? [`LoadCredential=token:${o.tokenFile}`] : []),
    ...(o.dashboardTokenFile ? [`LoadCredential=dashboard-token:${o.dashboardTokenFile}`] : []),
    ...(o.tls
      ? [`LoadCredential=tls-cert:${o.tls.cert}`, `LoadCredential=tls-key:${o.tls.key}`]
      : []),
    "",
    `# Its own system user (${SYSUSERS_PATH}); nothing to write but its state directory (the history`,
    "# database). Not DynamicUser: dbus-daemon drops dynamic users, and systemctl then cannot list",
    "# failed units for the health section (seen on Debian 12 with systemd 252).",
    "User=hwm",
    "Group=hwm",
    "StateDirectory=hwm",
    "NoNewPrivileges=yes",
    "CapabilityBoundingSet=",
    "AmbientCapabilities=",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateMounts=yes",
    "# /proc/sys and /sys stay readable for the collectors, but read-only.",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "RemoveIPC=yes",
    "# No devices but /dev/null, /dev/urandom and the like, and those nvidia-smi opens.",
    "DevicePolicy=closed",
    "DeviceAllow=char-nvidia* rw",
    "# zpool status (the health section) talks to ZFS through /dev/zfs; changing a pool needs",
    "# capabilities this unit does not have. Disks stay closed: S.M.A.R.T. needs a drop-in (docs/HEALTH.md).",
    "DeviceAllow=/dev/zfs rw",
    "# The calls of a network service, less privileged ones and resource changes; any other",
    "# fails with EPERM rather than killing the node.",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallFilter=~@privileged @resources",
    "SystemCallErrorNumber=EPERM",
    "# Listening, and HTTP(S) out to senders and notifiers; AF_UNIX for name lookups (nss, resolved).",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "UMask=0077",
    "# Left open on purpose: the collectors read /proc/stat, /proc/meminfo and every /proc/<pid>",
    "# (ProcSubset, ProtectProc) and name the owners of processes (PrivateUsers); nvidia-smi needs /dev/nvidia*",
    "# (PrivateDevices); the JIT needs W+X pages (MemoryDenyWriteExecute); notifiers and senders",
    "# may be anywhere (PrivateNetwork, IPAddressDeny). `systemd-analyze security hwm` says 1.6.",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ];
  return lines.join("\n");
}

export function configText(o: ServiceOptions): string {
  const lines = [
    "# hwm configuration, written by `hwm service install`. Check edits with `hwm check-config`.",
    `role = "${o.role}"`,
    `listen = "${o.listen}"`,
    ...(o.tokenFile
      ? [`token_file = "${CREDENTIAL_TOKEN_PATH}"   # systemd passes ${o.tokenFile} here`]
      : []),
  ];
  if (o.tls) {
    lines.push(
      "",
      `[tls]                              # systemd passes ${o.tls.cert} and ${o.tls.key} here`,
      `cert = "${CREDENTIALS_DIR}/tls-cert"`,
      `key = "${CREDENTIALS_DIR}/tls-key"`,
    );
  }
  if (o.dashboardTokenFile) {
    lines.push(
      "",
      `[dashboard]                        # systemd passes ${o.dashboardTokenFile} here`,
      `token_file = "${CREDENTIAL_DASHBOARD_TOKEN_PATH}"`,
    );
  }
  if (o.role !== "sender") {
    lines.push(
      "",
      "# Add one block per machine; the receiver picks edits up without a restart.",
      "# [[senders]]",
      '# name = "pve-web"',
      '# url = "http://10.0.0.12:7070"',
    );
  }
  return `${lines.join("\n")}\n`;
}
