import { htmlToText } from '../text/html-text.js';
import { foldName } from './fold.js';

/** One token of a post, with where it sits in the extracted text. */
export interface Token {
  kind: 'word' | 'punct' | 'flag' | 'emoji';
  /** As written. */
  text: string;
  /** foldName(text) for words; the country code for flags; the character otherwise. */
  key: string;
  /** Offsets into Extracted.text. */
  start: number;
  end: number;
  /** Starts with a capital, or is in a script without case. */
  capital: boolean;
  /** First word of a line or after sentence-ending punctuation. */
  sentenceStart: boolean;
  /** Han, kana, Hangul, Thai, Lao, Khmer or Myanmar: written without spaces between words. */
  unspaced: boolean;
}

/** A line of text, or one hashtag split into its words. */
export interface Segment {
  tokens: Token[];
  /** For a hashtag: its span in Extracted.text, '#' included. */
  tag: { start: number; end: number } | null;
}

/** A post reduced to the text a person wrote about where they are. */
export interface Extracted {
  text: string;
  segments: Segment[];
}

const URL = /\bhttps?:\/\/\S+/g;
const MENTION = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.]+(?:@[\p{L}\p{N}_.-]+)?/gu;
const HASHTAG = /#([\p{L}\p{M}\p{N}_]+)/gu;
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
// Words may hold apostrophes, hyphens and inner dots ("Winston-Salem", "St.John's"); "St." keeps its dot.
const TOKEN =
  /([\u{1F1E6}-\u{1F1FF}]{2}|\u{1F3F4}[\u{E0061}-\u{E007A}]{2,6}\u{E007F})|((?:[\p{L}\p{M}\p{N}]+(?:['’\-.][\p{L}\p{M}\p{N}]+)*)(?:(?<=\b(?:St|Ste|Mt|Ft|Pt|st|mt|ft))\.)?)|(\p{Extended_Pictographic}(?:\u{FE0F}|\u{200D}\p{Extended_Pictographic})*)|([^\s\u{FE0F}])/gu;
const CAMEL =
  /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{Lu}+|\p{N}+|[^\p{Lu}\p{Ll}\p{M}\p{N}_]+/gu;
const ASCII_TEXT = /^[\x20-\x7e]*$/;
const SENTENCE_END = new Set(['.', '!', '?', '…', ':', '¡', '¿', '|', '–', '—', '-']);

/** Remove campaign hashtags, mentions and URLs from plain text. */
export function cleanText(text: string, campaignTags: readonly string[]): string {
  // Each pattern needs its marker ("http", "@", "#"): a post without one skips its pass.
  let out = text.includes('http') ? text.replace(URL, ' ') : text;
  if (out.includes('@')) out = out.replace(MENTION, '$1 ');
  if (!out.includes('#') || campaignTags.length === 0) return out;
  const campaign = campaignTags.map((t) => t.toLowerCase());
  // A loop over the matches, not replace() with a function: no call back per hashtag.
  let kept = '';
  let last = 0;
  HASHTAG.lastIndex = 0;
  for (let m = HASHTAG.exec(out); m; m = HASHTAG.exec(out)) {
    if (!campaign.includes(m[1]!.toLowerCase())) continue;
    kept += `${out.slice(last, m.index)} `;
    last = m.index + m[0].length;
  }
  return last === 0 ? out : kept + out.slice(last);
}

function makeToken(
  kind: Token['kind'],
  text: string,
  start: number,
  sentenceStart: boolean,
): Token {
  if (kind === 'flag') {
    // 🏴 + tag letters is a subdivision's flag (Scotland: gbsct): its country is the first two.
    const sub = text.codePointAt(0) === 0x1f3f4;
    const base = sub ? 0xe0061 - 97 : 0x1f1e6 - 65;
    const cc = String.fromCharCode(
      text.codePointAt(sub ? 2 : 0)! - base,
      text.codePointAt(sub ? 4 : 2)! - base,
    ).toUpperCase();
    return {
      kind,
      text,
      key: cc,
      start,
      end: start + text.length,
      capital: false,
      sentenceStart: false,
      unspaced: false,
    };
  }
  if (kind !== 'word') {
    return {
      kind,
      text,
      key: text,
      start,
      end: start + text.length,
      capital: false,
      sentenceStart: false,
      unspaced: false,
    };
  }
  const first = text[0]!;
  const code = first.charCodeAt(0);
  // In ASCII only a-z is lower case: digits count as capitals, as for scripts without case.
  // Georgian (Mkhedruli, U+10D0–U+10FF) has capitals in Unicode but never writes names with them.
  const capital =
    code < 0x80
      ? code < 0x61 || code > 0x7a
      : first !== first.toLowerCase() ||
        first === first.toUpperCase() ||
        (code >= 0x10d0 && code <= 0x10ff);
  const key = foldName(text);
  return {
    kind,
    text,
    key,
    start,
    end: start + text.length,
    capital,
    sentenceStart,
    // Those scripts are none of ASCII: most words need no Unicode test.
    unspaced: !ASCII_TEXT.test(text) && UNSPACED.test(text),
  };
}

/** The tokens of a line (or of the part of it between hashtags), appended to `tokens`. */
function tokenizeLine(line: string, offset: number, tokens: Token[]): void {
  let sentenceStart = true;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
    // Groups by number (flag, word, emoji, punct), not by name: no groups object per token.
    const kind: Token['kind'] = m[1] ? 'flag' : m[2] ? 'word' : m[3] ? 'emoji' : 'punct';
    const tok = makeToken(kind, m[0], offset + m.index, sentenceStart);
    tokens.push(tok);
    if (kind === 'word') sentenceStart = false;
    else if (kind === 'emoji' || (kind === 'punct' && SENTENCE_END.has(m[0]))) sentenceStart = true;
  }
}

function tokenizeTag(name: string, offset: number): Token[] {
  const tokens: Token[] = [];
  CAMEL.lastIndex = 0;
  for (let m = CAMEL.exec(name); m; m = CAMEL.exec(name)) {
    const tok = makeToken('word', m[0], offset + m.index, false);
    tok.capital = true;
    if (tok.key !== '') tokens.push(tok);
  }
  return tokens;
}

/** Extract the located-relevant text of a post, split into lines and hashtags. */
export function extract(input: {
  html?: string;
  text?: string;
  campaignTags?: readonly string[];
}): Extracted {
  const raw = input.html != null && input.html !== '' ? htmlToText(input.html) : (input.text ?? '');
  const text = cleanText(raw, input.campaignTags ?? []);
  const segments: Segment[] = [];
  // Line by line (as text.split('\n') would give them, without the array).
  for (let lineStart = 0; lineStart <= text.length;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    let last = 0;
    let pieces: Token[] = [];
    HASHTAG.lastIndex = 0;
    for (let m = HASHTAG.exec(line); m; m = HASHTAG.exec(line)) {
      tokenizeLine(line.slice(last, m.index), lineStart + last, pieces);
      const start = lineStart + m.index;
      // A hashtag ends the sentence around it: the words on either side are not one name.
      if (pieces.length > 0) {
        segments.push({ tokens: pieces, tag: null });
        pieces = [];
      }
      segments.push({
        tokens: tokenizeTag(m[1]!, start + 1),
        tag: { start, end: start + m[0].length },
      });
      last = m.index + m[0].length;
    }
    tokenizeLine(line.slice(last), lineStart + last, pieces);
    if (pieces.length > 0) segments.push({ tokens: pieces, tag: null });
    lineStart = lineEnd + 1;
  }
  return { text, segments };
}
