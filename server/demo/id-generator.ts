import { createHash } from 'node:crypto';

/** Which server software an instance imitates; each mints ids its own way. */
export type Software = 'mastodon' | 'snac' | 'gotosocial';

/** Mints a new local id; `salt` feeds ids that hash their content (snac). */
export type IdGenerator = (salt: string) => string;

let instancesCreated = 0;

/**
 * Ids in the style of each server. All are opaque strings to clients:
 * https://docs.joinmastodon.org/api/guidelines/#id
 */
export function createIdGenerator(software: Software, now: () => number): IdGenerator {
  // A different sequence start per instance, so one post gets different ids on two instances.
  const instanceSalt = (++instancesCreated * 7919) & 0xffff;
  if (software === 'snac') return (salt) => snacId(now(), `${instanceSalt}:${salt}`);
  if (software === 'gotosocial') return createUlidGenerator(now);
  let last = 0n;
  return () => {
    // Mastodon::Snowflake: milliseconds in the high bits, a sequence in the low 16.
    const candidate = (BigInt(now()) << 16n) | BigInt(instanceSalt);
    last = candidate > last ? candidate : last + 1n;
    return last.toString();
  };
}

/** snac: `<unix seconds><md5 hex>`, so ids within one second sort by hash, not by time. */
function snacId(ms: number, salt: string): string {
  return `${Math.floor(ms / 1000)}${createHash('md5').update(salt).digest('hex')}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** GoToSocial uses ULIDs (https://github.com/ulid/spec): 48-bit ms time + 80 random bits, monotonic. */
function createUlidGenerator(now: () => number): IdGenerator {
  let lastMs = -1;
  let lastRandom = 0n;
  return () => {
    const ms = now();
    if (ms <= lastMs) {
      lastRandom += 1n;
    } else {
      lastMs = ms;
      lastRandom = BigInt(Math.floor(Math.random() * 2 ** 40)) << 38n;
    }
    return encodeBase32(BigInt(lastMs), 10) + encodeBase32(lastRandom, 16);
  };
}

function encodeBase32(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** Orders two ids the way each server's database does: numerically for digits, else lexically. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
