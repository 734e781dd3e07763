// Where the history file goes when the config names none: the service's state directory under
// systemd (StateDirectory=hwm), else the XDG state directory of the user running hwm.
import { join } from "node:path";

export function defaultHistoryPath(env: Record<string, string | undefined>): string {
  // systemd sets STATE_DIRECTORY (a colon-separated list when a unit has several).
  const stateDirectory = env.STATE_DIRECTORY?.split(":")[0];
  if (stateDirectory) return join(stateDirectory, "history.db");
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  if (xdg?.startsWith("/")) return join(xdg, "hwm", "history.db");
  return join(env.HOME || "/tmp", ".local", "state", "hwm", "history.db");
}
