/**
 * The store's SQL is written once, for SQLite, and kept portable (docs/postgres.md lists what
 * each engine needs). This turns one statement into PostgreSQL's form, mechanically:
 *
 * - `?` and `@name` / `:name` / `$name` parameters become `$1…$n` (a name used twice is one
 *   parameter), and `names` says which named value goes where;
 * - `INSERT OR IGNORE INTO …` becomes `INSERT INTO … ON CONFLICT DO NOTHING`;
 * - a bare identifier with capitals (`AS postCount`, `ORDER BY postCount`) is quoted, since
 *   PostgreSQL folds unquoted names to lower case and SQLite returns the alias as written;
 * - the two SQLite-only statements the store has (`PRAGMA data_version`, `sqlite_sequence`)
 *   become their PostgreSQL equivalents.
 *
 * Nothing inside a string literal or a quoted identifier is touched. SQLite functions used in
 * several places (`instr`, `json_group_array`) exist in PostgreSQL as compatibility functions
 * made by the first migration (server/store/pg/migrations.ts).
 */
export interface Translated {
  text: string;
  /** For named parameters: the name of `$1`, `$2`, …; empty for positional ones. */
  names: string[];
  /** How many `$n` the statement has. */
  count: number;
  /** Only reads: a write inside a transaction takes the write lock first. */
  reader: boolean;
  /** Must run under the write lock even though it only reads (see `special`). */
  locked: boolean;
}

/**
 * Statements with no portable form. The newest event id must be read under the write lock: a
 * sequence hands out ids before commit, and only with no writer in a transaction is the newest id
 * given also the newest committed (every writer holds the lock until it commits).
 */
const special: Array<{ match: RegExp; text: string; locked: boolean }> = [
  {
    // Moves when another process commits events: the feed then reads the log by id.
    match: /^\s*PRAGMA\s+data_version\s*;?\s*$/i,
    text: 'SELECT coalesce(max(id), 0) AS data_version FROM events',
    locked: false,
  },
  {
    match: /^\s*SELECT\s+seq\s+FROM\s+sqlite_sequence\s+WHERE\s+name\s*=\s*'events'\s*;?\s*$/i,
    text: 'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM events_id_seq',
    locked: true,
  },
];

const camel = /^[a-z_][a-z0-9_]*[A-Z][A-Za-z0-9_]*$/;

export function translate(sql: string): Translated {
  for (const s of special) {
    if (s.match.test(sql))
      return { text: s.text, names: [], count: 0, reader: true, locked: s.locked };
  }
  const names: string[] = [];
  const words = new Set<string>();
  let positional = 0;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A literal or quoted identifier, with doubled quotes inside, copied as it is.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '?') {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j]!)) j++;
      if (j > i + 1)
        throw new Error(`numbered parameters (${sql.slice(i, j)}) are not supported: ${sql}`);
      out += `$${++positional}`;
      i = j;
    } else if (
      (c === '@' || c === ':' || c === '$') &&
      /[A-Za-z_]/.test(sql[i + 1] ?? '') &&
      sql[i - 1] !== ':'
    ) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let at = names.indexOf(name);
      if (at < 0) at = names.push(name) - 1;
      out += `$${at + 1}`;
      i = j;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_$.]/.test(sql[i - 1] ?? ' ')) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      words.add(word.toUpperCase());
      out += camel.test(word) ? `"${word}"` : word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error(`mixed ? and named parameters: ${sql}`);
  let text = out;
  const orIgnore = /^(\s*(?:WITH[\s\S]*?)?)INSERT\s+OR\s+IGNORE\s+INTO\b/i;
  if (orIgnore.test(text)) {
    text = text.replace(orIgnore, '$1INSERT INTO').replace(/\s*;?\s*$/, '');
    const returning = /\sRETURNING\s[\s\S]*$/i.exec(text);
    text = returning
      ? `${text.slice(0, returning.index)} ON CONFLICT DO NOTHING${returning[0]}`
      : `${text} ON CONFLICT DO NOTHING`;
  }
  if (/\bOR\s+(REPLACE|ABORT|FAIL|ROLLBACK)\b/i.test(text)) {
    throw new Error(
      `INSERT OR REPLACE/ABORT/FAIL/ROLLBACK has no PostgreSQL form; use ON CONFLICT: ${sql}`,
    );
  }
  const head = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  const reader =
    (head === 'SELECT' || head === 'VALUES' || head === 'WITH') &&
    !['INSERT', 'UPDATE', 'DELETE'].some((w) => words.has(w));
  return { text, names, count: Math.max(positional, names.length), reader, locked: false };
}
