import { startMastodonInstance, type MastodonInstance } from './mastodon-instance.js';

/** The cities the kill tests' posts name, in turn. */
export const backfillCities = [
  'Lagos',
  'Lima',
  'Osaka',
  'Quito',
  'Accra',
  'Hanoi',
  'Dakar',
  'Cusco',
  'Nairobi',
];

/**
 * A test instance (a.example) holding `posts` #YourTurn posts by `accounts` people, one every ten
 * minutes up to now, whose tag pages answer `delayMs` late: a backfill slow enough to kill a
 * server in. Shared by the kill-and-restart tests, which differ only in these numbers.
 */
export async function startSlowBackfillInstance(options: {
  posts: number;
  accounts: number;
  delayMs: number;
}): Promise<MastodonInstance> {
  const a = await startMastodonInstance({ domain: 'a.example', rateLimit: false });
  for (let n = 0; n < options.posts; n++)
    a.post({
      account: { username: `u${n % options.accounts}` },
      text: `#YourTurn ${backfillCities[n % backfillCities.length]}`,
      createdAt: Date.now() - (options.posts - n) * 600_000,
    });
  a.setFault({ kind: 'delay', ms: options.delayMs }, '/api/v1/timelines/tag/');
  return a;
}
