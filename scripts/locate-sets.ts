// The locator's development sets: every labelled set that may be read post by post and tuned on
// (scripts/locate-dev.ts) or fitted on (scripts/fit-locator-scorer.ts). A blind set joins this
// list only after its "after" figure has been read once (docs/locator.md); locate-blind-14 is not
// here and must not be.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../tests/fixtures/${name}`, import.meta.url));

/** [name, path] per set; the first is the original development set plus its first holdout. */
export const DEV_SETS: [string, string][] = (
  [
    ['development', fixture('locate-cases.jsonl')],
    ['holdout-2', fixture('locate-holdout-2.jsonl')],
    ['dev-4', fixture('locate-dev-4.jsonl')],
    // Retired as blind sets once their "after" figures were read (2026-12-07): blind-3 in the
    // morning, blind-5 in the afternoon, blind-6 at 13:37 UTC.
    ['blind-3', fixture('locate-blind-3.jsonl')],
    ['blind-5', fixture('locate-blind-5.jsonl')],
    ['blind-6', fixture('locate-blind-6.jsonl')],
    // Retired at the start of session 7 (2026-12-07, 18:30 UTC): its before and after figures were
    // read in session 6 and are recorded in docs/locator.md ("Fourth round").
    ['blind-7', fixture('locate-blind-7.jsonl')],
    // Retired in session 7 (2026-12-07, 19:10 UTC) after its before and after figures were read
    // (docs/locator.md, "Fifth round").
    ['blind-8', fixture('locate-blind-8.jsonl')],
    // Retired in session 7 (20:06 UTC) after its before and after figures were read
    // (docs/locator.md, "Sixth round").
    ['blind-9', fixture('locate-blind-9.jsonl')],
    // Retired at the start of session 8 (2026-12-07, 21:50 UTC): its before and after figures were
    // read in session 7 (docs/locator.md, "Seventh round").
    ['blind-10', fixture('locate-blind-10.jsonl')],
    // Retired in session 8 (2026-12-07, 22:40 UTC) after its before and after figures were read
    // (docs/locator.md, "Eighth round").
    ['blind-11', fixture('locate-blind-11.jsonl')],
    // Retired at the start of session 9 (2026-12-08, 00:50 UTC): its before and after figures were
    // read in session 8 (docs/locator.md, "Ninth round").
    ['blind-12', fixture('locate-blind-12.jsonl')],
    // Retired at the end of session 9 (2026-12-08, 03:20 UTC): its before and after figures were
    // read in session 9 (docs/locator.md, "Tenth round").
    ['blind-13', fixture('locate-blind-13.jsonl')],
  ] as [string, string][]
).filter(([, path]) => existsSync(path));
