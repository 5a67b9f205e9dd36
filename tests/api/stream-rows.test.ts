import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import compression from 'compression';
import express from 'express';
import type { Response } from 'express';
import { expect, it } from 'vitest';
import { streamRows } from '../../server/api/export-routes.js';
import type { ContributorRow } from '../../server/store/contributor-feature.js';
import { listen } from '../helpers/listen.js';

const row = (n: number) =>
  ({ acct: `p${n}@x.example`, joined_at: `2026-01-01T00:00:${n}` }) as ContributorRow;

it('waits for drain between pages without piling up listeners on the response', async () => {
  // A response whose buffer is always full: every page waits for 'drain'.
  const res = Object.assign(new EventEmitter(), {
    destroyed: false,
    chunks: 0,
    write(this: EventEmitter & { chunks: number }) {
      this.chunks++;
      setImmediate(() => this.emit('drain'));
      return false;
    },
  });
  let page = 0;
  await streamRows(
    res as unknown as Response,
    () => (page++ < 50 ? [row(page)] : []),
    (r) => r.acct,
  );
  expect(res.chunks).toBe(50);
  expect(res.listenerCount('drain')).toBe(0);
  expect(res.listenerCount('close')).toBe(0);
});

it('leaves no drain listener behind behind compression, which adds them to its gzip stream', async () => {
  // compression() hands 'drain' listeners to its gzip stream but does not forward their removal,
  // so removing ours after each wait left one per page there: a MaxListenersExceededWarning.
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const app = express();
  app.use(compression());
  app.get('/rows', (_req, res) => {
    res.type('application/json'); // compressible, as the exports are
    let page = 0;
    void streamRows(
      res,
      () => (page++ < 200 ? [row(page)] : []),
      // Incompressible, so the gzip stream fills and every page waits for 'drain'.
      () => randomBytes(48 * 1024).toString('base64'),
    ).then(() => res.end());
  });
  const site = await listen(app);
  try {
    const reply = await fetch(`${site.url}/rows`, { headers: { 'accept-encoding': 'gzip' } });
    expect(reply.headers.get('content-encoding')).toBe('gzip');
    const reader = reply.body!.getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      await new Promise((r) => setTimeout(r, 1)); // a slow reader: backpressure all the way
    }
    expect(bytes).toBeGreaterThan(200 * 48 * 1024);
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    await site.close();
  }
});
