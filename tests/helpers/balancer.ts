import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './listen.js';

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

/** The http block's upstream and server for `o`. `generation` answers at /__balancer, so a reload can be waited for. */
export function balancerSite(
  o: Pick<Required<BalancerOptions>, 'upstreams' | 'maxFails' | 'failTimeoutS' | 'readTimeoutS'>,
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
  return `
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
      proxy_http_version 1.1;               # chunked streams, and upstream keepalive…
      proxy_set_header Connection "";       # …which a "Connection: close" would end
      proxy_set_header Host $http_host;     # with the port: the server builds its links from it
      proxy_set_header X-Forwarded-For $remote_addr; # the edge: a client's own header is replaced
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Last-Event-ID $http_last_event_id; # SSE resume (nginx passes it anyway)
      proxy_buffering off;                  # SSE: each event at once (the stream also says X-Accel-Buffering: no)
      proxy_cache off;
      gzip off;                             # the server compresses, never the stream; gzip here holds events
      proxy_read_timeout ${o.readTimeoutS}s;
      proxy_send_timeout ${o.readTimeoutS}s;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;    # a server that is down or does not answer: the next one
      proxy_next_upstream_tries 0;          # …all of them if need be
      add_header X-Balancer-Upstream $upstream_addr always; # tests only: which server answered
    }
  }
`;
}

/**
 * SIGKILL for nginx's whole process group: killed alone, the master leaves its workers running
 * (and holding the port). nginx is spawned as the leader of its own group for this.
 */
function killGroup(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach(killGroup));

export interface NginxOptions {
  /** How many free ports of 127.0.0.1 the config listens on. */
  ports?: number;
  workerConnections?: number;
  workerProcesses?: number;
}

export interface Nginx {
  /** The free ports `http` was given, in order. */
  ports: number[];
  /** The folder with nginx.conf, error.log and access.log. */
  dir: string;
  /** Writes a new http block and reloads (new workers take new connections); does not wait. */
  reload(http: string): void;
  /** What nginx logged (errors and upstream failures), for a failing test's message. */
  errorLog(): string;
  /** Stops nginx and removes its folder. */
  stop(): Promise<void>;
}

/** Whether something accepts connections on 127.0.0.1:port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * Debian's nginx with `http(ports)` as its http block's content, on free ports of 127.0.0.1;
 * resolves once every port accepts connections. Its pid, logs and temporary files are in a
 * private folder. Works as root (workers run as nobody, so the folder is made readable) and as any
 * other user.
 */
export async function startNginx(
  http: (ports: number[]) => string,
  options: NginxOptions = {},
): Promise<Nginx> {
  const workerConnections = options.workerConnections ?? defaults.workerConnections;
  const bin = nginxPath();
  const dir = mkdtempSync(join(tmpdir(), 'fto-nginx-'));
  chmodSync(dir, 0o755); // as root, the workers (nobody) must reach their temporary folders
  const conf = join(dir, 'nginx.conf');
  const write = (content: string) =>
    writeFileSync(
      conf,
      `# Written by tests/helpers/balancer.ts.
daemon off;
worker_processes ${options.workerProcesses ?? defaults.workerProcesses};
worker_rlimit_nofile ${workerConnections * 2 + 64};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections ${workerConnections}; }

http {
  default_type application/octet-stream;
  log_format upstream '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr $request_time s';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${content}
}
`,
    );

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const ports: number[] = [];
    for (let i = 0; i < (options.ports ?? 1); i++) ports.push(await freePort());
    write(http(ports));
    // -e: the error log before the config is read (Debian's default is stderr; this keeps it here).
    const child = spawn(bin, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true, // its own process group, so killGroup reaches the workers too
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
    const alive = () => child.exitCode === null && child.signalCode === null;
    const errorLog = () => {
      const file = join(dir, 'error.log');
      return (existsSync(file) ? readFileSync(file, 'utf8') : '') + stderr;
    };
    const deadline = Date.now() + defaults.startTimeoutMs;
    let listening = false;
    while (alive() && Date.now() < deadline) {
      if ((await Promise.all(ports.map(accepts))).every(Boolean)) {
        listening = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!listening) {
      killGroup(child);
      await exited;
      lastError = errorLog();
      if (/Address already in use/.test(lastError)) continue; // a free port was taken meanwhile
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start on ports ${ports.join(', ')}:\n${lastError}`);
    }
    return {
      ports,
      dir,
      errorLog,
      reload(content) {
        write(content);
        child.kill('SIGHUP'); // new workers with the new config; old ones finish their requests
      },
      async stop() {
        if (alive()) {
          child.kill('SIGTERM'); // fast shutdown: open SSE streams are cut, not waited for
          const killer = setTimeout(() => killGroup(child), 3000);
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

/** nginx on a free port of 127.0.0.1 in front of `options.upstreams`; resolves once it answers. */
export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const o = {
    maxFails: options.maxFails ?? defaults.maxFails,
    failTimeoutS: options.failTimeoutS ?? defaults.failTimeoutS,
    readTimeoutS: options.readTimeoutS ?? defaults.readTimeoutS,
    upstreams: options.upstreams,
  };
  let generation = 1;
  const nginx = await startNginx(([port]) => balancerSite(o, port!, generation), options);
  const port = nginx.ports[0]!;
  const url = `http://127.0.0.1:${port}`;

  /** Whether the workers answering new connections run config `generation`. */
  const runs = async (want: number) => {
    const deadline = Date.now() + defaults.startTimeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/__balancer`);
        if ((await res.text()).trim() === `generation ${want}`) return true;
      } catch {
        // between two workers
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };

  return {
    port,
    url,
    dir: nginx.dir,
    errorLog: nginx.errorLog,
    async setUpstreams(ports) {
      generation += 1;
      o.upstreams = ports;
      nginx.reload(balancerSite(o, port, generation));
      if (!(await runs(generation)))
        throw new Error(
          `nginx did not reload with upstreams ${ports.join(', ')}:\n${nginx.errorLog()}`,
        );
    },
    stop: nginx.stop,
  };
}
