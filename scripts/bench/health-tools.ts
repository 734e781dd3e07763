// Stand-ins for smartctl, zpool and systemctl, for the health benchmark and tests: shell scripts
// that print outputs captured from real machines (tests/fixtures/health/) for a failing SATA
// disk, an NVMe disk, a degraded pool and failed units, in a directory to put on PATH alone.
import { appendFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const HEALTH = resolve(import.meta.dir, "../../tests/fixtures/health");

/** Writes the three tools (and the cat and sleep they may use) into `bin`; with `log`, each run appends a line to it. */
export function writeHealthTools(bin: string, log?: string): void {
  mkdirSync(bin, { recursive: true });
  for (const command of ["cat", "sleep"]) {
    symlinkSync(Bun.which(command) ?? `/bin/${command}`, join(bin, command));
  }
  const tools: Record<string, string> = {
    smartctl: `case "$*" in
  *--scan*) cat ${HEALTH}/smartctl-scan.json ;;
  */dev/sda) cat ${HEALTH}/smartctl-failing.json ;;
  *) cat ${HEALTH}/smartctl-nvme.json ;;
esac`,
    zpool: `cat ${HEALTH}/zpool-degraded.txt`,
    systemctl: `cat ${HEALTH}/systemctl-failed.json`,
  };
  if (log) appendFileSync(log, "");
  for (const [name, body] of Object.entries(tools)) {
    const logLine = log ? `echo "${name} $*" >> ${log}\n` : "";
    writeFileSync(join(bin, name), `#!/bin/sh\n${logLine}${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
}
