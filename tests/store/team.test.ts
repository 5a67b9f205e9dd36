import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createTeamStore, teamDefaults, type TeamStore } from '../../server/store/team.js';
import { teamCli } from '../../server/team-cli.js';

describe('the team store', () => {
  let dir: string;
  let db: Db;
  let now: number;
  let team: TeamStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-team-'));
    db = openTestDb(join(dir, 'team.db'));
    now = Date.parse('2026-12-07T08:00:00Z');
    team = createTeamStore(db, { now: () => now });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores no secret: links, sessions and tokens are kept as hashes only', () => {
    team.addModerator('alice', 'owner');
    const link = team.createSignInLink('alice');
    const { id, csrf } = team.createSession('alice');
    const token = team.createToken('script', 'moderator', 'alice');
    const dump = JSON.stringify([
      db.prepare('SELECT * FROM sign_in_links').all(),
      db.prepare('SELECT id_hash FROM sessions').all(),
      db.prepare('SELECT * FROM api_tokens').all(),
    ]);
    for (const secret of [link, id, token]) expect(dump).not.toContain(secret);
    expect(team.session(id)?.csrf).toBe(csrf);
  });

  it('ends a session after 12 idle hours or 7 days, and a link after a day', () => {
    team.addModerator('alice');
    const link = team.createSignInLink('alice');
    const { id } = team.createSession('alice');
    now += teamDefaults.sessionIdleMs - 1000;
    expect(team.session(id)).not.toBeNull(); // used: the idle clock starts again
    now += teamDefaults.sessionIdleMs - 1000;
    expect(team.session(id)).not.toBeNull();
    now += teamDefaults.sessionIdleMs + 1;
    expect(team.session(id)).toBeNull();
    expect(team.redeemSignInLink(link)).toBeNull(); // a day and a half later
  });

  it('keeps one owner: the last cannot be revoked or demoted', () => {
    team.addModerator('alice', 'owner');
    expect(() => team.revokeModerator('alice')).toThrow(/"alice" is the last owner/);
    expect(() => team.setRole('alice', 'moderator')).toThrow(/last owner/);
    team.addModerator('bo', 'owner');
    expect(team.revokeModerator('alice').revokedAt).not.toBeNull();
  });

  it('quotes the bad value in every refusal', () => {
    expect(() => team.addModerator('no spaces please')).toThrow(
      /moderator "no spaces please" is not a name/,
    );
    expect(() => team.addModerator('alice', 'admin')).toThrow(
      /role "admin" is not one of: owner, moderator/,
    );
    team.addModerator('alice');
    expect(() => team.addModerator('ALICE')).toThrow(/a moderator named "ALICE" exists/);
    expect(() => team.createToken('t', 'owner', 'alice')).toThrow(
      /"alice" is a moderator and cannot hold an owner token/,
    );
    expect(() => team.revokeToken('nope')).toThrow(/no token named "nope"/);
  });
});

describe('find-the-others moderators|tokens', () => {
  it('prints its usage, and exits 2 on an unknown command or a missing name', async () => {
    let out = '';
    const io = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      readStdin: async () => '',
    };
    expect(await teamCli(['moderators', '--help'], {}, io)).toBe(0);
    expect(out).toContain('find-the-others moderators add NAME');
    out = '';
    expect(await teamCli(['moderators', 'add'], {}, io)).toBe(2);
    expect(out).toContain('moderators add needs a NAME');
    const dir = mkdtempSync(join(tmpdir(), 'fto-team-cli-'));
    try {
      out = '';
      expect(await teamCli(['moderators', 'fire', 'x', '--db', join(dir, 'x.db')], {}, io)).toBe(2);
      expect(out).toContain('unknown command "moderators fire"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
