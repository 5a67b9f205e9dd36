import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, Moderator, Role } from '../../shared/team.js';
import type { Db } from './db.js';

export type { ApiToken, Moderator, Role } from '../../shared/team.js';

/** How long the secrets of the team last. */
export const teamDefaults = {
  linkTtlMs: 24 * 3600_000, // a sign-in link works once, for a day
  sessionIdleMs: 12 * 3600_000, // a session nobody used for 12 h is over
  sessionMaxMs: 7 * 24 * 3600_000, // and every session is over after a week
  touchEveryMs: 60_000, // write seen_at at most once a minute per session
};

/** A failed team change (unknown name, taken name, last owner…); the message quotes the value. */
export class TeamError extends Error {
  override name = 'TeamError';
  constructor(
    message: string,
    /** 404 for an unknown name, 409 for a conflict, 400 otherwise. */
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** Who is asking: a signed-in moderator, an API token, or the FTO_ADMIN_TOKEN from the environment. */
export interface Actor {
  /** As the audit log names them: 'alice', 'token:nightly', 'FTO_ADMIN_TOKEN'. */
  name: string;
  role: Role;
  kind: 'session' | 'token' | 'env';
  moderatorId: number | null;
}

/** A session found by its cookie. */
export interface Session {
  actor: Actor;
  csrf: string;
  moderator: Moderator;
}

export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;

const sha = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const secret = (prefix = '') => prefix + randomBytes(32).toString('base64url');

interface ModeratorRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string | null;
  created_at: string;
  revoked_at: string | null;
}
const toModerator = (r: ModeratorRow): Moderator => ({
  name: r.name,
  role: r.role,
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Moderator accounts, sign-in links, sessions and API tokens (migration 8). Secrets are stored only as hashes. */
export function createTeamStore(db: Db, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const stmt = {
    moderator: db.prepare('SELECT * FROM moderators WHERE name = ?'),
    moderatorById: db.prepare('SELECT * FROM moderators WHERE id = ?'),
    moderators: db.prepare('SELECT * FROM moderators ORDER BY revoked_at IS NOT NULL, name'),
    activeCount: db.prepare('SELECT count(*) AS n FROM moderators WHERE revoked_at IS NULL'),
    activeOwners: db.prepare(
      "SELECT count(*) AS n FROM moderators WHERE revoked_at IS NULL AND role = 'owner'",
    ),
    insertModerator: db.prepare('INSERT INTO moderators (name, role, created_at) VALUES (?, ?, ?)'),
    setRole: db.prepare('UPDATE moderators SET role = ? WHERE id = ?'),
    setPassword: db.prepare('UPDATE moderators SET password_hash = ? WHERE id = ?'),
    revoke: db.prepare('UPDATE moderators SET revoked_at = ? WHERE id = ?'),
    insertLink: db.prepare(
      'INSERT INTO sign_in_links (token_hash, moderator_id, expires_at) VALUES (?, ?, ?)',
    ),
    takeLink: db.prepare('DELETE FROM sign_in_links WHERE token_hash = ? RETURNING *'),
    dropLinks: db.prepare('DELETE FROM sign_in_links WHERE moderator_id = ? OR expires_at < ?'),
    insertSession: db.prepare(
      'INSERT INTO sessions (id_hash, moderator_id, csrf, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    session: db.prepare(`
      SELECT s.*, m.name, m.role, m.password_hash, m.created_at AS m_created_at, m.revoked_at
      FROM sessions s JOIN moderators m ON m.id = s.moderator_id WHERE s.id_hash = ?`),
    touchSession: db.prepare('UPDATE sessions SET seen_at = ? WHERE id_hash = ?'),
    endSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    endSessionsOf: db.prepare('DELETE FROM sessions WHERE moderator_id = ?'),
    pruneSessions: db.prepare('DELETE FROM sessions WHERE expires_at < ? OR seen_at < ?'),
    sessionCount: db.prepare('SELECT count(*) AS n FROM sessions WHERE moderator_id = ?'),
    insertToken: db.prepare(
      'INSERT INTO api_tokens (name, token_hash, role, moderator_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    token: db.prepare(`
      SELECT t.id, t.name, t.role, t.last_used_at, t.revoked_at, m.name AS owner, m.revoked_at AS owner_revoked_at
      FROM api_tokens t LEFT JOIN moderators m ON m.id = t.moderator_id WHERE t.token_hash = ?`),
    tokenByName: db.prepare('SELECT * FROM api_tokens WHERE name = ?'),
    tokens: db.prepare(`
      SELECT t.*, m.name AS owner FROM api_tokens t LEFT JOIN moderators m ON m.id = t.moderator_id
      ORDER BY t.revoked_at IS NOT NULL, t.name`),
    touchToken: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
    revokeToken: db.prepare(
      'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    revokeTokensOf: db.prepare(
      'UPDATE api_tokens SET revoked_at = ? WHERE moderator_id = ? AND revoked_at IS NULL',
    ),
  };

  const row = (name: string): ModeratorRow => {
    const r = stmt.moderator.get(name) as ModeratorRow | undefined;
    if (!r) throw new TeamError(`no moderator named "${name}"`, 404);
    return r;
  };
  const activeRow = (name: string): ModeratorRow => {
    const r = row(name);
    if (r.revoked_at)
      throw new TeamError(`moderator "${name}" was revoked on ${r.revoked_at}`, 409);
    return r;
  };
  const checkName = (name: string, what: string) => {
    if (!NAME_PATTERN.test(name))
      throw new TeamError(
        `${what} "${name}" is not a name (1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit)`,
      );
  };
  const checkRole = (role: string): Role => {
    if (role !== 'owner' && role !== 'moderator')
      throw new TeamError(`role "${role}" is not one of: owner, moderator`);
    return role;
  };
  /** Would this change leave nobody able to manage the team? (The FTO_ADMIN_TOKEN still could, but it may be unset.) */
  const keepAnOwner = (r: ModeratorRow) => {
    if (r.role === 'owner' && !r.revoked_at && (stmt.activeOwners.get() as { n: number }).n <= 1)
      throw new TeamError(`"${r.name}" is the last owner: make someone else owner first`, 409);
  };

  return {
    /** Is there anyone who can sign in? (Moderation is switched on by this or FTO_ADMIN_TOKEN.) */
    hasModerators: () => (stmt.activeCount.get() as { n: number }).n > 0,

    moderators: (): Moderator[] => (stmt.moderators.all() as ModeratorRow[]).map(toModerator),

    moderator: (name: string): Moderator | null => {
      const r = stmt.moderator.get(name) as ModeratorRow | undefined;
      return r ? toModerator(r) : null;
    },

    addModerator(name: string, role: string = 'moderator'): Moderator {
      checkName(name, 'moderator');
      const r = checkRole(role);
      if (stmt.moderator.get(name)) throw new TeamError(`a moderator named "${name}" exists`, 409);
      stmt.insertModerator.run(name, r, iso());
      return toModerator(row(name));
    },

    setRole(name: string, role: string): Moderator {
      const r = activeRow(name);
      const to = checkRole(role);
      if (to !== r.role) {
        if (to === 'moderator') keepAnOwner(r);
        stmt.setRole.run(to, r.id);
      }
      return toModerator(row(name));
    },

    /** Store a hash from hashPassword (the caller hashes: scrypt is slow and async). */
    setPasswordHash(name: string, hash: string): void {
      stmt.setPassword.run(hash, activeRow(name).id);
    },

    /** The stored hash of an active moderator, or null (no such moderator, revoked, or no password). */
    passwordHash(name: string): string | null {
      const r = stmt.moderator.get(name) as ModeratorRow | undefined;
      return r && !r.revoked_at ? r.password_hash : null;
    },

    /** Take someone off the team: their sessions end, their tokens stop working, at once. */
    revokeModerator: db.transaction((name: string): Moderator => {
      const r = activeRow(name);
      keepAnOwner(r);
      stmt.revoke.run(iso(), r.id);
      stmt.endSessionsOf.run(r.id);
      stmt.revokeTokensOf.run(iso(), r.id);
      stmt.dropLinks.run(r.id, now());
      return toModerator(row(name));
    }).immediate,

    /** A one-time secret for `/admin#link=…`; an earlier unused link of theirs stops working. */
    createSignInLink(name: string, ttlMs = teamDefaults.linkTtlMs): string {
      const r = activeRow(name);
      const s = secret();
      stmt.dropLinks.run(r.id, now());
      stmt.insertLink.run(sha(s), r.id, now() + ttlMs);
      return s;
    },

    /** Use a sign-in link: its moderator, or null when unknown, used, expired or revoked. */
    redeemSignInLink(s: string): Moderator | null {
      const link = stmt.takeLink.get(sha(s)) as
        { moderator_id: number; expires_at: number } | undefined;
      if (!link || link.expires_at < now()) return null;
      const r = stmt.moderatorById.get(link.moderator_id) as ModeratorRow | undefined;
      return r && !r.revoked_at ? toModerator(r) : null;
    },

    /** A fresh session (never one the client named: no fixation). Returns the cookie value and CSRF token. */
    createSession(name: string): { id: string; csrf: string } {
      const r = activeRow(name);
      const id = secret();
      const csrf = secret();
      const t = now();
      stmt.pruneSessions.run(t, t - teamDefaults.sessionIdleMs);
      stmt.insertSession.run(sha(id), r.id, csrf, t, t, t + teamDefaults.sessionMaxMs);
      return { id, csrf };
    },

    /** The session behind a cookie value, or null when unknown, expired, idle too long or revoked. */
    session(id: string): Session | null {
      const s = stmt.session.get(sha(id)) as
        | (ModeratorRow & {
            id_hash: string;
            moderator_id: number;
            csrf: string;
            seen_at: number;
            expires_at: number;
            m_created_at: string;
          })
        | undefined;
      const t = now();
      if (!s || s.revoked_at || s.expires_at < t || s.seen_at + teamDefaults.sessionIdleMs < t)
        return null;
      if (t - s.seen_at > teamDefaults.touchEveryMs) stmt.touchSession.run(t, s.id_hash);
      const moderator = toModerator({ ...s, id: s.moderator_id, created_at: s.m_created_at });
      return {
        csrf: s.csrf,
        moderator,
        actor: { name: s.name, role: s.role, kind: 'session', moderatorId: s.moderator_id },
      };
    },

    endSession(id: string): void {
      stmt.endSession.run(sha(id));
    },

    /** "Sign out everywhere": every session of this moderator ends. Returns how many. */
    endAllSessions(name: string): number {
      return stmt.endSessionsOf.run(row(name).id).changes;
    },

    sessionCount: (name: string) => (stmt.sessionCount.get(row(name).id) as { n: number }).n,

    /** A new API token; the secret is shown once and stored only as a hash. */
    createToken(name: string, role: string, ownerName: string | null): string {
      checkName(name, 'token');
      const r = checkRole(role);
      if (stmt.tokenByName.get(name)) throw new TeamError(`a token named "${name}" exists`, 409);
      const owner = ownerName === null ? null : activeRow(ownerName);
      if (owner?.role === 'moderator' && r === 'owner')
        throw new TeamError(`"${owner.name}" is a moderator and cannot hold an owner token`);
      const s = secret('fto_');
      stmt.insertToken.run(name, sha(s), r, owner?.id ?? null, iso());
      return s;
    },

    tokens: (): ApiToken[] =>
      (
        stmt.tokens.all() as {
          name: string;
          role: Role;
          owner: string | null;
          created_at: string;
          last_used_at: string | null;
          revoked_at: string | null;
        }[]
      ).map((t) => ({
        name: t.name,
        role: t.role,
        moderator: t.owner,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      })),

    /** The actor behind a token secret, or null when unknown or revoked (or its moderator is). */
    tokenActor(s: string): Actor | null {
      const t = stmt.token.get(sha(s)) as
        | {
            id: number;
            name: string;
            role: Role;
            last_used_at: string | null;
            revoked_at: string | null;
            owner: string | null;
            owner_revoked_at: string | null;
          }
        | undefined;
      if (!t || t.revoked_at || t.owner_revoked_at) return null;
      if (!t.last_used_at || now() - Date.parse(t.last_used_at) > teamDefaults.touchEveryMs)
        stmt.touchToken.run(iso(), t.id);
      return { name: `token:${t.name}`, role: t.role, kind: 'token', moderatorId: null };
    },

    revokeToken(name: string): void {
      const t = stmt.tokenByName.get(name) as { id: number; revoked_at: string | null } | undefined;
      if (!t) throw new TeamError(`no token named "${name}"`, 404);
      if (t.revoked_at) throw new TeamError(`token "${name}" was revoked on ${t.revoked_at}`, 409);
      stmt.revokeToken.run(iso(), t.id);
    },
  };
}

export type TeamStore = ReturnType<typeof createTeamStore>;
