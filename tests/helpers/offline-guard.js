// Keeps a test process, and every Node process it starts, on this machine.
//
// Loaded with `node --import <this file>` (tests/global-setup.ts puts that in NODE_OPTIONS, so the
// Vitest workers and every `find-the-others serve` a test spawns through bin/ or tsx load it too).
// Plain JavaScript on purpose: a child started without tsx must be able to load it.
//
// Every TCP connection in Node ends in net.Socket.prototype.connect (net.connect, tls.connect,
// http(s) agents, undici's fetch and WebSocket, the `ws` package), and every name is looked up
// with dns.lookup unless the caller brings its own lookup. So those two are the choke points:
// a connection to anything but loopback (127.0.0.0/8, ::1, localhost) is refused as
// ECONNREFUSED, a look-up of any other name fails as ENOTFOUND, and each attempt is appended as
// one JSON line to the file named by FTO_OFFLINE_GUARD_LOG (tests/global-setup.ts fails the run
// when that file is not empty). Unix sockets and pipes are local and pass.
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { isIP } from 'node:net';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
import process from 'node:process';

const installed = Symbol.for('find-the-others.offline-guard');

/** True for 127.0.0.0/8, ::1 (and ::ffff:127.x), `localhost` and names under `.localhost`. */
export function isLoopback(host) {
  const h = String(host ?? '')
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0:){7}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/** Where the attempt came from: the top frames outside Node itself and this file. */
function callerFrames() {
  const frames = (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => !l.includes('helpers/offline-guard.js'));
  const outsideNode = frames.filter((l) => !/\(?node:|<anonymous>/.test(l));
  return (outsideNode.length ? outsideNode : frames).slice(0, 4);
}

/** Appends the attempt to FTO_OFFLINE_GUARD_LOG (read at the time, so a test can point it elsewhere). */
function record(kind, host, port, stack = callerFrames()) {
  const entry = {
    kind,
    host: String(host),
    ...(port !== undefined ? { port: Number(port) } : {}),
    pid: process.pid,
    script: process.argv.slice(1, 3).join(' '),
    stack,
  };
  const file = process.env.FTO_OFFLINE_GUARD_LOG;
  try {
    if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
    else process.stderr.write(`offline guard: refused ${kind} to ${host}\n`);
  } catch {
    // the record is best-effort; the refusal is not
  }
}

function refusal(code, syscall, host, port) {
  const err = new Error(
    `${syscall} ${code} ${host}${port !== undefined ? `:${port}` : ''} (refused by the offline guard: tests stay on 127.0.0.1)`,
  );
  return Object.assign(err, { code, errno: code, syscall, hostname: host, offlineGuard: true });
}

/** A lookup that only answers with loopback addresses; anything else is refused and recorded. */
function guardLookup(inner, port, stack) {
  return function lookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : options;
    inner(hostname, opts, (err, address, family) => {
      if (err) return cb(err, address, family);
      const all = Array.isArray(address) ? address : [{ address, family }];
      const outside = all.find((a) => !isLoopback(a.address));
      if (outside) {
        record('connect', `${hostname} (${outside.address})`, port, stack);
        return cb(refusal('ECONNREFUSED', 'connect', hostname, port));
      }
      cb(null, address, family);
    });
  };
}

function install() {
  if (globalThis[installed]) return;
  globalThis[installed] = true;

  const originalLookup = dns.lookup;
  dns.lookup = function lookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    if (hostname && !isIP(hostname) && !isLoopback(hostname)) {
      record('dns', hostname);
      process.nextTick(() => cb(refusal('ENOTFOUND', 'getaddrinfo', hostname)));
      return {};
    }
    return originalLookup.call(this, hostname, options, callback);
  };
  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = async function lookup(hostname, options) {
    if (hostname && !isIP(hostname) && !isLoopback(hostname)) {
      record('dns', hostname);
      throw refusal('ENOTFOUND', 'getaddrinfo', hostname);
    }
    return originalPromiseLookup.call(this, hostname, options);
  };

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    // net.connect and tls.connect pass their normalised [options, callback] as one array.
    const normalised = Array.isArray(args[0]) ? args[0] : args;
    const first = normalised[0];
    const options =
      first !== null && typeof first === 'object'
        ? first
        : typeof first === 'string' && !/^\d+$/.test(first)
          ? { path: first }
          : { port: first, host: typeof normalised[1] === 'string' ? normalised[1] : undefined };
    if (options.path !== undefined) return originalConnect.apply(this, args);
    const host = options.host ?? 'localhost';
    const port = options.port;
    if (isLoopback(host)) return originalConnect.apply(this, args);
    const stack = callerFrames();
    if (!isIP(host) && first !== null && typeof first === 'object' && first.lookup) {
      // A name with the caller's own look-up: refuse what it answers unless that is loopback.
      first.lookup = guardLookup(first.lookup, port, stack);
      return originalConnect.apply(this, args);
    }
    record(isIP(host) ? 'connect' : 'dns', host, port, stack);
    const err = refusal(isIP(host) ? 'ECONNREFUSED' : 'ENOTFOUND', 'connect', host, port);
    process.nextTick(() => this.destroy(err));
    return this;
  };

  syncBuiltinESMExports();

  // undici connects long after fetch() was called, when the caller's frames are gone: check the
  // URL up front so the record names the code that asked. The socket check above stays the backstop.
  const originalFetch = globalThis.fetch;
  if (originalFetch) {
    globalThis.fetch = function fetch(input, init) {
      let host = null;
      try {
        const url = new URL(
          typeof input === 'object' && input !== null && 'url' in input ? input.url : String(input),
        );
        // data: and blob: URLs go nowhere.
        if (url.protocol === 'http:' || url.protocol === 'https:') host = url.hostname;
      } catch {
        // not a URL: undici will say so
      }
      if (host !== null && !isLoopback(host)) {
        record(isIP(host.replace(/^\[|\]$/g, '')) ? 'connect' : 'dns', host);
        const cause = refusal('ECONNREFUSED', 'connect', host);
        return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause }));
      }
      return originalFetch.call(this, input, init);
    };
  }
}

install();
