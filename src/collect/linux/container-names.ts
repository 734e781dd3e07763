// Names and images of containers: from the Docker API over its unix socket when it answers (read
// only: GET /containers/json, nothing else), else from the runtime's state files. Podman's are
// always read from its state file: its socket is socket-activated, so a question starts a
// `podman system service` that exits again 5 s after answering (in the lab VM, docs/LAB.md, the
// answer came after the 500 ms deadline every time, and the section failed).
// A socket that hangs or answers nonsense fails the containers section with its reason, and is
// not asked again for a while, so that it delays at most one snapshot in DOCKER_API_BACKOFF_MS.
import { existsSync } from "node:fs";
import * as v from "valibot";
import { describeIssues, PROTOCOL_CAPS } from "../../protocol/index.ts";
import { type Clock, throttled } from "../clock.ts";
import {
  CONTAINER_NAMES_RETRY_MS,
  CONTAINER_NAMES_TTL_MS,
  DOCKER_API_BACKOFF_MS,
  DOCKER_API_TIMEOUT_MS,
} from "../constants.ts";
import type { MaybePromise } from "../maybe.ts";
import { hostFileCandidates, type Roots, readFirst } from "./roots.ts";

export interface ContainerMeta {
  name: string | null;
  image: string | null;
  /** docker pause: the API says so; state files (and so Podman) do not tell. */
  paused: boolean;
}

const ApiContainersSchema = v.pipe(
  v.array(
    v.looseObject({
      Id: v.string(),
      Names: v.optional(v.nullable(v.array(v.string()))),
      Image: v.optional(v.nullable(v.string())),
      State: v.optional(v.nullable(v.string())),
    }),
  ),
  v.maxLength(PROTOCOL_CAPS.containers),
);

/** Docker's name has a leading "/" ("/web"); names are cut to what the wire carries. */
function cleanName(name: string | null | undefined): string | null {
  if (!name) return null;
  return (name.startsWith("/") ? name.slice(1) : name).slice(0, PROTOCOL_CAPS.nameChars) || null;
}

/** GET /containers/json over a unix socket, with a deadline; throws a sentence on failure. */
export async function fetchApiContainers(
  socket: string,
  timeoutMs: number,
): Promise<Map<string, ContainerMeta>> {
  let response: Response;
  try {
    response = await fetch("http://localhost/containers/json", {
      unix: socket,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      throw new ApiFailure(`no answer within ${timeoutMs} ms`);
    }
    throw new ApiUnreachable(error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new ApiFailure(`answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiFailure("answered with something that is not JSON");
  }
  const parsed = v.safeParse(ApiContainersSchema, body);
  if (!parsed.success) throw new ApiFailure(`unexpected answer: ${describeIssues(parsed.issues)}`);
  const out = new Map<string, ContainerMeta>();
  for (const c of parsed.output) {
    out.set(c.Id, {
      name: cleanName(c.Names?.[0]),
      image: cleanName(c.Image),
      paused: c.State === "paused",
    });
  }
  return out;
}

/** The API answered wrongly or not in time: the section fails with this. */
class ApiFailure extends Error {}
/** No API here (no socket, refused, no permission): names come from the state files instead. */
class ApiUnreachable extends Error {}

/** One runtime's API socket: answers kept for a while, failures remembered for the back-off. */
class ApiNames {
  readonly #socket: string;
  readonly #clock: Clock;
  #answer: { byId: Map<string, ContainerMeta>; atMs: number } | undefined;
  #failure: { message: string; atMs: number } | undefined;
  #asking: Promise<void> | undefined;

  constructor(socket: string, clock: Clock) {
    this.#socket = socket;
    this.#clock = clock;
  }

  /**
   * The API's names, at once when the last answer is fresh and knows every id; else a promise of
   * a new answer. null: the API cannot be reached (fall back to state files). Throws the
   * remembered failure during the back-off.
   */
  names(ids: readonly string[]): MaybePromise<Map<string, ContainerMeta> | null> {
    const now = this.#clock.nowMs();
    const failure = this.#failure;
    if (failure && now - failure.atMs < DOCKER_API_BACKOFF_MS) throw new Error(failure.message);
    const answer = this.#answer;
    const age = answer ? now - answer.atMs : Number.POSITIVE_INFINITY;
    const complete = answer !== undefined && ids.every((id) => answer.byId.has(id));
    if (answer && age < CONTAINER_NAMES_TTL_MS && (complete || age < CONTAINER_NAMES_RETRY_MS)) {
      return answer.byId;
    }
    this.#asking ??= this.#ask().finally(() => {
      this.#asking = undefined;
    });
    return this.#asking.then(() => {
      if (this.#failure) throw new Error(this.#failure.message);
      return this.#answer?.byId ?? null;
    });
  }

  async #ask(): Promise<void> {
    try {
      const byId = await fetchApiContainers(this.#socket, DOCKER_API_TIMEOUT_MS);
      this.#answer = { byId, atMs: this.#clock.nowMs() };
      this.#failure = undefined;
    } catch (error) {
      this.#answer = undefined;
      if (error instanceof ApiFailure) {
        const retryS = Math.round(DOCKER_API_BACKOFF_MS / 1000);
        this.#failure = {
          message: `container API at ${this.#socket}: ${error.message}; asked again in ${retryS} s`,
          atMs: this.#clock.nowMs(),
        };
      }
    }
  }
}

const DockerConfigSchema = v.looseObject({
  Name: v.optional(v.string()),
  Config: v.optional(v.looseObject({ Image: v.optional(v.string()) })),
});

const PodmanContainersSchema = v.array(
  v.looseObject({
    id: v.string(),
    names: v.optional(v.array(v.string())),
    metadata: v.optional(v.string()),
  }),
);
const PodmanMetadataSchema = v.looseObject({ "image-name": v.optional(v.string()) });

/** /var/lib/docker/containers/<id>/config.v2.json: "Name": "/web", "Config": {"Image": ...}. */
export function parseDockerConfig(text: string): ContainerMeta | null {
  const parsed = v.safeParse(DockerConfigSchema, safeJson(text));
  if (!parsed.success) return null;
  return {
    name: cleanName(parsed.output.Name),
    image: cleanName(parsed.output.Config?.Image),
    paused: false,
  };
}

/** Podman's containers.json: every container with its names and, in metadata, its image's name. */
export function parsePodmanContainers(text: string): Map<string, ContainerMeta> {
  const out = new Map<string, ContainerMeta>();
  const parsed = v.safeParse(PodmanContainersSchema, safeJson(text));
  if (!parsed.success) return out;
  for (const c of parsed.output) {
    const meta = v.safeParse(PodmanMetadataSchema, safeJson(c.metadata ?? ""));
    out.set(c.id, {
      name: cleanName(c.names?.[0]),
      image: cleanName(meta.success ? meta.output["image-name"] : null),
      paused: false,
    });
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Where each runtime keeps its socket and state, on the host described by the roots. Whether a
 * socket is there is looked at again every CONTAINER_NAMES_RETRY_MS, not on every snapshot.
 */
function runtimePaths(roots: Roots, clock: Clock) {
  const first = (...paths: string[]) =>
    throttled(
      clock,
      CONTAINER_NAMES_RETRY_MS,
      () => hostFileCandidates(roots, ...paths).find((path) => existsSync(path)) ?? null,
    );
  return {
    dockerSocket: first("/run/docker.sock", "/var/run/docker.sock"),
    dockerConfig: (id: string) =>
      hostFileCandidates(roots, `/var/lib/docker/containers/${id}/config.v2.json`),
    podmanState: () =>
      hostFileCandidates(roots, "/var/lib/containers/storage/overlay-containers/containers.json"),
  };
}

export type NamedRuntime = "docker" | "podman";

/** Names of Docker and Podman containers; containerd and CRI-O ones have none here. */
export class ContainerNames {
  readonly #paths: ReturnType<typeof runtimePaths>;
  readonly #clock: Clock;
  readonly #apis = new Map<string, ApiNames>();
  readonly #fromFiles = new Map<string, ContainerMeta | null>();

  constructor(roots: Roots, clock: Clock) {
    this.#paths = runtimePaths(roots, clock);
    this.#clock = clock;
  }

  /** Names of these containers by id; a promise only while an API is asked. */
  lookup(
    ids: readonly { id: string; runtime: NamedRuntime }[],
  ): MaybePromise<Map<string, ContainerMeta>> {
    const byRuntime = (runtime: NamedRuntime) =>
      ids.filter((c) => c.runtime === runtime).map((c) => c.id);
    const docker = byRuntime("docker");
    const podman = byRuntime("podman");
    const finish = (fromDocker: Map<string, ContainerMeta> | null) => {
      this.#forgetExcept(ids);
      const out = new Map<string, ContainerMeta>();
      for (const id of docker) this.#put(out, id, fromDocker, () => this.#dockerFile(id));
      let podmanState: Map<string, ContainerMeta> | undefined;
      for (const id of podman) {
        this.#put(out, id, null, () => {
          podmanState ??= parsePodmanContainers(readFirst(this.#paths.podmanState()) ?? "");
          return podmanState.get(id) ?? null;
        });
      }
      return out;
    };
    const fromDocker = this.#dockerApi(docker);
    return fromDocker instanceof Promise ? fromDocker.then(finish) : finish(fromDocker);
  }

  #dockerApi(ids: readonly string[]): MaybePromise<Map<string, ContainerMeta> | null> {
    if (ids.length === 0) return null;
    const socket = this.#paths.dockerSocket();
    if (socket === null) return null;
    let api = this.#apis.get(socket);
    if (!api) {
      api = new ApiNames(socket, this.#clock);
      this.#apis.set(socket, api);
    }
    return api.names(ids);
  }

  /** From the API's answer, else the state file (read once per container). */
  #put(
    out: Map<string, ContainerMeta>,
    id: string,
    fromApi: Map<string, ContainerMeta> | null,
    fromFile: () => ContainerMeta | null,
  ): void {
    const meta = fromApi?.get(id) ?? this.#cached(id, fromFile);
    if (meta) out.set(id, meta);
  }

  #cached(id: string, read: () => ContainerMeta | null): ContainerMeta | null {
    let meta = this.#fromFiles.get(id);
    if (meta === undefined) {
      meta = read();
      this.#fromFiles.set(id, meta);
    }
    return meta;
  }

  #dockerFile(id: string): ContainerMeta | null {
    const text = readFirst(this.#paths.dockerConfig(id));
    return text === null ? null : parseDockerConfig(text);
  }

  #forgetExcept(ids: readonly { id: string }[]): void {
    const present = new Set(ids.map((c) => c.id));
    for (const id of this.#fromFiles.keys()) if (!present.has(id)) this.#fromFiles.delete(id);
  }
}
