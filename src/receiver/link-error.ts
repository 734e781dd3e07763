// Why a receiver could not get an answer from a host, in the terms of the host status.

/** "cancelled": we closed the link ourselves (nobody watches); it says nothing about the host. */
export type LinkFailure = "offline" | "timeout" | "unauthorized" | "incompatible" | "cancelled";

export class LinkError extends Error {
  constructor(
    readonly kind: LinkFailure,
    message: string,
  ) {
    super(message);
    this.name = "LinkError";
  }
}

export interface RemoteTarget {
  url: string;
  token: string | null;
  fingerprint: string | null;
  ca: string | null;
}
