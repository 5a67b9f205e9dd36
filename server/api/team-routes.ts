import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Me } from '../../shared/team.js';
import type { AuditLog } from '../store/audit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../store/password.js';
import { TeamError, teamDefaults, type TeamStore } from '../store/team.js';
import { ApiError } from './errors.js';
import { parseParams } from './params.js';
import { rateLimit } from './rate-limit.js';
import {
  actorOf,
  checkSameOrigin,
  clearSessionCookie,
  cookieOf,
  moderationOn,
  ownerOnly,
  SESSION_COOKIE,
  setSessionCookie,
  teamAuth,
} from './team-auth.js';

export interface TeamRouteDeps {
  team: TeamStore;
  audit: AuditLog;
  envToken: string | null;
  /** Sign-in attempts per IP: a few at once, then one every few seconds. */
  signInLimit?: { perSecond: number; burst: number };
}

const defaults = {
  signInLimit: { perSecond: 1 / 6, burst: 5 }, // 5 tries, then one every 6 s: ~600 guesses a hour per IP
};

const name = z.string().trim().min(1, 'is empty').max(64, 'is longer than 64 characters');
const role = z.enum(['owner', 'moderator']);
const note = z.string().max(500, 'is longer than 500 characters').optional();
const passwordBody = z.strictObject({
  name,
  password: z.string().min(1, 'is empty').max(1024, 'is longer than 1024 characters'),
});
const linkBody = z.strictObject({ link: z.string().min(1, 'is empty').max(200) });
const addModeratorBody = z.strictObject({ name, role: role.default('moderator'), note });
const roleBody = z.strictObject({ role, note });
const noteBody = z.strictObject({ note }).default({});
const addTokenBody = z.strictObject({ name, role: role.default('moderator'), note });
const newPasswordBody = z.strictObject({
  password: z.string().max(1024, 'is longer than 1024 characters'),
});
const nameParam = z.object({ name });

/** TeamError → the API's one error shape, with its status. */
function team<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TeamError) throw new ApiError(err.status, err.message);
    throw err;
  }
}

/**
 * Signing in and out, the team (owners only) and API tokens. Sign-in answers before the auth
 * check; everything else after it. Every change to the team is written to the audit log.
 */
export function teamRoutes(deps: TeamRouteDeps): { open: Router; guarded: Router } {
  const open = Router();
  const guarded = Router();
  const auth = { team: deps.team, envToken: deps.envToken };
  const json = express.json({ limit: '16kb' });
  const limited = rateLimit(deps.signInLimit ?? defaults.signInLimit);
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  /** A fresh session for `who`: the old cookie's session (if any) ends, so a planted id never becomes a session. */
  const startSession = (req: Request, res: Response, who: string): Me => {
    const old = cookieOf(req, SESSION_COOKIE);
    if (old) deps.team.endSession(old);
    const { id, csrf } = deps.team.createSession(who);
    setSessionCookie(req, res, id, teamDefaults.sessionMaxMs);
    const m = deps.team.moderator(who)!;
    deps.audit.record({ actor: m.name, action: 'session.start', target: m.name });
    return { name: m.name, role: m.role, kind: 'session', csrf };
  };
  const switchedOn: express.RequestHandler = (req, _res, next) => {
    if (!moderationOn(auth))
      throw new ApiError(404, `no such API path: ${req.method} ${req.originalUrl.split('?')[0]}`);
    noStore(_res);
    next();
  };

  open.post('/session', switchedOn, limited, json, async (req, res) => {
    checkSameOrigin(req);
    const { name: who, password } = parseParams(passwordBody, body(req));
    const hash = deps.team.passwordHash(who);
    // Hash anyway when the name is unknown, so the answer's timing does not tell names apart.
    const ok = await verifyPassword(password, hash ?? DUMMY_HASH);
    if (!hash || !ok) throw new ApiError(401, 'wrong name or password');
    res.json(startSession(req, res, deps.team.moderator(who)!.name));
  });

  open.post('/session/link', switchedOn, limited, json, (req, res) => {
    checkSameOrigin(req);
    const { link } = parseParams(linkBody, body(req));
    const m = deps.team.redeemSignInLink(link);
    if (!m)
      throw new ApiError(
        401,
        'this sign-in link does not work (used already, older than a day, or revoked): ask an owner for a new one',
      );
    res.json(startSession(req, res, m.name));
  });

  /** Is this browser signed in? Never a 401, so a page can ask on load without an error in its console. */
  open.get('/session', switchedOn, (req, res) => {
    const id = cookieOf(req, SESSION_COOKIE);
    const session = id ? deps.team.session(id) : null;
    if (id && !session) clearSessionCookie(req, res);
    const me: Me | null = session
      ? { name: session.actor.name, role: session.actor.role, kind: 'session', csrf: session.csrf }
      : null;
    res.json({ me });
  });

  guarded.use(teamAuth(auth), json, (_req, res, next) => {
    noStore(res);
    next();
  });

  guarded.get('/me', (_req, res) => {
    const actor = actorOf(res);
    const me: Me = {
      name: actor.name,
      role: actor.role,
      kind: actor.kind,
      csrf: (res.locals.csrf as string | undefined) ?? null,
    };
    res.json(me);
  });

  guarded.delete('/session', (req, res) => {
    const id = cookieOf(req, SESSION_COOKIE);
    if (id) deps.team.endSession(id);
    clearSessionCookie(req, res);
    res.json({ ok: true });
  });

  /** "Sign out everywhere": every session of the signed-in moderator, this one included. */
  guarded.post('/sessions/end-all', (req, res) => {
    const actor = actorOf(res);
    if (actor.kind !== 'session')
      throw new ApiError(400, `${actor.name} is a token, not a signed-in moderator`);
    const ended = deps.team.endAllSessions(actor.name);
    clearSessionCookie(req, res);
    deps.audit.record({ actor: actor.name, action: 'session.end-all', target: actor.name });
    res.json({ ok: true, ended });
  });

  /** Set or change the signed-in moderator's own password. */
  guarded.put('/me/password', async (_req, res) => {
    const actor = actorOf(res);
    if (actor.kind !== 'session')
      throw new ApiError(400, `${actor.name} is a token, not a signed-in moderator`);
    const { password } = parseParams(newPasswordBody, body(_req));
    const problem = passwordProblem(password);
    if (problem) throw new ApiError(400, `password: ${problem}`);
    const hash = await hashPassword(password);
    team(() => deps.team.setPasswordHash(actor.name, hash));
    deps.audit.record({ actor: actor.name, action: 'moderator.password', target: actor.name });
    res.json({ ok: true });
  });

  guarded.get('/moderators', ownerOnly, (_req, res) => {
    res.json({ moderators: deps.team.moderators() });
  });

  /** Add a moderator; the answer carries their one-time sign-in link (`/admin#link=…`). */
  guarded.post('/moderators', ownerOnly, (req, res) => {
    const input = parseParams(addModeratorBody, body(req));
    const moderator = team(() => deps.team.addModerator(input.name, input.role));
    const link = deps.team.createSignInLink(moderator.name);
    deps.audit.record({
      actor: actorOf(res).name,
      action: 'moderator.add',
      target: moderator.name,
      detail: { role: moderator.role },
      note: input.note,
    });
    res.status(201).json({ moderator, link: `/admin#link=${link}` });
  });

  guarded.post('/moderators/:name/link', ownerOnly, (req, res) => {
    const { name: who } = parseParams(nameParam, req.params);
    const link = team(() => deps.team.createSignInLink(who));
    deps.audit.record({ actor: actorOf(res).name, action: 'moderator.link', target: who });
    res.json({ link: `/admin#link=${link}` });
  });

  guarded.put('/moderators/:name/role', ownerOnly, (req, res) => {
    const { name: who } = parseParams(nameParam, req.params);
    const input = parseParams(roleBody, body(req));
    const moderator = team(() => deps.team.setRole(who, input.role));
    deps.audit.record({
      actor: actorOf(res).name,
      action: 'moderator.role',
      target: moderator.name,
      detail: { role: input.role },
      note: input.note,
    });
    res.json({ moderator });
  });

  guarded.post('/moderators/:name/sessions/end-all', ownerOnly, (req, res) => {
    const { name: who } = parseParams(nameParam, req.params);
    const ended = team(() => deps.team.endAllSessions(who));
    deps.audit.record({ actor: actorOf(res).name, action: 'session.end-all', target: who });
    res.json({ ok: true, ended });
  });

  /** Take someone off the team: their sessions and tokens stop working with the next request. */
  guarded.delete('/moderators/:name', ownerOnly, (req, res) => {
    const { name: who } = parseParams(nameParam, req.params);
    const { note: why } = parseParams(noteBody, body(req));
    const moderator = team(() => deps.team.revokeModerator(who));
    deps.audit.record({
      actor: actorOf(res).name,
      action: 'moderator.revoke',
      target: moderator.name,
      note: why,
    });
    res.json({ moderator });
  });

  guarded.get('/tokens', ownerOnly, (_req, res) => {
    res.json({ tokens: deps.team.tokens() });
  });

  /** A new API token, shown once. A signed-in owner's tokens are theirs: revoking them revokes it. */
  guarded.post('/tokens', ownerOnly, (req, res) => {
    const input = parseParams(addTokenBody, body(req));
    const actor = actorOf(res);
    const owner = actor.kind === 'session' ? actor.name : null;
    const secret = team(() => deps.team.createToken(input.name, input.role, owner));
    deps.audit.record({
      actor: actor.name,
      action: 'token.add',
      target: input.name,
      detail: { role: input.role },
      note: input.note,
    });
    res.status(201).json({ name: input.name, token: secret });
  });

  guarded.delete('/tokens/:name', ownerOnly, (req, res) => {
    const { name: which } = parseParams(nameParam, req.params);
    const { note: why } = parseParams(noteBody, body(req));
    team(() => deps.team.revokeToken(which));
    deps.audit.record({
      actor: actorOf(res).name,
      action: 'token.revoke',
      target: which,
      note: why,
    });
    res.json({ ok: true });
  });

  return { open, guarded };
}

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

/** A valid hash of a random password, checked against when the name is unknown (same work, same time). */
const DUMMY_HASH =
  'scrypt$32768$8$1$c29tZS1zYWx0LXZhbHVl$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
