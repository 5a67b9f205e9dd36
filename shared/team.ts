// The team API's contract (docs/api.md#admin, docs/moderation.md): moderators, tokens, the audit
// log and the queue, shared by the server and the /admin page. Pure: imports nothing but types.

/** `owner` also manages moderators, API tokens and campaign settings; `moderator` moderates. */
export type Role = 'owner' | 'moderator';

export interface Moderator {
  name: string;
  role: Role;
  /** False: signs in with a one-time link only. */
  hasPassword: boolean;
  createdAt: string;
  /** Set when taken off the team: nothing of theirs works any more. */
  revokedAt: string | null;
}

export interface ApiToken {
  name: string;
  role: Role;
  /** The moderator it belongs to (revoking them revokes it), or null for a team token. */
  moderator: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `GET /api/admin/me`: who is signed in, and the CSRF token a session sends back on every write. */
export interface Me {
  name: string;
  role: Role;
  kind: 'session' | 'token' | 'env';
  /** Only for a session: send it as `X-CSRF-Token` with every POST, PUT and DELETE. */
  csrf: string | null;
}

/** One line of the audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  /** A moderator's name, `token:NAME`, `FTO_ADMIN_TOKEN`, `cli` or `visitor`. */
  actor: string;
  /** e.g. `account.hide`, `domain.block`, `post.place`, `queue.approve`, `moderator.revoke`. */
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
  note: string | null;
}

/** `GET /api/admin/audit`: newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextBefore: number | null;
}
