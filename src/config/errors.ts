// Errors that mean "the user asked for something we cannot do": the entry maps them to exit code 2.

/** Bad usage or bad input from the command line. Only src/main.ts turns it into an exit code. */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Every problem found in flags, environment and config file, gathered so that a user fixes them
 * all in one round instead of one per run. The message holds one problem per line.
 */
export class ConfigError extends UsageError {
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
    this.problems = [...problems];
  }
}
