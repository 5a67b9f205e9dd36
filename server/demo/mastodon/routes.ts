import { toAvatarSvg } from '../avatar-svg.js';
import { paginate } from '../paginate.js';
import { normalizeHashtag } from '../status-html.js';
import { isValidToken, tokenOf, type InstanceContext } from './context.js';
import { createInstanceInfo } from './instance-info.js';
import { isTruthy, keyOf, toLimit, toPaginationUrl } from './params.js';
import { createProfileRoutes } from './profile-routes.js';
import { MULTIPLE_STATUSES_LIMIT } from './quirks.js';
import { json, send, snacNotFound, type RequestContext } from './respond.js';
import type { StatusRecord } from './types.js';

/**
 * The REST API: instance info, tag timelines, statuses one by one and by `id[]=`, accounts,
 * avatars; and what a home answers about its accounts (profile-routes.ts).
 */
export function createRoutes(instance: InstanceContext) {
  const { options, origin, quirks, model } = instance;
  const { software, unknownTag, multipleStatuses, feedAccess } = quirks;
  const { accounts, byId, records, usedTags, toStatus, toAccount } = model;
  const info = createInstanceInfo(instance);
  const profiles = createProfileRoutes(instance);

  function route(ctx: RequestContext) {
    const path = ctx.url.pathname;
    let match: RegExpExecArray | null;
    // snac has only v1 (mastoapi.c), and answers what it does not know with an HTML page.
    if (path === '/api/v2/instance' && software === 'snac') return snacNotFound(ctx);
    if (path === '/api/v2/instance') return json(ctx, 200, info.instanceV2());
    if (path === '/api/v1/instance') return json(ctx, 200, info.instanceV1());
    if ((match = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(path))) {
      return tagTimeline(ctx, decodeURIComponent(match[1]!));
    }
    if (path === '/api/v1/statuses' && multipleStatuses) return statusesById(ctx);
    if ((match = /^\/api\/v1\/statuses\/([^/]+)$/.exec(path))) {
      const authed = isValidToken(options, tokenOf(ctx.req, ctx.url));
      // snac (mastoapi.c) and GoToSocial (oauth.Authed with requireToken) show a status only to a logged-in user.
      if (!authed && software === 'snac') return send(ctx, 401, '', 'text/html; charset=utf-8');
      if (!authed && software === 'gotosocial')
        return json(ctx, 401, { error: 'Unauthorized: token not supplied' });
      const record = byId.get(match[1]!);
      if (record && readable(record, authed)) return json(ctx, 200, toStatus(record));
      // snac leaves an unknown or deleted status unanswered, and its httpd sends the HTML 404 page.
      return software === 'snac'
        ? snacNotFound(ctx)
        : json(ctx, 404, {
            error: software === 'gotosocial' ? 'Not Found: status not found' : 'Record not found',
          });
    }
    if (path === '/api/v1/accounts/lookup') return profiles.lookup(ctx);
    if (path === '/.well-known/webfinger') return profiles.webfinger(ctx);
    if (path === '/.well-known/nodeinfo') return profiles.nodeinfoIndex(ctx);
    if (path === '/nodeinfo/2.0') return profiles.nodeinfo(ctx);
    if ((match = /^\/@([^/]+)$/.exec(path)))
      return profiles.profilePage(ctx, decodeURIComponent(match[1]!));
    if ((match = /^\/api\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const record = [...accounts.values()].find((account) => account.id === match![1]);
      return record
        ? json(ctx, 200, toAccount(record))
        : json(ctx, 404, { error: 'Record not found' });
    }
    if ((match = /^\/(avatars|emoji|media)\/([^/]+)\.svg$/.exec(path))) {
      const name = decodeURIComponent(match[2]!);
      const account = accounts.get(keyOf(name));
      const label = account?.input.displayName || account?.username || name.split('@')[0]!;
      return send(ctx, 200, toAvatarSvg(label, name), 'image/svg+xml', {
        'Cache-Control': 'public, max-age=86400',
      });
    }
    if (software === 'snac') return snacNotFound(ctx);
    json(ctx, 404, { error: 'Record not found' });
  }

  /** Whether `GET /api/v1/statuses/:id` shows a status (StatusPolicy#show?, simplified). */
  function readable(record: StatusRecord, authed: boolean): boolean {
    return !record.deleted && (['public', 'unlisted'].includes(record.visibility) || authed);
  }

  /**
   * `GET /api/v1/statuses?id[]=…` as statuses_controller#index answers it: at most 20 distinct ids
   * (more is a 422), statuses that are gone or not visible are simply absent, and so are those of
   * limited (silenced) accounts, which StatusFilter hides from this list though `/statuses/:id`
   * shows them. Newest first, not in the order asked.
   */
  function statusesById(ctx: RequestContext) {
    const ids = [...new Set(ctx.url.searchParams.getAll('id[]'))];
    if (ids.length > MULTIPLE_STATUSES_LIMIT)
      return json(ctx, 422, { error: 'Mastodon::ValidationError' });
    const authed = isValidToken(options, tokenOf(ctx.req, ctx.url));
    const found = ids
      .map((id) => byId.get(id))
      .filter(
        (record): record is StatusRecord =>
          !!record && readable(record, authed) && !record.account.input.limited,
      )
      .sort((a, b) => b.seq - a.seq);
    json(ctx, 200, found.map(toStatus));
  }

  function tagTimeline(ctx: RequestContext, rawTag: string) {
    const params = ctx.url.searchParams;
    const token = tokenOf(ctx.req, ctx.url);
    const authed = isValidToken(options, token);
    if (software === 'gotosocial' && !authed)
      return json(ctx, 401, { error: 'Unauthorized: token not supplied' });
    if (options.requireToken && !authed)
      return json(ctx, 401, { error: 'The access token is invalid' });
    const local = isTruthy(params.get('local'));
    const remote = isTruthy(params.get('remote'));
    const scopes = (local ? ['local'] : remote ? ['remote'] : ['local', 'remote']) as (
      'local' | 'remote'
    )[];
    if (!authed && scopes.some((scope) => feedAccess[scope] === 'authenticated')) {
      return json(ctx, 401, { error: 'This method requires an authenticated user' });
    }
    const tag = normalizeHashtag(rawTag);
    if (!usedTags.has(tag)) {
      return unknownTag === 'not-found'
        ? json(ctx, 404, {
            error: software === 'gotosocial' ? 'Not Found: tag was not found' : 'Record not found',
          })
        : json(ctx, 200, []);
    }
    const listParam = (name: string) =>
      [...params.getAll(`${name}[]`), ...params.getAll(name)].slice(0, 4).map(normalizeHashtag);
    const any = listParam('any');
    const all = listParam('all');
    const none = listParam('none');
    const onlyMedia = isTruthy(params.get('only_media'));
    const candidates = records.filter(
      (record) =>
        !record.deleted &&
        record.visibility === 'public' &&
        !record.account.input.suspended &&
        feedAccess[record.account.local ? 'local' : 'remote'] !== 'disabled' &&
        (!local || record.account.local) &&
        (!remote || !record.account.local) &&
        (!onlyMedia || record.media.length > 0) &&
        (record.tags.includes(tag) || any.some((name) => record.tags.includes(name))) &&
        all.every((name) => record.tags.includes(name)) &&
        !none.some((name) => record.tags.includes(name)),
    );
    const page = paginate(
      candidates,
      {
        limit: toLimit(params.get('limit')),
        maxId: params.get('max_id') || undefined,
        sinceId: params.get('since_id') || undefined,
        minId: params.get('min_id') || undefined,
      },
      software,
    );
    const headers: Record<string, string> = {};
    // snac sends no Link header on the tag timeline.
    if (page.length > 0 && software !== 'snac') {
      const base = `${origin}/api/v1/timelines/tag/${encodeURIComponent(rawTag)}`;
      const next = toPaginationUrl(base, params, { max_id: page[page.length - 1]!.id });
      const prev = toPaginationUrl(base, params, { min_id: page[0]!.id });
      headers.Link = `<${next}>; rel="next", <${prev}>; rel="prev"`;
    }
    json(ctx, 200, page.map(toStatus), headers);
  }

  return route;
}
