import type { AccountInput, PostInput } from './mastodon/index.js';
import { createPrng, type Prng } from './prng.js';
import { sampleCities, toFlag, type SampleCity } from './sample-cities.js';
import {
  DOMAINS_BY_LANG,
  DOMAINS_BY_COUNTRY,
  FIRST_NAMES,
  FLAIR,
  TEMPLATES,
  NO_CITY,
  REGION_ONLY,
  REPLIES,
} from './sample-text.js';

/** Why a sample post is in the campaign, so tests can check the collector's decision. */
export type SampleKind =
  | 'city'
  | 'profile-location'
  | 'moved'
  | 'no-city'
  | 'region-only'
  | 'reply'
  | 'bot'
  | 'opted-out'
  | 'unlisted'
  | 'edit'
  | 'delete';

/** A post input whose author and uri are fixed, so it can be federated and replayed. */
export type SamplePostInput = PostInput & { account: AccountInput; uri: string };

/** One step of the sample campaign. */
export interface SamplePost {
  /** Offset from the start of the replay: when the post reaches its instance. */
  atMs: number;
  /**
   * How long before it reaches its instance the post says it was written: the campaign's
   * history, out before the demo starts, is backdated over weeks; what arrives live is 0.
   */
  ageMs: number;
  /** `post` adds `input`; `edit` replaces the text of the post with `input.uri`; `delete` removes it. */
  action: 'post' | 'edit' | 'delete';
  input: SamplePostInput;
  /** The city a correct collector pins after this step, or null when it must not pin this post. */
  expected: { city: string; region: string | null; cc: string } | null;
  kind: SampleKind;
}

/** Options of `createSampleCampaign`. */
export interface SampleCampaignOptions {
  /** Campaign hashtag, written as people write it (default 'YourTurn'). */
  tag?: string;
  /** PRNG seed; the same seed gives the same campaign (default 2025). */
  seed?: number;
  /** Number of steps (default 300). */
  count?: number;
  /** Time the replay spans (default 90 s). */
  durationMs?: number;
  /** Share of the posts that are the campaign's history, out in the first seconds (default 0.7). */
  historyShare?: number;
  /** How far back the history's posts are dated (default 28 days). */
  historyMs?: number;
}

const defaults = {
  tag: 'YourTurn', // the campaign the demo and README use
  seed: 2025, // any number; fixed so screenshots and tests agree
  count: 300, // a few hundred posts fill the map without crowding it
  durationMs: 90_000, // long enough to watch pins arrive, short enough to wait for
  historyShare: 0.7, // the map opens mostly full; the rest arrive while people watch
  historyMs: 28 * 86_400_000, // four weeks: the figures chart draws a bar per day
};

// A fixed epoch for the sample's uris, so they are the same on every run.
const URI_EPOCH_MS = Date.UTC(2025, 2, 1);

const ALWAYS_QUALIFIED = new Set(['Portland|Maine', 'London|Ontario', 'Paris|Texas']);

/** A deterministic sample of a hashtag campaign, written the way people really post. */
export function createSampleCampaign(options: SampleCampaignOptions = {}): SamplePost[] {
  const { tag, seed, count, durationMs, historyShare, historyMs } = { ...defaults, ...options };
  const random = createPrng(seed);
  const cities = random.shuffle(sampleCities);
  let nextCity = 0;
  const takeCity = () => cities[nextCity++ % cities.length]!;
  const usernames = new Set<string>();
  const steps: SamplePost[] = [];
  const fill = (text: string, city: SampleCity | null, english = false) =>
    fillTemplate(text, tag, city, english);

  const burstEnd = Math.min(2_000, durationMs * 0.05);
  const atFor = (index: number) =>
    index < count * historyShare
      ? random.int(burstEnd)
      : burstEnd + random.int(Math.max(1, durationMs * 0.9 - burstEnd));

  const newAccount = (
    lang: string,
    cc: string | null,
    extra: Partial<AccountInput> = {},
  ): AccountInput => {
    const first = random.pick(FIRST_NAMES[lang] ?? FIRST_NAMES.en!);
    let username = toUsername(first, random);
    while (usernames.has(username)) username = toUsername(first, random);
    usernames.add(username);
    const flair = random.pick(FLAIR);
    const domains =
      (cc && DOMAINS_BY_COUNTRY[cc] && random.chance(0.5) ? DOMAINS_BY_COUNTRY[cc] : null) ??
      DOMAINS_BY_LANG[lang] ??
      DOMAINS_BY_LANG.en!;
    return {
      username,
      domain: random.pick(domains),
      displayName: `${first}${flair}`,
      note: random.pick([
        'Gardener, tinkerer, tea person.',
        'Librarian. Opinions my own.',
        'Dad, cyclist, bad at chess.',
        'Nurse on night shifts.',
        'Writing code and sometimes poems.',
        '',
      ]),
      emojis: flair.includes(':') ? [flair.trim().slice(1, -1)] : [],
      discoverable: random.chance(0.9) ? true : null,
      indexable: random.chance(0.7),
      followersCount: random.int(2_000),
      followingCount: random.int(800),
      createdAt: new Date(
        Date.UTC(2017 + random.int(8), random.int(12), 1 + random.int(28)),
      ).toISOString(),
      ...extra,
    };
  };

  const add = (
    step: Omit<SamplePost, 'input' | 'ageMs'> & {
      input: Omit<SamplePostInput, 'uri'> & { uri?: string };
    },
  ) => {
    const index = steps.length;
    const uri =
      step.input.uri ??
      `https://${step.input.account.domain}/users/${step.input.account.username}/statuses/${toSnowflake(URI_EPOCH_MS + step.atMs, index)}`;
    const full: SamplePost = { ...step, ageMs: 0, input: { ...step.input, uri } };
    steps.push(full);
    return full;
  };

  const located = (at: number, city: SampleCity, account?: AccountInput) => {
    const lang = TEMPLATES[city.lang] ? city.lang : 'other';
    const useEnglish = lang === 'other' ? random.chance(0.4) : random.chance(0.15);
    const templates = useEnglish ? TEMPLATES.en! : TEMPLATES[lang]!;
    let template = random.pick(templates);
    if (ALWAYS_QUALIFIED.has(`${city.name}|${city.region}`))
      template = random.pick(['#{T} {c}, {r}', 'Hi from {c}, {r}! #{T}']);
    return add({
      atMs: at,
      action: 'post',
      kind: 'city',
      expected: { city: city.name, region: city.region, cc: city.cc },
      input: {
        account: account ?? newAccount(city.lang, city.cc),
        text: fill(template, city, useEnglish),
        language: useEnglish ? 'en' : city.lang,
      },
    });
  };

  const plan: SampleKind[] = [];
  const share = (kind: SampleKind, fraction: number, min: number) => {
    for (let i = 0; i < Math.max(min, Math.round(count * fraction)); i++) plan.push(kind);
  };
  share('profile-location', 0.05, 2);
  share('no-city', 0.06, 3);
  share('region-only', 0.03, 2);
  share('reply', 0.02, 2);
  share('bot', 0.015, 2);
  share('opted-out', 0.025, 3);
  share('unlisted', 0.007, 1);
  share('moved', 0.015, 2);
  share('edit', 0.007, 1);
  share('delete', 0.007, 1);
  while (plan.length < count) plan.push('city');
  const order = random.shuffle(plan.slice(0, count));
  // Moves, edits and deletes act on earlier posts, so they come last in time.
  const isLate = (kind: SampleKind) => kind === 'moved' || kind === 'edit' || kind === 'delete';
  const late = order.filter(isLate);
  const early = order.filter((kind) => !isLate(kind));

  early.forEach((kind, index) => {
    const at = atFor(index);
    // A post the locator should leave off the map (no city, a reply, a bot).
    const unplaced = (atMs: number, input: Parameters<typeof add>[0]['input']) =>
      add({ atMs, action: 'post', kind, expected: null, input });
    switch (kind) {
      case 'city':
        located(at, takeCity());
        return;
      case 'profile-location': {
        const city = takeCity();
        const account = newAccount(city.lang, city.cc, {
          fields: [
            {
              name: random.pick(['Location', 'Location', 'Ort', 'Based in']),
              value: city.region
                ? `${city.name}, ${city.region}`
                : `${city.local ?? city.name}, ${city.country}`,
            },
            { name: 'Pronouns', value: random.pick(['she/her', 'he/him', 'they/them']) },
          ],
        });
        add({
          atMs: at,
          action: 'post',
          kind,
          expected: { city: city.name, region: city.region, cc: city.cc },
          input: {
            account,
            text: fill(random.pick(['#{T} ✊', 'Count me in. #{T}', '#{T} 🙋']), null),
          },
        });
        return;
      }
      case 'no-city':
      case 'region-only':
        unplaced(at, {
          account: newAccount('en', null),
          text: fill(random.pick(kind === 'no-city' ? NO_CITY : REGION_ONLY), null),
        });
        return;
      case 'reply': {
        const earlier = steps.filter((step) => step.kind === 'city' && step.atMs < at);
        const parent = earlier.length > 0 ? random.pick(earlier) : undefined;
        const account = newAccount('en', null);
        unplaced(
          Math.max(at, (parent?.atMs ?? 0) + 500),
          parent
            ? {
                account,
                text: `@${parent.input.account.username}@${parent.input.account.domain} ${fill(random.pick(REPLIES), null)}`,
                inReplyToUri: parent.input.uri,
              }
            : { account, text: fill(random.pick(REPLIES), null) },
        );
        return;
      }
      case 'bot': {
        const cities3 = [takeCity(), takeCity(), takeCity()].map((c) => c.name);
        unplaced(at, {
          account: newAccount('en', null, {
            username: `yourturn_digest_${steps.length}`,
            displayName: 'YourTurn Digest 🤖',
            bot: true,
            note: 'Automated. Posts a summary every hour.',
          }),
          text: fill(`#{T} digest: new posts from ${cities3.join(', ')} in the last hour.`, null),
        });
        return;
      }
      case 'opted-out': {
        const city = takeCity();
        const optOut = random.pick([
          { note: 'Trains, tea and bad puns. #nomap' },
          { note: 'Please no bots. #nobot #noindex' },
          { note: 'Privacy nerd. #nosearch' },
        ]);
        const step = located(at, city, newAccount(city.lang, city.cc, optOut));
        step.kind = kind;
        step.expected = null;
        return;
      }
      case 'unlisted': {
        const step = located(at, takeCity());
        step.kind = kind;
        step.expected = null;
        step.input.visibility = 'unlisted';
        return;
      }
    }
  });

  const lateStart = durationMs * 0.75;
  const lateAt = () => lateStart + random.int(Math.max(1, durationMs * 0.2));
  const targets = random.shuffle(steps.filter((step) => step.kind === 'city'));
  for (const kind of late) {
    const target = targets.pop();
    if (!target) break;
    const at = Math.max(lateAt(), target.atMs + 1_000);
    if (kind === 'moved') {
      const city = takeCity();
      const step = located(at, city, target.input.account);
      step.kind = kind;
      step.input.text = fill(`Moved to {c} last month, so: #{T} {c} 📦`, city, true);
      step.input.language = 'en';
    } else if (kind === 'edit') {
      const city = takeCity();
      add({
        atMs: at,
        action: 'edit',
        kind,
        expected: { city: city.name, region: city.region, cc: city.cc },
        input: {
          ...target.input,
          text: fill(`#{T} {c} (edit: autocorrect picked the wrong city!)`, city, true),
          language: 'en',
        },
      });
    } else {
      add({ atMs: at, action: 'delete', kind, expected: null, input: target.input });
    }
  }

  backdateHistory(steps, burstEnd, historyMs, createPrng(seed ^ 0x5eed));
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Dates the posts of the opening burst back over `historyMs`, most of them near the campaign's
 * launch and fewer each day after, as a campaign's first days are its busiest. Replies stay
 * unbackdated, so none is older than its parent. A PRNG of its own leaves the rest of the
 * sample as it was.
 */
function backdateHistory(
  steps: SamplePost[],
  burstEnd: number,
  historyMs: number,
  random: Prng,
): void {
  for (const step of steps) {
    if (step.action !== 'post' || step.atMs >= burstEnd || step.input.inReplyToUri) continue;
    // u² leans towards 0: most posts sit near the launch, `historyMs` ago.
    step.ageMs = Math.round(historyMs * (1 - random.next() ** 2));
  }
}

/** Fills a template; English text names the city in English, other languages mostly locally. */
function fillTemplate(
  template: string,
  tag: string,
  city: SampleCity | null,
  english: boolean,
): string {
  const written = city ? (city.local && !english ? city.local : city.name) : '';
  return template
    .replaceAll('{T}', tag)
    .replaceAll('{L}', tag.toLowerCase())
    .replaceAll('{H}', city ? city.name.replace(/[^\p{L}\p{N}]/gu, '') : '')
    .replaceAll('{c}', written)
    .replaceAll('{r}', city ? (city.region ?? city.country) : '')
    .replaceAll('{k}', city?.country ?? '')
    .replace(/\{f:(\w\w)\}/g, (_, cc: string) => toFlag(cc))
    .replaceAll('{f}', city ? toFlag(city.cc) : '');
}

function toUsername(first: string, random: Prng): string {
  const base = first
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  const stem = base.length >= 2 ? base : random.pick(['yuki', 'sora', 'anya', 'kit', 'moss']);
  return random.pick([
    stem,
    `${stem}${random.int(100)}`,
    `${stem}_${random.pick(['writes', 'bikes', 'codes', 'reads', 'grows'])}`,
  ]);
}

/** A Mastodon-like snowflake for the sample's fixed uris. */
function toSnowflake(ms: number, sequence: number): string {
  return ((BigInt(Math.floor(ms)) << 16n) | BigInt(sequence & 0xffff)).toString();
}
