import type { InstanceContext } from './context.js';
import { escapeHtml } from '../status-html.js';
import { keyOf } from './params.js';
import { json, send, type RequestContext } from './respond.js';
import type { AccountRecord } from './types.js';

/**
 * What a home server answers about its accounts: the accounts lookup, WebFinger, NodeInfo and the
 * profile page (robots meta and bio), the way consent look-ups read them. snac has no lookup.
 */
export function createProfileRoutes(instance: InstanceContext) {
  const { domain, quirks, model } = instance;
  const { software } = quirks;
  const { accounts, isHome, toAccount } = model;

  /** `GET /api/v1/accounts/lookup` (https://docs.joinmastodon.org/methods/accounts/#lookup): local accounts and known remote ones. */
  function lookup(ctx: RequestContext) {
    // snac has no lookup: an unknown route there is a plain 404.
    if (software === 'snac') return send(ctx, 404, 'Not Found', 'text/plain');
    const acct = (ctx.url.searchParams.get('acct') ?? '').replace(/^@/, '');
    const record = accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
    return record
      ? json(ctx, 200, toAccount(record, isHome(record)))
      : json(ctx, 404, { error: 'Record not found' });
  }

  /** `GET /.well-known/nodeinfo`: where the NodeInfo document is. */
  function nodeinfoIndex(ctx: RequestContext) {
    return json(ctx, 200, {
      links: [
        {
          rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0',
          href: `https://${domain}/nodeinfo/2.0`,
        },
      ],
    });
  }

  /** `GET /nodeinfo/2.0`: the software's name and version. */
  function nodeinfo(ctx: RequestContext) {
    return json(ctx, 200, {
      version: '2.0',
      software: { name: software, version: quirks.version },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: {} },
      metadata: {},
    });
  }

  /** The home's account for `user@domain` (or `user`), or undefined when this is not its home. */
  function homeAccount(acct: string): AccountRecord | undefined {
    const record = accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
    return record && isHome(record) ? record : undefined;
  }

  /** WebFinger (RFC 7033) as Mastodon answers it: subject, aliases, self and profile-page links. */
  function webfinger(ctx: RequestContext) {
    const resource = ctx.url.searchParams.get('resource') ?? '';
    const record = homeAccount(resource.replace(/^acct:/, ''));
    if (!record || record.input.suspended) return json(ctx, 404, { error: 'Record not found' });
    const page = new URL(record.input.url ?? `https://${record.domain}/@${record.username}`);
    const actor = `https://${page.host}/users/${record.username}`;
    send(
      ctx,
      200,
      JSON.stringify({
        subject: `acct:${record.username}@${record.domain}`,
        aliases: [page.href, actor],
        links: [
          { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: page.href },
          { rel: 'self', type: 'application/activity+json', href: actor },
        ],
      }),
      'application/jrd+json; charset=utf-8',
    );
  }

  /** A profile page as the home renders it: the robots meta for noindex, the bio in the description. */
  function profilePage(ctx: RequestContext, name: string) {
    const record = homeAccount(name);
    if (!record) return send(ctx, 404, '<!DOCTYPE html><title>Not found</title>', 'text/html');
    if (record.input.suspended)
      return send(ctx, 410, '<!DOCTYPE html><title>Gone</title>', 'text/html');
    const bio = (record.input.note ?? '').replace(/<[^>]*>/g, ' ');
    const fields = (record.input.fields ?? []).map((f) => `${f.name}: ${f.value}`).join(' · ');
    const description = escapeHtml([bio, fields].filter(Boolean).join(' '));
    const robots = record.input.noindex
      ? '\n<meta name="robots" content="noindex, noarchive">'
      : '';
    send(
      ctx,
      200,
      `<!DOCTYPE html>\n<html><head><meta charset="utf-8">${robots}\n<meta name="description" content="${description}">\n<meta property="og:description" content="${description}">\n<title>${escapeHtml(record.input.displayName ?? record.username)}</title></head><body></body></html>`,
      'text/html; charset=utf-8',
    );
  }

  return { lookup, webfinger, nodeinfoIndex, nodeinfo, profilePage };
}
