import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultInstances, parseConfig } from '../server/config/index.js';

const argv = (...args: string[]) => ['node', 'find-the-others', ...args];

describe('parseConfig', () => {
  it('defaults to serving #yourturn from a few large instances on port 3000', () => {
    const config = parseConfig({}, argv());
    expect(config.command).toBe('serve');
    expect(config.tags).toEqual(['yourturn']);
    expect(config.instances).toEqual(defaultInstances);
    expect(config.port).toBe(3000);
    expect(config.dbPath).toMatch(/data[/\\]find-the-others\.db$/);
  });

  it('keeps the demo offline: no map tiles unless asked for by flag or environment', () => {
    expect(parseConfig({}, argv()).tileUrl).toMatch(/^https:\/\/tile\.openstreetmap\.org\//);
    expect(parseConfig({}, argv('demo')).tileUrl).toBeNull();
    expect(
      parseConfig({}, argv('demo', '--tiles', 'https://t.example/{z}/{x}/{y}.png')).tileUrl,
    ).toBe('https://t.example/{z}/{x}/{y}.png');
    expect(
      parseConfig({ FTO_TILE_URL: 'https://t.example/{z}/{x}/{y}.png' }, argv('demo')).tileUrl,
    ).toBe('https://t.example/{z}/{x}/{y}.png');
  });

  it('reads repeated flags and normalises tags and instance URLs', () => {
    const config = parseConfig(
      {},
      argv(
        'serve',
        '--tag',
        '#YourTurn',
        '-t',
        'OtherTag',
        '--instance',
        'http://127.0.0.1:4000',
        '-i',
        'hachyderm.io',
        '--port',
        '0',
        '--db',
        '/tmp/x.db',
      ),
    );
    expect(config.tags).toEqual(['yourturn', 'othertag']);
    expect(config.instances).toEqual(['http://127.0.0.1:4000', 'https://hachyderm.io']);
    expect(config.port).toBe(0);
    expect(config.dbPath).toBe('/tmp/x.db');
  });

  it('gives every flag an environment variable, and flags win over it', () => {
    const env = {
      FTO_TAGS: 'a,b',
      FTO_INSTANCES: 'https://x.example',
      FTO_DB: '/tmp/e.db',
      PORT: '8080',
      FTO_TILE_URL: 'none',
      FTO_POLL_INTERVAL_MS: '5000',
    };
    const config = parseConfig(env, argv());
    expect(config).toMatchObject({
      tags: ['a', 'b'],
      instances: ['https://x.example'],
      dbPath: '/tmp/e.db',
      port: 8080,
      tileUrl: null,
      pollIntervalMs: 5000,
    });
    expect(parseConfig(env, argv('--port', '9090')).port).toBe(9090);
  });

  it.each([
    [['--port', 'eighty'], /--port: "eighty" is not a whole number/],
    [['--port', '70000'], /--port: 70000 is outside 0..65535/],
    [['--tag', 'your turn'], /--tag: "your turn" is not a hashtag/],
    [['--instance', 'ftp://x.example'], /--instance: "ftp:\/\/x.example" must be an http\(s\) URL/],
    [['--instance', 'https://x.example/@bob'], /must be an instance origin without a path/],
    [['--tiles', 'https://tiles.example/a.png'], /must be an http\(s\) URL template with \{z\}/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['launch'], /unknown command "launch"/],
  ])('rejects %j with a message naming the bad value', (args, message) => {
    expect(() => parseConfig({}, argv(...args))).toThrow(ConfigError);
    expect(() => parseConfig({}, argv(...args))).toThrow(message);
  });

  it('names the environment variable when the bad value came from it', () => {
    expect(() => parseConfig({ PORT: 'x' }, argv())).toThrow(/^PORT: "x"/);
    expect(() => parseConfig({ FTO_INSTANCES: 'https://ok.example,not a url' }, argv())).toThrow(
      /FTO_INSTANCES: "not a url"/,
    );
  });
});

describe('parseConfig: collector sources', () => {
  const fileWith = (content: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'fto-config-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('reads tokens from the config file and FTO_TOKENS, the environment winning, keyed by origin', () => {
    const path = fileWith({
      instances: { 'https://a.example': { token: 'file-a' }, 'b.example': { token: 'file-b' } },
    });
    const config = parseConfig(
      { FTO_TOKENS: 'https://b.example=env=b, https://c.example/=env-c' },
      argv('--config', path),
    );
    expect(config.tokens).toEqual({
      'https://a.example': 'file-a',
      'https://b.example': 'env=b',
      'https://c.example': 'env-c',
    });
    expect(config.instances).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes relays and strict consent from flags or the environment', () => {
    expect(parseConfig({}, argv()).strictConsent).toBe(false);
    expect(parseConfig({ FTO_STRICT_CONSENT: 'true' }, argv()).strictConsent).toBe(true);
    expect(parseConfig({}, argv('--strict-consent')).strictConsent).toBe(true);
    const config = parseConfig(
      { FTO_RELAYS: 'https://relay.example/api/v1/streaming/public' },
      argv(),
    );
    expect(config.relays).toEqual(['https://relay.example/api/v1/streaming/public']);
  });

  it('takes consent look-up settings and --resolve entries from flags, the environment or the config file', () => {
    const base = parseConfig({}, argv());
    expect(base.consent).toEqual({
      ttlMs: 86_400_000,
      unreachableAfterMs: 21_600_000,
      unreachable: 'wait',
      paceMs: 2000,
    });
    expect(base.resolve).toEqual({});
    const flags = parseConfig(
      { FTO_RESOLVE: 'a.example=http://127.0.0.1:1,b.example=https://b.host' },
      argv(
        ...['--consent-ttl', '5000', '--consent-unreachable', 'show'],
        ...['--resolve', 'A.example=http://127.0.0.1:2', '--consent-pace', '0'],
      ),
    );
    expect(flags.consent).toMatchObject({ ttlMs: 5000, unreachable: 'show', paceMs: 0 });
    expect(flags.resolve).toEqual({
      'a.example': 'http://127.0.0.1:2',
      'b.example': 'https://b.host',
    });
    const dir = mkdtempSync(join(tmpdir(), 'fto-config-consent-'));
    const path = join(dir, 'c.json');
    writeFileSync(
      path,
      JSON.stringify({ resolve: { 'x.example': 'http://127.0.0.1:3' }, consent: { ttlMs: 60000 } }),
    );
    const file = parseConfig({}, argv('--config', path));
    expect(file.resolve).toEqual({ 'x.example': 'http://127.0.0.1:3' });
    expect(file.consent.ttlMs).toBe(60000);
    expect(() => parseConfig({}, argv('--consent-unreachable', 'maybe'))).toThrow(
      /--consent-unreachable: "maybe" is not wait or show/,
    );
    expect(() => parseConfig({}, argv('--resolve', 'x.example'))).toThrow(/HOST=URL/);
    expect(() => parseConfig({}, argv('--resolve', 'x.example=http://h/path'))).toThrow(
      /without a path/,
    );
  });

  it('follows no aggregator unless one is named, by flag, environment or config file, the flag winning', () => {
    expect(parseConfig({}, argv()).aggregators).toEqual([]);
    expect(
      parseConfig({ FTO_AGGREGATORS: 'fedi.buzz, https://tags.example' }, argv()).aggregators,
    ).toEqual(['https://fedi.buzz', 'https://tags.example']);
    const path = fileWith({ aggregators: ['https://file.example'] });
    expect(parseConfig({}, argv('--config', path)).aggregators).toEqual(['https://file.example']);
    expect(
      parseConfig(
        { FTO_AGGREGATORS: 'https://env.example' },
        argv('--config', path, '--aggregator', 'https://fedi.buzz', '--aggregator', 'fedi.buzz'),
      ).aggregators,
    ).toEqual(['https://fedi.buzz']);
  });

  it('names a bad aggregator and where it came from', () => {
    expect(() => parseConfig({}, argv('--aggregator', 'https://fedi.buzz/api'))).toThrow(
      /--aggregator: "https:\/\/fedi.buzz\/api" must be an instance origin without a path/,
    );
    expect(() => parseConfig({}, argv('--config', fileWith({ aggregators: 'fedi.buzz' })))).toThrow(
      /"aggregators" must list aggregator URLs/,
    );
    expect(() => parseConfig({}, argv('--config', fileWith({ aggregators: [7] })))).toThrow(
      /aggregators must be URLs/,
    );
  });

  it('names the bad token entry without printing any token', () => {
    expect(() => parseConfig({ FTO_TOKENS: 'https://a.example' }, argv())).toThrow(
      /FTO_TOKENS: expected https:\/\/instance=TOKEN pairs/,
    );
    const path = fileWith({ instances: { 'https://a.example': { token: 42 } } });
    expect(() => parseConfig({}, argv('--config', path))).toThrow(
      /instances\["https:\/\/a.example"\].token must be a non-empty string/,
    );
    expect(() => parseConfig({ FTO_STRICT_CONSENT: 'maybe' }, argv())).toThrow(
      /FTO_STRICT_CONSENT: "maybe" is not true or false/,
    );
  });
});

describe('parseConfig: online geocoder', () => {
  it('keeps the online geocoder off unless asked, with Nominatim as the default server', () => {
    const config = parseConfig({}, argv());
    expect(config.geocoder).toBeNull();
    expect(config.geocoderUrl).toBe('https://nominatim.openstreetmap.org');
  });

  it('turns the geocoder on from --geocoder or FTO_GEOCODER, the flag winning', () => {
    expect(parseConfig({ FTO_GEOCODER: 'nominatim' }, argv()).geocoder).toBe('nominatim');
    expect(parseConfig({}, argv('--geocoder', 'Nominatim')).geocoder).toBe('nominatim');
    expect(
      parseConfig({ FTO_GEOCODER: 'nominatim' }, argv('--geocoder', 'none')).geocoder,
    ).toBeNull();
  });

  it('takes the server from --geocoder-url or FTO_GEOCODER_URL without a trailing slash', () => {
    expect(parseConfig({ FTO_GEOCODER_URL: 'http://127.0.0.1:8080/' }, argv()).geocoderUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(
      parseConfig({}, argv('--geocoder-url', 'https://geo.example/nominatim')).geocoderUrl,
    ).toBe('https://geo.example/nominatim');
  });

  it('names a bad geocoder or server and quotes the value', () => {
    expect(() => parseConfig({ FTO_GEOCODER: 'google' }, argv())).toThrow(
      /FTO_GEOCODER "google" is not a geocoder/,
    );
    expect(() => parseConfig({}, argv('--geocoder-url', 'ftp://x'))).toThrow(
      /--geocoder-url "ftp:\/\/x" must be an http\(s\) URL/,
    );
    expect(() => parseConfig({}, argv('--geocoder-url', 'not a url'))).toThrow(ConfigError);
  });
});

describe('parseConfig: role', () => {
  it('serves and collects by default, and takes the role from --role or FTO_ROLE, the flag winning', () => {
    expect(parseConfig({}, argv()).role).toBe('all');
    expect(parseConfig({ FTO_ROLE: 'collect' }, argv()).role).toBe('collect');
    expect(parseConfig({ FTO_ROLE: 'collect' }, argv('--role', 'serve')).role).toBe('serve');
  });

  it('names a bad role and where it came from', () => {
    expect(() => parseConfig({}, argv('--role', 'both'))).toThrow(
      /--role: "both" is not one of all, serve, collect/,
    );
    expect(() => parseConfig({ FTO_ROLE: 'web' }, argv())).toThrow(/FTO_ROLE: "web"/);
  });
});

describe('parseConfig: behind a balancer', () => {
  it('believes X-Forwarded-For from this machine only, unless FTO_TRUST_PROXY names the balancers', () => {
    expect(parseConfig({}, argv()).trustProxy).toBe('loopback');
    expect(
      parseConfig({ FTO_TRUST_PROXY: '10.0.0.5,192.168.0.0/16 , loopback' }, argv()).trustProxy,
    ).toBe('10.0.0.5, 192.168.0.0/16, loopback');
  });

  it('names a bad FTO_TRUST_PROXY entry and quotes it', () => {
    expect(() => parseConfig({ FTO_TRUST_PROXY: 'loopback,nginx' }, argv())).toThrow(
      /FTO_TRUST_PROXY: "nginx" is not an address/,
    );
  });
});
