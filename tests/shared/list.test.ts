import { describe, expect, it } from 'vitest';
import { splitList } from '../../shared/list.js';

describe('splitList', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(splitList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('gives undefined for an unset or blank value, so the default applies', () => {
    expect(splitList(undefined)).toBeUndefined();
    expect(splitList('  ')).toBeUndefined();
  });
});
