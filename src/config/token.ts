// New shared-secret tokens: 32 random bytes, base64url without padding (43 characters).

export const TOKEN_BYTES = 32;

/** 256 bits from the platform CSPRNG, URL- and header-safe, so it fits every place a token goes. */
export function generateToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64url");
}
