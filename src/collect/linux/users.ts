// uid → user name, from the passwd file read once: users are added rarely, processes listed often.
import { parsePasswd } from "./processes.ts";

export class UserNames {
  readonly #load: () => string | null;
  #byUid: Map<number, string> | undefined;

  constructor(load: () => string | null) {
    this.#load = load;
  }

  /** The user's name; an unknown uid (LDAP, a container's own users) as its number. */
  name = (uid: number): string => {
    this.#byUid ??= parsePasswd(this.#load() ?? "");
    return this.#byUid.get(uid) ?? String(uid);
  };
}
