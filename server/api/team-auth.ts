import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Actor, TeamStore } from '../store/team.js';
import { ApiError } from './errors.js';

/** The session cookie: HttpOnly, SameSite=Strict, only sent to the admin API, Secure over https. */
export const SESSION_COOKIE = 'fto_session';
const COOKIE_PATH = '/api/admin';

export interface TeamAuthDeps {
  team: TeamStore;
  /** FTO_ADMIN_TOKEN: still works for scripts, as the owner named "FTO_ADMIN_TOKEN". */
  envToken: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of one cookie in the request, or null. */
export function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure, // https, or http behind a local proxy that says X-Forwarded-Proto: https
    path: COOKIE_PATH,
    maxAge: maxAgeMs,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: COOKIE_PATH,
  });
}

/** Who made this request (set by teamAuth). */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new ApiError(401, 'not signed in');
  return actor;
}

/**
 * A write with the session cookie must come from this origin: a browser's Origin (or, without
 * one, Sec-Fetch-Site) must not name another site. Sign-in is checked the same way.
 */
export function checkSameOrigin(req: Request): void {
  const origin = req.get('origin');
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  if (origin !== undefined && origin !== own)
    throw new ApiError(403, `cross-origin request refused: Origin ${origin} is not ${own}`);
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new ApiError(403, `cross-site request refused (Sec-Fetch-Site: ${site})`);
}

/** Is moderation switched on: an FTO_ADMIN_TOKEN, or at least one moderator who can sign in. */
export const moderationOn = (deps: TeamAuthDeps) =>
  deps.envToken !== null || deps.team.hasModerators();

/**
 * Who is asking, checked on every request, so a revoked moderator's session or token stops at
 * once: `Authorization: Bearer` (FTO_ADMIN_TOKEN, compared in constant time, or an API token),
 * else the session cookie, whose writes need the session's `X-CSRF-Token` and a same-origin
 * request. 404 while moderation is switched off, 401 for anyone else.
 */
export function teamAuth(deps: TeamAuthDeps): RequestHandler {
  const expected = deps.envToken === null ? null : sha256(deps.envToken);
  return (req, res, next) => {
    if (!moderationOn(deps)) {
      next(new ApiError(404, `no such API path: ${req.method} ${req.originalUrl.split('?')[0]}`));
      return;
    }
    const header = req.get('authorization');
    let actor: Actor | null = null;
    if (header !== undefined) {
      const m = /^Bearer\s+(.+)$/i.exec(header);
      const secret = m?.[1]!.trim();
      if (secret && expected && timingSafeEqual(sha256(secret), expected))
        actor = { name: 'FTO_ADMIN_TOKEN', role: 'owner', kind: 'env', moderatorId: null };
      else if (secret) actor = deps.team.tokenActor(secret);
      if (!actor) {
        res.set('WWW-Authenticate', 'Bearer realm="find-the-others admin"');
        next(
          new ApiError(
            401,
            'admin API: send Authorization: Bearer <FTO_ADMIN_TOKEN or API token>, or sign in',
          ),
        );
        return;
      }
    } else {
      const id = cookieOf(req, SESSION_COOKIE);
      const session = id ? deps.team.session(id) : null;
      if (!session) {
        if (id) clearSessionCookie(req, res);
        res.set('WWW-Authenticate', 'Bearer realm="find-the-others admin"');
        next(
          new ApiError(
            401,
            id
              ? 'your session is over (signed out, expired or revoked): sign in again'
              : 'admin API: send Authorization: Bearer <FTO_ADMIN_TOKEN or API token>, or sign in',
          ),
        );
        return;
      }
      if (WRITE.has(req.method)) {
        checkSameOrigin(req);
        const sent = req.get('x-csrf-token') ?? '';
        if (!timingSafeEqual(sha256(sent), sha256(session.csrf)))
          throw new ApiError(403, 'missing or wrong X-CSRF-Token: reload the admin page');
      }
      res.locals.csrf = session.csrf;
      actor = session.actor;
    }
    res.locals.actor = actor;
    next();
  };
}

/** Only owners: managing moderators, tokens and campaign settings. */
export const ownerOnly: RequestHandler = (_req, res, next) => {
  const actor = actorOf(res);
  if (actor.role !== 'owner')
    throw new ApiError(403, `only an owner may do this; ${actor.name} is a ${actor.role}`);
  next();
};
