import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { profileLocation } from './profile-location.js';
import type { LocateInput, Locator } from './types.js';

/** Options for runLocateCli. */
export interface LocateCliOptions {
  /** Campaign hashtags to ignore in posts (lower case, no `#`). */
  campaignTags?: string[];
}

type Line = { id: string | number | null; input: LocateInput };

function parseLine(text: string, campaignTags: string[]): Line {
  const obj: unknown = JSON.parse(text);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw new Error(`expected a JSON object, got ${text.slice(0, 60)}`);
  const o = obj as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? o.id : null;
  const html = typeof o.content === 'string' ? o.content : undefined;
  const plain = typeof o.text === 'string' ? o.text : undefined;
  if (html === undefined && plain === undefined)
    throw new Error('expected "content" (Mastodon status) or "text"');
  const tags = Array.isArray(o.tags)
    ? o.tags
        .map((t) => (t && typeof t === 'object' ? (t as { name?: unknown }).name : t))
        .filter((t): t is string => typeof t === 'string')
    : [];
  const account =
    o.account && typeof o.account === 'object' ? (o.account as { fields?: unknown }) : null;
  return {
    id,
    input: {
      html,
      text: plain,
      tags,
      language: typeof o.language === 'string' ? o.language : null,
      profileLocation:
        typeof o.profileLocation === 'string'
          ? o.profileLocation
          : profileLocation(account?.fields),
      campaignTags,
    },
  };
}

/**
 * `find-the-others locate`: JSON lines of statuses in, one JSON line per status out
 * (`{"id","place","confidence","matched","reason"}`, where `reason` says why there is no pin
 * too when the locator can tell); bad lines get an error line.
 */
export async function runLocateCli(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  locator: Locator,
  opts: LocateCliOptions = {},
): Promise<{ lines: number; errors: number }> {
  const campaignTags = (opts.campaignTags ?? []).map((t) => t.replace(/^#/, '').toLowerCase());
  const write = async (value: unknown): Promise<void> => {
    if (!output.write(`${JSON.stringify(value)}\n`)) await once(output, 'drain');
  };
  let lines = 0;
  let errors = 0;
  let n = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (raw.trim() === '') continue;
    lines++;
    let line: Line;
    try {
      line = parseLine(raw, campaignTags);
    } catch (err) {
      errors++;
      await write({ line: n, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    let found: ReturnType<Locator['locate']>;
    let reason: string | null;
    try {
      // A locator that can say why it placed no pin says so; a fake one may not.
      const explained = locator.explain ? locator.explain(line.input) : null;
      found = explained ? explained.located : locator.locate(line.input);
      reason = explained ? explained.reason : (found?.reason ?? null);
    } catch (err) {
      errors++;
      await write({ line: n, error: `the locator failed: ${(err as Error).message}` });
      continue;
    }
    await write({
      id: line.id,
      place: found?.place ?? null,
      confidence: found?.confidence ?? 0,
      matched: found?.matched ?? null,
      reason,
    });
  }
  return { lines, errors };
}
