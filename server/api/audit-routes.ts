import { Router } from 'express';
import { z } from 'zod';
import type { AuditPage } from '../../shared/team.js';
import type { AuditLog } from '../store/audit.js';
import { csvCell } from './export-routes.js';
import { int, parseParams } from './params.js';

const pageQuery = z.object({
  limit: int(1, 500).default(50),
  before: int(1, Number.MAX_SAFE_INTEGER).optional(),
});

const header = ['id', 'at', 'actor', 'action', 'target', 'detail', 'note'];

/**
 * `GET /audit` (JSON, newest first, paged by `before`) and `GET /audit.csv` (every entry, newest
 * first, formula-safe like the public export). Behind the team's auth: any moderator may read it.
 */
export function auditRoutes(audit: AuditLog): Router {
  const router = Router();

  router.get('/audit', (req, res) => {
    const { limit, before } = parseParams(pageQuery, req.query);
    const entries = audit.page(limit, before);
    const page: AuditPage = {
      entries,
      nextBefore: entries.length === limit ? entries.at(-1)!.id : null,
    };
    res.json(page);
  });

  router.get('/audit.csv', (_req, res) => {
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="moderation-audit.csv"');
    const lines = [header.join(',')];
    for (const e of audit.iterate())
      lines.push(
        [
          e.id,
          e.at,
          e.actor,
          e.action,
          e.target,
          e.detail ? JSON.stringify(e.detail) : null,
          e.note,
        ]
          .map(csvCell)
          .join(','),
      );
    res.send(lines.join('\r\n') + '\r\n');
  });

  return router;
}
