/** Argon2id password hashes (OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane). */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the time of one verification, so an unknown username answers as slowly as a known one. */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword('tandem-dummy-password');
  await verifyPassword(await dummy, password);
}
