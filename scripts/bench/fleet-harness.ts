// Command line of the fleet simulator (src/demo/fleet.ts), for benchmarks: many fake senders in
// one process, and optionally a receiver config listing them.
// Usage: bun scripts/bench/fleet-harness.ts --senders 200 [--blackholed 20] [--token T]
//          [--config-out fleet.toml] [--receiver-listen 127.0.0.1:PORT] [--interval-ms 1000]
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fleetConfigToml, startFleet } from "../../src/demo/fleet.ts";

export * from "../../src/demo/fleet.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      senders: { type: "string", default: "200" },
      blackholed: { type: "string", default: "0" },
      token: { type: "string" },
      "config-out": { type: "string" },
      "receiver-listen": { type: "string", default: "127.0.0.1:7070" },
      "interval-ms": { type: "string", default: "1000" },
      seed: { type: "string", default: "42" },
      "stats-every-ms": { type: "string", default: "0" },
    },
  });
  const token = values.token ?? randomBytes(32).toString("base64url");
  const fleet = await startFleet({
    senders: Number(values.senders),
    blackholed: Number(values.blackholed),
    token,
    seed: Number(values.seed),
  });
  const configOut = values["config-out"] ?? null;
  if (configOut) {
    writeFileSync(
      configOut,
      fleetConfigToml(fleet.senders, {
        token,
        listen: values["receiver-listen"],
        intervalMs: Number(values["interval-ms"]),
      }),
    );
  }
  // One line, so a parent process can read it as the "ready" signal.
  console.log(JSON.stringify({ token, config: configOut, senders: fleet.senders }));

  const statsEveryMs = Number(values["stats-every-ms"]);
  const statsTimer =
    statsEveryMs > 0
      ? setInterval(
          () => console.log(JSON.stringify({ ts_ms: Date.now(), requests: fleet.requests() })),
          statsEveryMs,
        )
      : null;
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  if (statsTimer) clearInterval(statsTimer);
  await fleet.stop();
  console.error(`fleet-harness: ${signal}: stopped after ${fleet.requests()} requests`);
}

if (import.meta.main) await main();
