/**
 * Secrets as the lucia-auth.com guide makes them: random bytes from the platform CSPRNG, base32
 * text, and only the SHA-256 of the text ever stored.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** A random token of `bytes` bytes (20 = 160 bits for sessions, more for long-lived links and keys). */
export function generateToken(bytes = 20): string {
  const raw = new Uint8Array(bytes);
  crypto.getRandomValues(raw);
  return encodeBase32LowerCaseNoPadding(raw);
}

/** Hex SHA-256 of a token: what the database keeps, and how a presented token is looked up. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A short random id for rows (not a secret). */
export function newId(): string {
  return generateToken(10);
}
