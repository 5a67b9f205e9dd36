import { describe, expect, it } from 'vitest';
import { countriesMatching, isCountryOpen, type Country } from '../../client/country-filter.js';

const country = (code: string, name: string): Country => ({
  country: code,
  name,
  count: 1,
  cities: 1,
});
const all = [
  country('DE', 'Germany'),
  country('NG', 'Nigeria'),
  country('NE', 'Niger'),
  country('US', 'United States'),
];

describe('the list of everyone, filtered', () => {
  it('shows every country when the filter is blank', () => {
    expect(countriesMatching(all, '  ')).toBe(all);
  });

  it('matches a country by part of its name, whatever the case, or by its whole code', () => {
    expect(countriesMatching(all, 'NIG').map((c) => c.country)).toEqual(['NG', 'NE']);
    expect(countriesMatching(all, ' us ').map((c) => c.country)).toEqual(['US']);
    expect(countriesMatching(all, 'u').map((c) => c.country)).toEqual(['US']);
  });

  it('opens the countries the reader opened, and every match when the filter leaves five or fewer', () => {
    const opened = new Set(['DE']);
    expect(isCountryOpen(all[0]!, all, opened, '')).toBe(true);
    expect(isCountryOpen(all[1]!, all, opened, '')).toBe(false);
    const shown = countriesMatching(all, 'nig');
    expect(isCountryOpen(shown[0]!, shown, opened, 'nig')).toBe(true);
    const six = Array.from({ length: 6 }, (_, i) => country(`X${i}`, `Xland ${i}`));
    expect(isCountryOpen(six[0]!, six, opened, 'xland')).toBe(false);
  });
});
