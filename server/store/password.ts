import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost, as OWASP's password storage cheat sheet suggests (N=2^17 is its top; 2^15 keeps a sign-in near 100 ms). */
const defaults = {
  N: 2 ** 15, // CPU and memory cost: 32 MiB per hash with r=8
  r: 8, // block size
  p: 1, // parallelism
  keyLength: 32, // bytes of derived key
  saltLength: 16, // bytes of random salt per password
  minLength: 12, // characters: shorter passwords are refused
  maxLength: 1024, // characters: longer ones are refused before hashing (no hashing DoS)
};

const derive = (password: string, salt: Buffer, n: number, r: number, p: number, len: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r };
    scrypt(password.normalize('NFC'), salt, len, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

/** Why `password` cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < defaults.minLength)
    return `a password needs at least ${defaults.minLength} characters (got ${password.length})`;
  if (password.length > defaults.maxLength)
    return `a password may have at most ${defaults.maxLength} characters (got ${password.length})`;
  return null;
}

/** `scrypt$N$r$p$salt$key`, salt and key base64url: the parameters travel with the hash, so they can grow later. */
export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const { N, r, p, keyLength } = defaults;
  const salt = randomBytes(defaults.saltLength);
  const key = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Does `password` match `stored` (from hashPassword)? Constant time in the key compare; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > defaults.maxLength) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await derive(password, salt, n, r, p, expected.length);
  return timingSafeEqual(key, expected);
}
