import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCityIndex } from '../../server/map/city-index.js';
import { blueskyNames, fediverseNames } from '../../server/model/account-links.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore } from '../../server/store/store.js';
import type { Place } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';

// Random histories of one person on both networks (and a bystander): posts in random cities,
// profiles that name the other side or stop naming it, hides, unhides, deletes and opt-outs. After
// every step the map shows the pair at most once, never shows a hidden account through the other,
// and the live map model equals one loaded afresh from the database.

const tag = 'yourturn';
const fedi = 'ada@a.example';
const did = 'did:plc:propertyada00000000000000';
const cities = [places.lagos, places.lyon, places.portland];

type Step =
  | { kind: 'fedi' | 'bsky'; city: number; names: boolean; unplaced: boolean }
  | { kind: 'hide' | 'unhide' | 'forget' | 'delete'; who: 'fedi' | 'bsky' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('fedi' as const, 'bsky' as const),
      city: fc.nat(2),
      names: fc.constantFrom(true, true, true, false), // mostly saying so, so pairs form often
      unplaced: fc.constantFrom(false, false, false, true),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'hide' as const,
        'unhide' as const,
        'forget' as const,
        'delete' as const,
      ),
      who: fc.constantFrom('fedi' as const, 'bsky' as const),
    }),
  },
);

describe('linked accounts under random histories', () => {
  it('shows the pair at most once, never leaks a hidden side, and keeps the map model exact', () => {
    let pairs = 0; // steps that showed the pair as one: the histories must reach it
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const db = openTestDb(':memory:');
        const store = createStore(db);
        store.ensureCampaigns([tag]);
        const live = createCityIndex(store, store.queries, { staleMs: 0 });
        const keys = [tag, `${tag}~fediverse`, `${tag}~bluesky`];
        keys.forEach((k) => live.warm(k));
        const open = new Map<string, unknown>(); // what an open map holds, from the live events
        store.onChange(({ events }) => {
          for (const e of events) {
            const data = e.data as { acct?: string; properties?: { acct: string } };
            if (e.type === 'contributor') open.set(data.properties!.acct, data);
            if (e.type === 'remove') open.delete(data.acct!);
          }
        });
        const hidden = new Set<string>();
        const uris: Record<string, string[]> = { [fedi]: [], [did]: [] };
        let n = 0;
        const ingest = (acct: string, place: Place | null, names: boolean) => {
          n++;
          const bluesky = acct === did;
          const uri = bluesky
            ? `at://${did}/app.bsky.feed.post/3k${n}`
            : `https://a.example/s/${n}`;
          uris[acct]!.push(uri);
          const links = bluesky
            ? blueskyNames({
                did,
                handle: 'ada.bsky.social',
                description: names ? '@ada@a.example' : 'maps',
              })
            : fediverseNames({
                acct: fedi,
                url: 'https://a.example/@ada',
                note: names ? '<p>ada.bsky.social</p>' : '<p>maps</p>',
                fields: [],
              });
          store.ingest([
            {
              post: post({
                uri,
                createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
                account: account({
                  acct,
                  url: bluesky ? `https://bsky.app/profile/${did}` : 'https://a.example/@ada',
                  links,
                }),
              }),
              located: place ? located(place) : null,
              source: bluesky ? 'bluesky:jetstream' : 'https://a.example',
              campaignTags: [tag],
            },
          ]);
        };
        store.ingest([
          {
            post: post({
              uri: 'https://b.example/s/1',
              account: account({ acct: 'bo@b.example' }),
            }),
            located: located(places.lyon),
            source: 'https://b.example',
            campaignTags: [tag],
          },
        ]);
        for (const s of steps) {
          const acct = ('who' in s ? s.who : s.kind) === 'fedi' ? fedi : did;
          if (s.kind === 'fedi' || s.kind === 'bsky')
            ingest(acct, s.unplaced ? null : cities[s.city]!, s.names);
          else if (s.kind === 'hide') {
            store.hideAccount(acct);
            hidden.add(acct);
          } else if (s.kind === 'unhide') {
            store.unhideAccount(acct);
            hidden.delete(acct);
          } else if (s.kind === 'forget') store.forgetAccount(acct);
          else if (uris[acct]!.length) store.deleteByUri(uris[acct]!.pop()!);

          const features = store.contributors(tag).features;
          const shown = features.flatMap((f) => [f.properties.acct, f.properties.linked?.acct]);
          expect(shown.filter((a) => a === fedi)).toHaveLength(shown.includes(fedi) ? 1 : 0);
          expect(shown.filter((a) => a === did)).toHaveLength(shown.includes(did) ? 1 : 0);
          for (const h of hidden) {
            expect(JSON.stringify(features)).not.toContain(h);
            expect(JSON.stringify([...open.values()])).not.toContain(h);
          }
          if (features.some((f) => f.properties.linked)) pairs++;
          expect([...open.keys()].sort()).toEqual(features.map((f) => f.properties.acct).sort());
          const fresh = createCityIndex(store, store.queries, { staleMs: 0 });
          for (const key of keys) {
            expect(live.stats(key), key).toEqual(fresh.stats(key));
            expect(live.joinsPerDay(key), key).toEqual(fresh.joinsPerDay(key));
          }
          fresh.close();
        }
        live.close();
        db.close();
      }),
      { numRuns: 100 },
    );
    expect(pairs).toBeGreaterThan(40);
  });
});
