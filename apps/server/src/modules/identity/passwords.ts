import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read).
const ARGON2ID = 2;

// argon2id with OWASP's minimum (19 MiB, 2 iterations, 1 lane): about 30 ms here.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the time of a real check when the username is unknown, so timing does not tell. */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('niangjia-dummy-password');
  await verifyPassword(await dummy, password);
  return false;
}
