import type { CountryCount } from '../shared/types.js';

/** A country of the list of everyone, with its name in the reader's language. */
export interface Country extends CountryCount {
  name: string;
}

/** While filtering, up to this many matching countries open by themselves. */
const OPEN_WHEN_FILTERED = 5;

/** Countries shown: all, or those whose name or code matches the filter. */
export function countriesMatching(countries: Country[], filter: string): Country[] {
  const q = filter.trim().toLocaleLowerCase();
  if (!q) return countries;
  return countries.filter(
    (c) => c.name.toLocaleLowerCase().includes(q) || c.country.toLowerCase() === q,
  );
}

/** Open: the reader opened it, or the filter leaves few enough countries to open them all. */
export function isCountryOpen(
  c: Country,
  shown: Country[],
  opened: ReadonlySet<string>,
  filter: string,
): boolean {
  return opened.has(c.country) || (filter.trim() !== '' && shown.length <= OPEN_WHEN_FILTERED);
}
