import { describe, expect, it } from 'vitest';
import { reachLine, sourceReachText } from '../../client/reach-text.js';
import type { ReachStatus } from '../../shared/types.js';

const reach = (overrides: Partial<ReachStatus>): ReachStatus => ({
  sources: [],
  postsTotal: 0,
  postsSeenByOneSourceOnly: 0,
  postsFirstUnknown: 0,
  countedAt: '2026-12-04T15:00:00.000Z',
  ...overrides,
});

describe('reach text', () => {
  it('sums the sources up in one line, former sources counted only when they brought posts', () => {
    expect(
      reachLine(
        reach({
          sources: [
            { source: 'https://a.example', kind: 'instance', postsFirst: 1200, postsOnlyHere: 11 },
            { source: 'https://fedi.buzz', kind: 'aggregator', postsFirst: 0, postsOnlyHere: 1 },
            { source: 'https://old.example', kind: null, postsFirst: 0, postsOnlyHere: 0 },
          ],
          postsTotal: 1200,
          postsSeenByOneSourceOnly: 12,
        }),
      ),
    ).toBe('Found through 2 sources; 12 posts reached only one');
    expect(
      reachLine(
        reach({
          sources: [
            { source: 'https://a.example', kind: 'instance', postsFirst: 1, postsOnlyHere: 1 },
          ],
          postsTotal: 1,
          postsSeenByOneSourceOnly: 1,
        }),
      ),
    ).toBe('Found through 1 source; 1 post reached only one');
  });

  it('says nothing before any source is known, and "no posts yet" before the first post', () => {
    expect(reachLine(reach({}))).toBeNull();
    expect(
      reachLine(
        reach({
          sources: [
            { source: 'https://a.example', kind: 'relay', postsFirst: 0, postsOnlyHere: 0 },
          ],
        }),
      ),
    ).toBe('Found through 1 source; no posts yet');
  });

  it('names each source by host and kind with its part', () => {
    expect(
      sourceReachText({
        source: 'https://fedi.buzz',
        kind: 'aggregator',
        postsFirst: 1,
        postsOnlyHere: 1200,
      }),
    ).toBe('fedi.buzz (aggregator): first with 1 post, 1,200 only here');
    expect(
      sourceReachText({
        source: 'https://old.example',
        kind: null,
        postsFirst: 2,
        postsOnlyHere: 0,
      }),
    ).toBe('old.example (no longer followed): first with 2 posts, 0 only here');
  });
});
