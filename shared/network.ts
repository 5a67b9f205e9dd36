import type { Network } from './types.js';

export type { Network };

export const NETWORKS: readonly Network[] = ['fediverse', 'bluesky'];

/** The network of a contributor key: a Bluesky account is its DID (`did:plc:…`, `did:web:…`). */
export function networkOf(acct: string): Network {
  return acct.startsWith('did:') ? 'bluesky' : 'fediverse';
}

/** A `?network=` value, or null when it names none of ours. */
export function parseNetwork(raw: unknown): Network | null {
  return raw === 'fediverse' || raw === 'bluesky' ? raw : null;
}
