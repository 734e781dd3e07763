// `hwm check-config FILE`: validate a config file; "FILE: ok", or every problem and exit code 2.
import { defineCommand } from "citty";
import { ConfigError, checkConfigFile } from "../config/index.ts";

export default defineCommand({
  meta: {
    name: "check-config",
    description: 'Validate a config file: print every problem (exit 2) or "FILE: ok" (exit 0).',
  },
  args: {
    file: { type: "positional", required: true, description: "The TOML config file to check." },
  },
  run({ args }) {
    const problems = checkConfigFile(args.file);
    // Thrown, not exited: src/main.ts prints the problems and maps ConfigError to exit code 2.
    if (problems.length > 0) throw new ConfigError(problems);
    console.log(`${args.file}: ok`);
  },
});
