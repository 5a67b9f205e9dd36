import { connectSync, type SyncClient } from './sync-bridge.js';
import { translate, type Translated } from './translate.js';

/**
 * The part of better-sqlite3's `Database` the store uses (prepare, exec, transaction, close),
 * on PostgreSQL through a synchronous connection (sync-bridge.ts). One connection per process,
 * as better-sqlite3 has: every statement of this process runs on it in order, so a transaction
 * is simply BEGIN … COMMIT on that connection and nested ones are savepoints.
 *
 * Writers take one advisory lock for their whole transaction, as SQLite's single writer does:
 * an IMMEDIATE transaction takes it at BEGIN (then reads the latest data, and nobody can change
 * it until COMMIT), a deferred one before its first write, an autocommit write around itself.
 * This is what keeps event ids committed in id order, so a feed that reads the log by id never
 * passes an id that commits later (docs/postgres.md, "The ordering catch").
 */
export const writeLockKey = 0x4654_4f31; // "FTO1"
const takeWriteLock = `SELECT pg_advisory_xact_lock(${writeLockKey})`;

type Row = Record<string, unknown>;

/** A connection URL fit for messages and logs: the user and password are left out. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

export class PgStatement {
  #plucked = false;
  constructor(
    private readonly db: PgDatabase,
    readonly source: string,
    private readonly sql: Translated,
    private readonly name: string,
  ) {}

  /** True when the statement only reads (as better-sqlite3's `reader`). */
  get reader(): boolean {
    return this.sql.reader;
  }

  /** Return the first column's value instead of a row object. */
  pluck(on = true): this {
    this.#plucked = on;
    return this;
  }

  run(...args: unknown[]): { changes: number; lastInsertRowid: number } {
    const result = this.db.execute(this.sql, this.name, this.bind(args), false);
    return { changes: result.rowCount, lastInsertRowid: 0 };
  }

  get(...args: unknown[]): unknown {
    const { rows } = this.db.execute(this.sql, this.name, this.bind(args), this.#plucked);
    return rows.length === 0 ? undefined : this.#plucked ? (rows[0] as unknown[])[0] : rows[0];
  }

  all(...args: unknown[]): unknown[] {
    const { rows } = this.db.execute(this.sql, this.name, this.bind(args), this.#plucked);
    return this.#plucked ? rows.map((r) => (r as unknown[])[0]) : rows;
  }

  /** The rows, one at a time (read in one query: a cursor would hold the one connection). */
  *iterate(...args: unknown[]): Generator<unknown> {
    yield* this.all(...args);
  }

  private bind(args: unknown[]): unknown[] {
    const { names, count } = this.sql;
    let values: unknown[];
    if (names.length > 0) {
      const given = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a)) as
        Row | undefined;
      if (!given)
        throw new TypeError(`named parameters expected (${names.join(', ')}): ${this.source}`);
      values = names.map((n) => {
        if (!(n in given)) throw new RangeError(`missing named parameter "${n}": ${this.source}`);
        return given[n];
      });
    } else {
      values = args.flat();
      if (values.length !== count) {
        throw new RangeError(
          `${values.length} parameter values given, the statement has ${count}: ${this.source}`,
        );
      }
    }
    return values.map(toParameter);
  }
}

/** Values as better-sqlite3 binds them: booleans are not SQL values there; 1/0 here, as stored. */
function toParameter(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

type Transaction<F extends (...args: never[]) => unknown> = F & {
  deferred: F;
  immediate: F;
  exclusive: F;
};

export class PgDatabase {
  readonly name: string;
  #client: SyncClient;
  #names = new Map<string, string>();
  #depth = 0;
  #locked = false; // the write lock is held by the open transaction
  #open = true;

  constructor(url: string) {
    this.name = withoutCredentials(url);
    this.#client = connectSync(url);
  }

  get open(): boolean {
    return this.#open;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  prepare(source: string): PgStatement {
    const sql = translate(source);
    let name = this.#names.get(sql.text);
    if (!name) {
      name = `fto_${this.#names.size + 1}`;
      this.#names.set(sql.text, name);
    }
    return new PgStatement(this, source, sql, name);
  }

  /** Statements without parameters, as they are (PostgreSQL SQL, e.g. a migration). */
  exec(sql: string): this {
    if (this.#depth > 0 && !this.#locked) this.#lock();
    this.#client.exec(sql);
    return this;
  }

  /** @internal One statement, taking the write lock first when it writes. */
  execute(sql: Translated, name: string, values: unknown[], arrays: boolean) {
    const request = { text: sql.text, values, name, arrays };
    const writes = !sql.reader || sql.locked;
    if (this.#depth === 0) {
      return this.#client.query(writes ? { ...request, wrapIn: takeWriteLock } : request);
    }
    if (writes && !this.#locked) this.#lock();
    return this.#client.query(request);
  }

  #lock(): void {
    this.#client.exec(takeWriteLock);
    this.#locked = true;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F> {
    const run = (mode: 'deferred' | 'immediate') =>
      ((...args: Parameters<F>) => this.#run(mode, () => fn(...args))) as F;
    const tx = run('deferred') as Transaction<F>;
    tx.deferred = tx;
    tx.immediate = run('immediate');
    tx.exclusive = tx.immediate;
    return tx;
  }

  #run<T>(mode: 'deferred' | 'immediate', body: () => T): T {
    const outer = this.#depth === 0;
    const savepoint = `fto_sp_${this.#depth}`;
    if (outer) {
      // Deferred: a snapshot for the whole transaction, as SQLite's read transaction has; a
      // write after another process committed then fails (serialization), as SQLite's would.
      try {
        this.#client.exec(
          mode === 'immediate'
            ? `BEGIN; ${takeWriteLock}`
            : 'BEGIN ISOLATION LEVEL REPEATABLE READ',
        );
      } catch (err) {
        this.#client.exec('ROLLBACK'); // the lock was not had: end the transaction BEGIN opened
        throw err;
      }
      this.#locked = mode === 'immediate';
    } else {
      if (mode === 'immediate' && !this.#locked) this.#lock();
      this.#client.exec(`SAVEPOINT ${savepoint}`);
    }
    this.#depth++;
    let result: T;
    try {
      result = body();
      if (result instanceof Promise)
        throw new TypeError('Transaction function cannot return a promise');
    } catch (err) {
      this.#depth--;
      try {
        this.#client.exec(
          outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`,
        );
      } finally {
        if (outer) this.#locked = false;
      }
      throw err;
    }
    this.#depth--;
    if (outer) {
      try {
        this.#client.exec('COMMIT');
      } finally {
        this.#locked = false;
      }
    } else {
      this.#client.exec(`RELEASE SAVEPOINT ${savepoint}`);
    }
    return result;
  }

  /** better-sqlite3's pragma: PostgreSQL has none of SQLite's; settings belong to the server. */
  pragma(source: string): never {
    throw new Error(`PRAGMA ${source} is SQLite's; the PostgreSQL store has no pragmas`);
  }

  backup(): never {
    throw new Error('--backup copies a SQLite file; back a PostgreSQL database up with pg_dump');
  }

  close(): this {
    if (this.#open) this.#client.close();
    this.#open = false;
    return this;
  }
}
