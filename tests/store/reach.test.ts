import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { toReachStatus } from '../../server/api/reach-status.js';
import { migrate } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createReachQueries } from '../../server/store/reach.js';
import { createStore, type IngestItem } from '../../server/store/store.js';
import type { Post } from '../../server/model/post.js';
import { account, located, places, post } from '../helpers/posts.js';

const A = 'https://a.example';
const B = 'https://b.example';
const AGG = 'https://fedi.buzz';

const item = (p: Post, source: string, localId = `${source}#${p.uri}`): IngestItem => ({
  post: { ...p, localId },
  located: located(places.lagos),
  source,
  campaignTags: ['yourturn'],
});

const withoutTime = ({ countedAt: _, ...rest }: { countedAt: string }) => rest;

describe('reach counts', () => {
  it('keeps the first source and the posts only one source saw as posts arrive, matching a full recount', () => {
    const db = openTestDb(':memory:');
    const store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    const reach = createReachQueries(db);
    const [p1, p2, p3, p4, p5] = [1, 2, 3, 4, 5].map(() => post());
    store.ingest([item(p1!, A), item(p2!, A), item(p5!, A)]);
    store.ingest([item(p1!, B), item(p3!, B), item(p1!, B)]); // a re-read changes nothing
    store.ingest([item(p5!, AGG), item(p4!, AGG)]);
    // A second id for the same post from the same source (a server that re-ids) is still one source.
    store.ingest([item(p2!, A, 'another-id')]);
    // A third source for p1 changes no one's "only here".
    store.ingest([item(p1!, AGG)]);
    // Deleted posts still count: they reached us. Blocked accounts' posts are never stored.
    store.deleteByUri(p3!.uri);
    store.hideAccount('bad@x.example', { block: true });
    store.ingest([item(post({ account: account({ acct: 'bad@x.example' }) }), B)]);

    const kept = reach.counts();
    expect(withoutTime(kept)).toEqual({
      sources: [
        { source: A, postsFirst: 3, postsOnlyHere: 1 },
        { source: B, postsFirst: 1, postsOnlyHere: 1 },
        { source: AGG, postsFirst: 1, postsOnlyHere: 1 },
      ],
      postsTotal: 5,
      postsSeenByOneSourceOnly: 3,
      postsFirstUnknown: 0,
    });
    expect(withoutTime(kept)).toEqual(withoutTime(reach.recount()));
  });

  it('rolls the counters back with a batch that fails', () => {
    const db = openTestDb(':memory:');
    const store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    const bad = { ...item(post(), A), campaignTags: ['no-such-campaign'] };
    db.exec(
      "CREATE TRIGGER fail BEFORE INSERT ON post_tags WHEN NEW.tag = 'no-such-campaign' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    expect(() => store.ingest([item(post(), A), bad])).toThrow(/refused/);
    expect(createReachQueries(db).counts().postsTotal).toBe(0);
    store.ingest([item(post(), A)]);
    expect(withoutTime(createReachQueries(db).counts())).toEqual(
      withoutTime(createReachQueries(db).recount()),
    );
  });

  it('fills the counters of an existing database, leaving first unknown where several sources saw a post', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare(
      `INSERT INTO accounts (acct, display_name, url, avatar, updated_at) VALUES ('ada@a.example', 'Ada', '', '', '2026-11-01')`,
    ).run();
    const insertPost = db.prepare(
      `INSERT INTO posts (id, uri, acct, url, content, created_at, first_seen_at) VALUES (?, ?, 'ada@a.example', '', '', '2026-11-01', '2026-11-01')`,
    );
    const insertSource = db.prepare('INSERT INTO post_sources VALUES (?, ?, ?)');
    insertPost.run(1, 'u1');
    insertSource.run(A, '1', 1);
    insertSource.run(B, '1', 1);
    insertPost.run(2, 'u2');
    insertSource.run(A, '2', 2);
    insertSource.run(A, '2bis', 2);
    insertPost.run(3, 'u3');
    insertSource.run(B, '3', 3);
    migrate(db);
    const reach = createReachQueries(db);
    expect(withoutTime(reach.counts())).toEqual({
      sources: [
        { source: A, postsFirst: 1, postsOnlyHere: 1 },
        { source: B, postsFirst: 1, postsOnlyHere: 1 },
      ],
      postsTotal: 3,
      postsSeenByOneSourceOnly: 2,
      postsFirstUnknown: 1,
    });
    expect(withoutTime(reach.counts())).toEqual(withoutTime(reach.recount()));
  });

  it('lists every configured source with its kind, zeros included, then former sources', () => {
    const status = toReachStatus(
      {
        sources: [
          { source: A, postsFirst: 2, postsOnlyHere: 1 },
          { source: 'https://gone.example', postsFirst: 4, postsOnlyHere: 4 },
        ],
        postsTotal: 6,
        postsSeenByOneSourceOnly: 5,
        postsFirstUnknown: 0,
        countedAt: '2026-12-04T12:00:00.000Z',
      },
      new Map([
        [B, 'instance'],
        [A, 'instance'],
        [AGG, 'aggregator'],
      ]),
    );
    expect(status.sources).toEqual([
      { source: A, kind: 'instance', postsFirst: 2, postsOnlyHere: 1 },
      { source: B, kind: 'instance', postsFirst: 0, postsOnlyHere: 0 },
      { source: AGG, kind: 'aggregator', postsFirst: 0, postsOnlyHere: 0 },
      { source: 'https://gone.example', kind: null, postsFirst: 4, postsOnlyHere: 4 },
    ]);
  });
});
