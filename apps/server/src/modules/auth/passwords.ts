import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (≈ 50 ms here). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the user does not exist, so that timing does not reveal user names.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('shouwang-dummy-password');
  await verifyPassword(await dummyHash, password);
}
