import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * A synchronous PostgreSQL connection: one `pg` client lives in a worker thread, and every call
 * posts a request to it and blocks this thread (`Atomics.wait`) until the answer is posted back.
 *
 * Why: the store's contract is synchronous (better-sqlite3 returns rows from a call), and every
 * caller relies on it — a write and the change it tells happen in one turn of the event loop.
 * Keeping that contract lets one store run on both engines with the same code and the same tests
 * (docs/postgres.md, "Why a synchronous bridge"). The cost is that a query blocks this thread for
 * its round trip, as a better-sqlite3 call blocks it for its disk read: ~0.1 ms to a server on
 * the same host, ~1 ms on a LAN. `synckit` does the same, but it needs a worker file on disk,
 * which the tests (vitest transforms TypeScript, no loader in workers) and the built server would
 * each find differently; the worker here is ~50 lines of plain JavaScript evaluated in place.
 */
export interface SyncClient {
  /** One statement with `$n` parameters; `name` prepares it once on the connection. */
  query(request: QueryRequest): QueryResult;
  /** Several statements without parameters, as one simple query (migrations, BEGIN, …). */
  exec(sql: string): void;
  /** Close the connection and end the worker; later calls throw. */
  close(): void;
}

export interface QueryRequest {
  text: string;
  values?: unknown[];
  /** A prepared statement's name: parsed and planned once per connection. */
  name?: string;
  /** Rows as arrays (for pluck/raw) instead of objects. */
  arrays?: boolean;
  /**
   * Run the statement inside BEGIN … COMMIT after these statements (e.g. taking the write lock),
   * all in the worker, so an autocommit write costs one hop from this thread, not four.
   */
  wrapIn?: string;
}

export interface QueryResult {
  rows: unknown[];
  rowCount: number;
}

/** A PostgreSQL error, carried across the thread with its SQLSTATE `code` and `detail`. */
export class PgError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
}

const defaults = {
  // A query that has not answered after this is reported, not waited on for ever: a lock held by
  // a dead transaction elsewhere, or a server that went away without closing the socket.
  timeoutMs: 60_000,
  connectTimeoutMs: 10_000,
  // Our transactions last milliseconds; one idle this long belongs to a stopped process.
  idleInTransactionMs: 15_000,
};

// The worker: plain JavaScript (CommonJS, evaluated), so it runs the same under tsx, vitest and
// the built server. Values that SQLite returns as numbers come back as numbers: bigint (count(*),
// ids, ms timestamps) and numeric are parsed, booleans become 1/0, json stays text.
const workerSource = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, signal, url, connectTimeoutMs } = workerData;
const asNumber = (s) => (s === null ? null : Number(s));
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return asNumber;
    if (oid === 16) return (s) => (s === null ? null : s === 't' ? 1 : 0);
    if (oid === 114 || oid === 3802) return (s) => s;
    return pg.types.getTypeParser(oid, format);
  },
};
const client = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: connectTimeoutMs });
let lost = null;
client.on('error', (err) => { lost = err; });
// A process stopped (SIGSTOP, a debugger) inside a transaction would hold the write lock for
// every other server: PostgreSQL ends such a session after this, as it does a dead one at once.
const ready = client.connect().then(() =>
  client.query('SET idle_in_transaction_session_timeout = ' + workerData.idleInTransactionMs));
function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
function failure(err) {
  return { error: { message: err.message, code: err.code, detail: err.detail, constraint: err.constraint } };
}
async function handle(req) {
  await ready;
  if (lost) throw lost;
  if (req.op === 'exec') { await client.query(req.text); return { rows: [], rowCount: 0 }; }
  if (req.op === 'close') { await client.end(); return { rows: [], rowCount: 0 }; }
  const q = { text: req.text, values: req.values, name: req.name, rowMode: req.arrays ? 'array' : undefined };
  if (!req.wrapIn) { const r = await client.query(q); return { rows: r.rows, rowCount: r.rowCount ?? 0 }; }
  try {
    await client.query('BEGIN; ' + req.wrapIn);
    const r = await client.query(q);
    await client.query('COMMIT');
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
port.on('message', (req) => {
  handle(req).then(answer, (err) => answer(failure(err)));
});
`;

/** Open a synchronous connection to `url`; throws (with the server's reason) if it cannot connect. */
export function connectSync(url: string, options: { timeoutMs?: number } = {}): SyncClient {
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const pgPath = createRequire(import.meta.url).resolve('pg');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      port: port2,
      signal,
      url,
      pgPath,
      connectTimeoutMs: defaults.connectTimeoutMs,
      idleInTransactionMs: defaults.idleInTransactionMs,
    },
    transferList: [port2],
  });
  // The worker must not keep the process alive once the store is forgotten without close().
  worker.unref();
  let closed = false;

  const gone = (message: string) => Object.assign(new PgError(message), { code: 'FTO_PG_GONE' });

  function call(request: object): QueryResult {
    if (closed) throw gone('the PostgreSQL connection is closed');
    Atomics.store(signal, 0, 0);
    port1.postMessage(request);
    const waited = Atomics.wait(signal, 0, 0, timeoutMs);
    const reply = receiveMessageOnPort(port1);
    if (!reply) {
      if (waited === 'timed-out') {
        closed = true;
        void worker.terminate();
        throw new Error(
          `PostgreSQL did not answer within ${timeoutMs} ms; the connection is closed`,
        );
      }
      throw new Error('the PostgreSQL worker ended without answering');
    }
    const message = reply.message as QueryResult & { error?: Record<string, string> };
    if (message.error) {
      const err = new PgError(message.error.message);
      err.code = message.error.code;
      err.detail = message.error.detail;
      err.constraint = message.error.constraint;
      throw err;
    }
    return message;
  }

  // Connect now, so a wrong URL or a server that is down fails at open with its reason.
  call({ op: 'exec', text: 'SELECT 1' });
  return {
    query: (request) => call({ op: 'query', ...request }),
    exec: (text) => void call({ op: 'exec', text }),
    close() {
      if (closed) return;
      try {
        call({ op: 'close' });
      } finally {
        closed = true;
        port1.close();
        void worker.terminate();
      }
    },
  };
}
