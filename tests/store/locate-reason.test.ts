import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { defaults } from '../../server/store/locate-reason.js';
import { createQueue } from '../../server/store/queue.js';
import { createStore, type IngestItem, type Store } from '../../server/store/store.js';
import type { Post } from '../../server/model/post.js';
import { openTestDb } from '../helpers/test-db.js';
import { located, places, post } from '../helpers/posts.js';

const source = 'https://a.example';
const tags = ['yourturn'];
const why = "‘based in Lagos’ is where the author is; ‘Lyon’ is where they're travelling";
const noCity = 'the locator found no city it could say is the author’s';

describe("a post's locate reason (issue #14)", () => {
  let db: Db;
  let store: Store;
  beforeEach(() => {
    db = openTestDb(':memory:');
    store = createStore(db);
    store.ensureCampaigns(tags);
  });
  afterEach(() => db.close());

  const stored = (p: Post) =>
    (
      db.prepare('SELECT locate_reason FROM posts WHERE uri = ?').get(p.uri) as {
        locate_reason: string | null;
      }
    ).locate_reason;
  const ingest = (p: Post, item: Partial<IngestItem>) =>
    store.ingest([{ post: p, located: null, source, campaignTags: tags, ...item }]);
  const edit = (p: Post, at: string) => ({ ...p, editedAt: at });

  it("keeps the locator's reason with a located post, and the queue shows it beside the city", () => {
    const p = post();
    ingest(p, { located: { ...located(places.lagos), reason: why } });
    expect(stored(p)).toBe(why);
    const [item] = createQueue(db).items('yourturn');
    expect(item).toMatchObject({ uri: p.uri, place: { name: 'Lagos' }, reason: why });
  });

  it('keeps why a post has no city, and the list of posts with no city shows it', () => {
    const p = post();
    ingest(p, { unplaced: noCity });
    expect(store.unlocatedPosts('yourturn')).toMatchObject([{ uri: p.uri, reason: noCity }]);
  });

  it("replaces the reason with a moderator's fix, and keeps theirs when the author edits the post", () => {
    const p = post();
    ingest(p, { unplaced: noCity });
    store.setPostPlace(p.uri, places.lyon);
    expect(stored(p)).toBe('placed by a moderator');
    ingest(edit(p, '2026-11-20T00:00:00.000Z'), {
      located: { ...located(places.lagos), reason: why },
    });
    expect(stored(p)).toBe('placed by a moderator');
    expect(store.contributor('yourturn', 'ada@example.social')!.properties.place.name).toBe('Lyon');
  });

  it('says a moderator took the place away when they undo their fix, until an edit re-locates it', () => {
    const p = post();
    ingest(p, { located: { ...located(places.lagos), reason: why } });
    store.setPostPlace(p.uri, places.lyon);
    store.clearPostPlace(p.uri);
    expect(store.unlocatedPosts('yourturn')).toMatchObject([
      { uri: p.uri, reason: 'a moderator took away the place they had set' },
    ]);
    ingest(edit(p, '2026-11-20T00:00:00.000Z'), {
      located: { ...located(places.lagos), reason: why },
    });
    expect(stored(p)).toBe(why);
  });

  it('says the online geocoder placed a post, and which words it was asked about', () => {
    const p = post();
    ingest(p, { unplaced: noCity });
    store.setGeocodedPlace(p.uri, places.lyon, 'Vénissieux', 0.6);
    expect(stored(p)).toBe('from the online geocoder (Nominatim), asked about ‘Vénissieux’');
  });

  it('keeps a long reason to one line of at most 300 characters, the cut marked', () => {
    const p = post();
    const long = `‘Lagos’\nis where the author is; ${'‘Lyon’ is also named, less surely; '.repeat(20)}`;
    ingest(p, { located: { ...located(places.lagos), reason: long } });
    const kept = stored(p)!;
    expect(Array.from(kept)).toHaveLength(defaults.reasonMaxLength);
    expect(kept).toMatch(/^‘Lagos’ is where the author is; ‘Lyon’/);
    expect(kept.endsWith('…')).toBe(true);
  });

  it('drops the reason with the text when the post is deleted (it may quote the post)', () => {
    const p = post();
    ingest(p, { located: { ...located(places.lagos), reason: why } });
    store.deleteByUri(p.uri);
    expect(stored(p)).toBeNull();
  });
});
