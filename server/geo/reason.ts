// Why the locator placed a post where it did, in one line a moderator can check:
// "‘desde Bilbao’ is where the author is; ‘Donostia’ is where someone else is".
import type { Resolved } from './evidence.js';
import { toPublicPlace } from './gazetteer.js';
import { defaults } from './locator-defaults.js';
import { ROLE_PHRASE } from './roles.js';
import type { Located } from './types.js';

// Only a span with a line break, a tab, a double space or a space at an end needs tidying.
const UNTIDY = /[^\S ]| {2}|^ | $/;
/** A name as the reasons quote it: ‘…’, its spaces collapsed. */
export const quote = (s: string): string =>
  `‘${UNTIDY.test(s) ? s.replace(/\s+/g, ' ').trim() : s}’`;

/** The name with the word that gave it its role: "desde Bilbao", "Philadelphia-based". */
export function span(r: Resolved, text: string): string {
  const from = r.cue && r.cue.start < r.textStart ? r.cue.start : r.textStart;
  const to = r.cue && r.cue.end > r.textEnd ? r.cue.end : r.textEnd;
  return text.slice(from, to);
}

/**
 * The result for a chosen city, with its reason. `profile` is the profile's location text when
 * the city came from there; `text` is the text the chosen city was read from; the post's other
 * readings (`others`, from the post) say what the other names were.
 */
export function located(
  chosen: Resolved,
  text: string,
  others: Resolved[],
  profile: string | null,
  postText: string = text,
): Located {
  const parts = [
    profile !== null
      ? `from the profile's location field (${quote(profile)})`
      : `${quote(span(chosen, text))} ${ROLE_PHRASE[chosen.role === 'past' ? 'none' : chosen.role]}`,
  ];
  const seen = new Set([chosen.place.id]);
  for (const r of others) {
    // Lower-case words GeoNames knows as hamlets ("lives", "set") are not worth a mention.
    if (seen.has(r.place.id) || r.evidence < defaults.rivalEvidence) continue;
    seen.add(r.place.id);
    const name = quote(postText.slice(r.textStart, r.textEnd));
    parts.push(
      ROLE_PHRASE[r.role] === ROLE_PHRASE.none || r.role === 'home' || r.role === 'locative'
        ? `${name} is also named, less surely`
        : `${name} ${ROLE_PHRASE[r.role]}`,
    );
  }
  return {
    place: toPublicPlace(chosen.place),
    confidence: Math.round(chosen.confidence * 1000) / 1000,
    matched: text.slice(chosen.textStart, chosen.textEnd),
    reason: parts.join('; '),
  };
}
