import express, { Router } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminPageDeps {
  /** Where `vite build --config vite.admin.config.ts` put admin.html and its assets. */
  adminDir: string;
  /** Whether FTO_ADMIN_TOKEN is set or a moderator exists (asked per request: `moderators add` needs no restart). */
  enabled: boolean | (() => boolean);
}

/**
 * Tighter than the map's policy, which it replaces on these paths: nothing but this origin's
 * scripts, styles and API; no images from elsewhere (the page shows none); forms never submit
 * natively (a token typed before the script ran must not end up in a URL); never framed.
 */
const adminHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * `GET /admin`: the moderation page (dist/admin). Without FTO_ADMIN_TOKEN it is a 404 whose page
 * says how to switch moderation on (`<fto-admin switched-off>`), in the map's look, rather than
 * an unexplained "not found". Never cached, never indexed, never framed.
 */
export function adminPage(deps: AdminPageDeps): Router {
  const router = Router();
  const htmlPath = join(deps.adminDir, 'admin.html');
  let html: string | null = null;

  router.use('/admin', adminHeaders, (_req, res, next) => {
    res.set('X-Robots-Tag', 'noindex');
    next();
  });

  router.get('/admin', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!existsSync(htmlPath)) {
      res
        .status(503)
        .type('text/plain')
        .send('The admin page has not been built yet: run "npm run build".');
      return;
    }
    html ??= readFileSync(htmlPath, 'utf8');
    const enabled = typeof deps.enabled === 'function' ? deps.enabled() : deps.enabled;
    if (enabled) res.type('html').send(html);
    else res.status(404).type('html').send(html.replace('<fto-admin>', '<fto-admin switched-off>'));
  });

  router.use(
    '/admin/assets',
    express.static(join(deps.adminDir, 'assets'), {
      index: false,
      maxAge: '1y',
      immutable: true, // Vite puts a content hash in every asset's name
    }),
  );

  return router;
}
