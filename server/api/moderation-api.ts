import { Router, type Request } from 'express';
import type { Locator } from '../geo/types.js';
import type { AuditLog } from '../store/audit.js';
import type { Queue } from '../store/queue.js';
import type { Store } from '../store/store.js';
import type { TeamStore } from '../store/team.js';
import { adminRoutes, type AdminChange } from './admin-routes.js';
import { auditRoutes } from './audit-routes.js';
import { queueRoutes } from './queue-routes.js';
import { actorOf } from './team-auth.js';
import { teamRoutes } from './team-routes.js';

/** The team's stores, which switch on accounts, sessions, tokens and the audit log (main.ts makes them). */
export interface TeamDeps {
  team: TeamStore;
  audit: AuditLog;
  queue: Queue;
  /** Sign-in attempts per IP (tests raise it). */
  signInLimit?: { perSecond: number; burst: number };
  /** Visitors' reports per IP (tests raise it). */
  reportLimit?: { perSecond: number; burst: number };
}

export interface ModerationApiDeps extends TeamDeps {
  store: Store;
  locator?: Pick<Locator, 'placeById' | 'searchPlaces'>;
  /** FTO_ADMIN_TOKEN, or null: then only moderators who sign in (or API tokens) can moderate. */
  envToken: string | null;
}

/** The moderator's optional "why", sent as `note` in any admin request's JSON body. */
const noteOf = (req: Request): string | null => {
  const note = (req.body as { note?: unknown } | undefined)?.note;
  return typeof note === 'string' ? note.slice(0, 500) : null;
};

/**
 * `/api/admin`: sign-in, then (for moderators, API tokens and FTO_ADMIN_TOKEN alike) the team,
 * the audit log and every moderation action, each recorded with who did it. 404 while nobody
 * can moderate (no FTO_ADMIN_TOKEN and no moderator).
 */
export function moderationApi(
  deps: ModerationApiDeps,
  campaignOf: (req: Request) => string,
): Router {
  const router = Router();
  const { open, guarded } = teamRoutes(deps);
  router.use(open, guarded, auditRoutes(deps.audit), queueRoutes(deps, campaignOf));
  // Held posts are hidden until approved: they are in the queue, not among moderators' hides.
  router.get('/moderation', (_req, res) => {
    const held = deps.queue.heldUris();
    const state = deps.store.moderation();
    res.json({ ...state, hiddenPosts: state.hiddenPosts.filter((p) => !held.has(p.uri)) });
  });
  const record = (req: Request, res: Parameters<typeof actorOf>[0], change: AdminChange) =>
    deps.audit.record({ actor: actorOf(res).name, ...change, note: noteOf(req) });
  router.use(
    adminRoutes(
      {
        store: deps.store,
        token: '',
        locator: deps.locator,
        auth: (_req, _res, next) => next(), // teamAuth above has already checked
        audit: record,
      },
      campaignOf,
    ),
  );
  return router;
}
