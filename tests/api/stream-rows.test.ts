import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { expect, it } from 'vitest';
import { streamRows } from '../../server/api/campaign-routes.js';
import type { ContributorRow } from '../../server/store/contributor-feature.js';

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
  const row = (n: number) =>
    ({ acct: `p${n}@x.example`, joined_at: `2026-01-01T00:00:${n}` }) as ContributorRow;
  await streamRows(
    res as unknown as Response,
    () => (page++ < 50 ? [row(page)] : []),
    (r) => r.acct,
  );
  expect(res.chunks).toBe(50);
  expect(res.listenerCount('drain')).toBe(0);
  expect(res.listenerCount('close')).toBe(0);
});
