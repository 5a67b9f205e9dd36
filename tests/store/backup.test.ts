import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../server/cli.js';
import { openDb } from '../../server/store/db.js';
import { createStore } from '../../server/store/store.js';
import { located, places, post } from '../helpers/posts.js';

describe('find-the-others backup FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a database that is open for writing into a consistent file', async () => {
    const src = join(dir, 'live.db');
    const db = openDb(src);
    const store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    store.ingest([
      {
        post: post(),
        located: located(places.lagos),
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
    const out = join(dir, 'copy.db');
    const code = await cli(
      ['node', 'find-the-others', 'backup', out, '--db', src, '--log-level', 'silent'],
      {},
    );
    db.close();
    expect(code).toBe(0);
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT acct FROM contributors').all()).toEqual([
      { acct: 'ada@example.social' },
    ]);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  });
});
