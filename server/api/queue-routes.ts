import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { DOMAIN_PATTERN } from '../../shared/admin.js';
import type { BulkResult, QueuePage, QueueSelection } from '../../shared/queue.js';
import type { AuditLog } from '../store/audit.js';
import type { Queue } from '../store/queue.js';
import type { Store, StoredEvent } from '../store/store.js';
import { ApiError } from './errors.js';
import { int, parseParams } from './params.js';
import { actorOf, ownerOnly } from './team-auth.js';

export interface QueueRouteDeps {
  store: Store;
  queue: Queue;
  audit: AuditLog;
}

const defaults = {
  bulkCap: 5000, // posts one bulk action may touch; more: run it again
};

const uri = z.url({ protocol: /^https?$/, error: 'is not an http(s) URI' });
const note = z.string().max(500, 'is longer than 500 characters').optional();
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(DOMAIN_PATTERN, 'is not a domain like example.social');
const word = z.string().trim().toLowerCase().min(2, 'is shorter than 2 characters').max(100);
const flag = z.enum(['1', 'true']).transform(() => true);
const selection = {
  domain: domain.optional(),
  word: word.optional(),
  newerThanDays: int(1, 3650).optional(),
};
const queueQuery = z.object({
  limit: int(1, 200).default(50),
  after: int(0, Number.MAX_SAFE_INTEGER).default(0),
  ...selection,
  held: flag.optional(),
  reported: flag.optional(),
});
const selectionBody = z.strictObject({
  domain: domain.optional(),
  word: word.optional(),
  newerThanDays: z.number().int().min(1).max(3650).optional(),
  heldOnly: z.boolean().optional(),
  reportedOnly: z.boolean().optional(),
});
const approveBody = z.strictObject({ uri, note });
const bulkBody = z
  .strictObject({
    action: z.enum(['approve', 'hide']),
    uris: z.array(uri).min(1, 'is empty').max(500, 'has more than 500 posts').optional(),
    filter: selectionBody.optional(),
    note,
  })
  .refine((b) => (b.uris === undefined) !== (b.filter === undefined), {
    error: 'send either uris (a selection) or filter, not both and not neither',
  });
const settingsBody = z.strictObject({ premoderation: z.boolean(), note });
const filterBody = z.strictObject({
  kind: z.enum(['word', 'domain']),
  value: z.string().trim().toLowerCase().min(2, 'is shorter than 2 characters').max(100),
  action: z.enum(['hide', 'hold']),
  note,
});
const filterParams = z.object({ kind: z.enum(['word', 'domain']), value: z.string().max(100) });

/**
 * The review queue, bulk actions, and the campaign's pre-moderation and filters (owners set
 * those). Every change reaches open maps live (the store's change stream) and is written to the audit log with who did it.
 */
export function queueRoutes(deps: QueueRouteDeps, campaignOf: (req: Request) => string): Router {
  const { store, queue, audit } = deps;
  const router = Router();
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
  // The store tells every open map through its change stream; this only counts for the answer.
  const counted = (events: StoredEvent[] | null) => events?.length ?? 0;
  const record = (
    res: Response,
    action: string,
    target: string,
    extra: { detail?: Record<string, unknown>; note?: string } = {},
  ) => audit.record({ actor: actorOf(res).name, action, target, ...extra });

  /** Approve one post: out of the queue; if it was held, its author is shown from now on. */
  const approve = (res: Response, u: string, why?: string, detail?: Record<string, unknown>) => {
    const done = queue.approve(u, actorOf(res).name);
    if (!done) return null;
    let events = 0;
    for (const held of done.release) events += counted(store.unhidePost(held));
    record(res, 'queue.approve', u, { note: why, detail });
    return events;
  };
  const hide = (res: Response, u: string, why?: string, detail?: Record<string, unknown>) => {
    const events = store.hidePost(u);
    if (events === null) return null;
    queue.resolve(u);
    record(res, 'post.hide', u, { note: why, detail });
    return counted(events);
  };

  router.get('/campaigns/:tag/queue', (req, res) => {
    const tag = campaignOf(req);
    const q = parseParams(queueQuery, req.query);
    const sel: QueueSelection = {
      domain: q.domain,
      word: q.word,
      newerThanDays: q.newerThanDays,
      heldOnly: q.held,
      reportedOnly: q.reported,
    };
    const items = queue.items(tag, sel, q.limit, q.after);
    const page: QueuePage = {
      items,
      nextAfter: items.length === q.limit ? items.at(-1)!.id : null,
      premoderation: queue.premoderation(tag),
      waiting: queue.waiting(tag),
    };
    res.json(page);
  });

  router.post('/campaigns/:tag/queue/approve', (req, res) => {
    campaignOf(req);
    const input = parseParams(approveBody, body(req));
    const events = approve(res, input.uri, input.note);
    if (events === null) throw new ApiError(404, `no such post: ${input.uri}`);
    res.json({ ok: true, events });
  });

  /** One action over a selection (uris) or everything a filter matches in the queue. */
  router.post('/campaigns/:tag/queue/bulk', (req, res) => {
    const tag = campaignOf(req);
    const input = parseParams(bulkBody, body(req));
    const uris = input.uris ?? queue.select(tag, input.filter!, defaults.bulkCap);
    const detail = { bulk: input.filter ?? 'selection' };
    let posts = 0;
    let events = 0;
    for (const u of uris) {
      const n =
        input.action === 'hide'
          ? hide(res, u, input.note, detail)
          : approve(res, u, input.note, detail);
      if (n === null) continue;
      posts++;
      events += n;
    }
    const result: BulkResult = { ok: true, action: input.action, posts, events };
    res.json(result);
  });

  router.get('/campaigns/:tag/settings', (req, res) => {
    const tag = campaignOf(req);
    res.json({
      premoderation: queue.premoderation(tag),
      waiting: queue.waiting(tag),
      filters: queue.filters(tag),
    });
  });

  /** Pre-moderation on: nobody new is shown until approved. Off: everyone held for it is shown. */
  router.put('/campaigns/:tag/settings', ownerOnly, (req, res) => {
    const tag = campaignOf(req);
    const input = parseParams(settingsBody, body(req));
    const release = input.premoderation ? [] : queue.heldForPremoderation(tag);
    queue.setPremoderation(tag, input.premoderation);
    let events = 0;
    for (const u of release) events += counted(store.unhidePost(u));
    record(res, 'settings.premoderation', tag, {
      detail: { premoderation: input.premoderation, released: release.length },
      note: input.note,
    });
    res.json({ ok: true, events });
  });

  router.post('/campaigns/:tag/filters', ownerOnly, (req, res) => {
    const tag = campaignOf(req);
    const input = parseParams(filterBody, body(req));
    if (input.kind === 'domain' && !DOMAIN_PATTERN.test(input.value))
      throw new ApiError(400, `value: "${input.value}" is not a domain like example.social`);
    queue.addFilter(tag, input, actorOf(res).name);
    record(res, 'filter.add', tag, {
      detail: { kind: input.kind, value: input.value, action: input.action },
      note: input.note,
    });
    res.status(201).json({ ok: true, filters: queue.filters(tag) });
  });

  router.delete('/campaigns/:tag/filters/:kind/:value', ownerOnly, (req, res) => {
    const tag = campaignOf(req);
    const { kind, value } = parseParams(filterParams, req.params);
    if (!queue.removeFilter(tag, kind, value))
      throw new ApiError(404, `no ${kind} filter "${value}" on #${tag}`);
    record(res, 'filter.remove', tag, { detail: { kind, value } });
    res.json({ ok: true, filters: queue.filters(tag) });
  });

  return router;
}
