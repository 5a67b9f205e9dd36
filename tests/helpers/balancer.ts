import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's nginx (scripts/test.js installs it) in front of several `serve` processes on 127.0.0.1,
// with the settings docs/deploy.md ships: nothing buffered (SSE), the client's address and scheme
// forwarded, the next server tried when one is down. Only the binary is used: its config, pid,
// logs and temporary files live in a private folder, so no system nginx is started or touched.

export interface BalancerOptions {
  /** Ports of the servers on 127.0.0.1, in order. */
  upstreams: number[];
  /** Failed attempts within `failTimeoutS` after which a server is left out for `failTimeoutS`. */
  maxFails?: number;
  /** Seconds; see `maxFails`. */
  failTimeoutS?: number;
  /** Seconds an idle upstream response may stay silent (SSE heartbeats come every 15 s). */
  readTimeoutS?: number;
  /** Connections per worker: each client through the balancer holds two (its own, the upstream's). */
  workerConnections?: number;
  /** nginx worker processes. */
  workerProcesses?: number;
}

const defaults = {
  maxFails: 1, // one refused connection marks a server down…
  failTimeoutS: 2, // …for 2 s, then nginx tries it again: a restarted server is back within seconds
  readTimeoutS: 3600, // an SSE stream lives for hours; heartbeats keep it well inside this
  workerConnections: 4096, // ~2,000 clients per worker
  workerProcesses: 1, // one core of this 2-core machine is plenty for tests
  startTimeoutMs: 10_000, // nginx answers within milliseconds; this is for a loaded machine
};

export interface Balancer {
  /** The port nginx listens on, on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The folder with nginx.conf, error.log and access.log. */
  dir: string;
  /** Points the balancer at other servers (nginx reloads gracefully); resolves once it has. */
  setUpstreams(ports: number[]): Promise<void>;
  /** What nginx logged (errors and upstream failures), for a failing test's message. */
  errorLog(): string;
  /** Stops nginx and removes its folder. */
  stop(): Promise<void>;
}

/** Debian installs nginx in /usr/sbin, which a non-root PATH lacks. */
export function nginxPath(): string {
  const candidates = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/local/sbin/nginx'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new Error(
    `No nginx at ${JSON.stringify(process.env.NGINX_PATH ?? '/usr/sbin/nginx')} or on PATH: apt-get install nginx, or set NGINX_PATH`,
  );
}

/** A port nothing listens on right now (nginx needs a number; 0 is not allowed in `listen`). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The whole nginx.conf. `generation` answers at /__balancer, so a reload can be waited for. */
export function balancerConfig(
  o: Required<Omit<BalancerOptions, 'upstreams'>> & { upstreams: number[] },
  dir: string,
  port: number,
  generation: number,
): string {
  if (o.upstreams.length === 0) throw new Error('a balancer needs at least one upstream port');
  for (const p of o.upstreams)
    if (!Number.isInteger(p) || p < 1 || p > 65535)
      throw new Error(`upstream port ${JSON.stringify(p)} is not a port`);
  const servers = o.upstreams
    .map(
      (p) => `    server 127.0.0.1:${p} max_fails=${o.maxFails} fail_timeout=${o.failTimeoutS}s;`,
    )
    .join('\n');
  return `# Written by tests/helpers/balancer.ts; the settings are docs/deploy.md's.
daemon off;
worker_processes ${o.workerProcesses};
worker_rlimit_nofile ${o.workerConnections * 2 + 64};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections ${o.workerConnections}; }

http {
  default_type application/octet-stream;
  log_format upstream '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr $request_time s';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  upstream find_the_others {
    least_conn; # SSE streams are long: send a new client to the server holding the fewest
${servers}
    keepalive 32;
  }

  server {
    listen 127.0.0.1:${port};

    location = /__balancer { return 200 "generation ${generation}\\n"; }

    location / {
      proxy_pass http://find_the_others;
      proxy_http_version 1.1;
      proxy_set_header Connection "";           # keep upstream connections open (keepalive)
      proxy_set_header Host $http_host;         # with the port: the server builds links from it
      proxy_set_header X-Forwarded-For $remote_addr;   # this nginx is the edge: never pass on a client's own
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Last-Event-ID $http_last_event_id;  # SSE resume (passed anyway; said here on purpose)
      proxy_buffering off;                      # SSE: each event at once, not when a buffer fills
      proxy_cache off;
      proxy_read_timeout ${o.readTimeoutS}s;
      proxy_send_timeout ${o.readTimeoutS}s;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;        # a server that is down: try the next one
      proxy_next_upstream_tries 0;
      add_header X-Balancer-Upstream $upstream_addr always;  # tests only: which server answered
    }
  }
}
`;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/**
 * nginx on a free port of 127.0.0.1 in front of `options.upstreams`; resolves once it answers.
 * Works as root (workers run as nobody, so the folder is made readable) and as any other user.
 */
export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const o = {
    maxFails: options.maxFails ?? defaults.maxFails,
    failTimeoutS: options.failTimeoutS ?? defaults.failTimeoutS,
    readTimeoutS: options.readTimeoutS ?? defaults.readTimeoutS,
    workerConnections: options.workerConnections ?? defaults.workerConnections,
    workerProcesses: options.workerProcesses ?? defaults.workerProcesses,
    upstreams: options.upstreams,
  };
  const bin = nginxPath();
  const dir = mkdtempSync(join(tmpdir(), 'fto-nginx-'));
  chmodSync(dir, 0o755); // as root, the workers (nobody) must reach their temporary folders
  const conf = join(dir, 'nginx.conf');

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let generation = 1;
    writeFileSync(conf, balancerConfig(o, dir, port, generation));
    // -e: the error log before the config is read (Debian's default is stderr; this keeps it here).
    const child = spawn(bin, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        resolve();
      }),
    );
    const url = `http://127.0.0.1:${port}`;
    const errorLog = () => {
      const file = join(dir, 'error.log');
      return (existsSync(file) ? readFileSync(file, 'utf8') : '') + stderr;
    };
    const answers = async (want: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) return false;
        try {
          const res = await fetch(`${url}/__balancer`);
          if ((await res.text()).trim() === `generation ${want}`) return true;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };

    if (!(await answers(generation, defaults.startTimeoutMs))) {
      child.kill('SIGKILL');
      await exited;
      lastError = errorLog();
      if (/Address already in use/.test(lastError)) continue; // the free port was taken meanwhile
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start on ${url}:\n${lastError}`);
    }

    return {
      port,
      url,
      dir,
      errorLog,
      async setUpstreams(ports) {
        generation += 1;
        o.upstreams = ports;
        writeFileSync(conf, balancerConfig(o, dir, port, generation));
        child.kill('SIGHUP'); // reload: new workers with the new config, old ones finish their requests
        if (!(await answers(generation, defaults.startTimeoutMs)))
          throw new Error(
            `nginx did not reload with upstreams ${ports.join(', ')}:\n${errorLog()}`,
          );
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM'); // fast shutdown: open SSE streams are cut, not waited for
          const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(killer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`nginx found no free port in 3 tries:\n${lastError}`);
}
