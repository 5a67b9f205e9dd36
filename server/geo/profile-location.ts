import { htmlToText } from '../text/html-text.js';

// Profile field names people use for where they live, folded to lower case.
const LOCATION_FIELD =
  /^\s*(location|locality|city|home|based in|where|ort|standort|wohnort|stadt|lieu|localisation|ville|ubicación|ubicacion|ciudad|localização|localizacao|cidade|località|citta|città|locatie|woonplaats|plats|sted|lokalizacja|miasto|místo|město|местоположение|город|місто|місце|所在地|場所|위치)\s*:?\s*$/i;

/** The profile's location as plain text, from Mastodon `account.fields` ({name, value} with HTML values). */
export function profileLocation(fields: unknown): string | null {
  if (!Array.isArray(fields)) return null;
  for (const f of fields) {
    if (!f || typeof f !== 'object') continue;
    const { name, value } = f as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string') continue;
    if (!LOCATION_FIELD.test(htmlToText(name))) continue;
    const text = htmlToText(value).replace(/\s+/g, ' ').trim();
    if (text !== '') return text;
  }
  return null;
}
