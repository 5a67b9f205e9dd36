import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { ACCT_PATTERN } from '../../shared/admin.js';
import type { ReviewStatus } from '../../shared/queue.js';
import type { AuditLog } from '../store/audit.js';
import type { Queue } from '../store/queue.js';
import { ApiError } from './errors.js';
import { parseParams } from './params.js';
import { rateLimit } from './rate-limit.js';

export interface ReportRouteDeps {
  queue: Queue;
  audit: AuditLog;
  /** Reports per IP: a few at once, then one a minute. */
  reportLimit?: { perSecond: number; burst: number };
}

const defaults = {
  reportLimit: { perSecond: 1 / 60, burst: 3 },
};

const reportBody = z.strictObject({
  acct: z
    .string()
    .trim()
    .transform((a) => a.replace(/^@/, ''))
    .pipe(z.string().regex(ACCT_PATTERN, 'is not an account like user@domain')),
  reason: z.string().trim().max(500, 'is longer than 500 characters').default(''),
});

/**
 * Public: `POST /api/campaigns/:tag/report` ("report this" on a person: rate-limited per IP, into
 * the queue) and `GET /api/campaigns/:tag/review` (how many people wait for review).
 */
export function reportRoutes(deps: ReportRouteDeps, campaignOf: (req: Request) => string): Router {
  const router = Router();
  const limited = rateLimit(deps.reportLimit ?? defaults.reportLimit);

  router.post(
    '/campaigns/:tag/report',
    limited,
    express.json({ limit: '4kb', type: ['application/json', 'text/plain'] }),
    (req, res) => {
      const tag = campaignOf(req);
      const { acct, reason } = parseParams(reportBody, (req.body ?? {}) as Record<string, unknown>);
      const report = deps.queue.report(tag, acct, reason);
      if (!report) throw new ApiError(404, `${acct} is not on the #${tag} map`);
      deps.audit.record({
        actor: 'visitor',
        action: 'report',
        target: acct,
        detail: { campaign: tag, post: report.uri, reason },
      });
      res.status(202).json({ ok: true });
    },
  );

  router.get('/campaigns/:tag/review', (req, res) => {
    const tag = campaignOf(req);
    const status: ReviewStatus = {
      premoderation: deps.queue.premoderation(tag),
      waiting: deps.queue.waiting(tag),
    };
    res.set('Cache-Control', 'no-cache').json(status);
  });

  return router;
}
