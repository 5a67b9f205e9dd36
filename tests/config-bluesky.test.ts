import { describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config/index.js';

const argv = (...args: string[]) => ['node', 'find-the-others', 'serve', ...args];

describe('config: Bluesky', () => {
  it('is on by default, like the default Mastodon instances, at Bluesky’s four public Jetstreams and the public AppView', () => {
    const c = parseConfig({}, argv()).bluesky;
    expect(c.enabled).toBe(true);
    expect(c.switchedOff).toBe(false);
    expect(c.jetstreams).toHaveLength(4);
    expect(c.jetstreams[0]).toBe('wss://jetstream1.us-east.bsky.network/subscribe');
    expect(c.appViews).toEqual(['https://public.api.bsky.app']);
    expect(c.login).toBeNull();
  });

  it('is turned off by --no-bluesky or FTO_BLUESKY=0 (or false, no, off), and says it was switched off', () => {
    for (const c of [
      parseConfig({}, argv('--no-bluesky')).bluesky,
      ...['0', 'false', 'no', 'off', ' OFF '].map(
        (v) => parseConfig({ FTO_BLUESKY: v }, argv()).bluesky,
      ),
    ])
      expect(c).toMatchObject({ enabled: false, switchedOff: true });
    expect(parseConfig({ FTO_BLUESKY: '0' }, argv('--bluesky')).bluesky.enabled).toBe(true);
    expect(() => parseConfig({ FTO_BLUESKY: 'maybe' }, argv())).toThrow(
      'FTO_BLUESKY: "maybe" is not true or false',
    );
  });

  it('turns on with --bluesky or a named Jetstream, and --no-bluesky wins over FTO_JETSTREAM', () => {
    expect(parseConfig({}, argv('--bluesky')).bluesky.enabled).toBe(true);
    const named = parseConfig(
      {},
      argv('--jetstream', 'ws://127.0.0.1:9/subscribe', '--jetstream', 'jet.example'),
    );
    expect(named.bluesky.enabled).toBe(true);
    expect(named.bluesky.jetstreams).toEqual([
      'ws://127.0.0.1:9/subscribe',
      'wss://jet.example/subscribe',
    ]);
    expect(
      parseConfig({ FTO_JETSTREAM: 'ws://127.0.0.1:9' }, argv('--no-bluesky')).bluesky.enabled,
    ).toBe(false);
    expect(
      parseConfig({ FTO_BLUESKY: 'on', FTO_BSKY_APPVIEW: 'http://127.0.0.1:8/' }, argv()).bluesky,
    ).toMatchObject({
      enabled: true,
      appViews: ['http://127.0.0.1:8'],
    });
  });

  it('quotes a bad Jetstream URL and refuses an app password without an identifier', () => {
    expect(() => parseConfig({}, argv('--jetstream', 'https://jet.example'))).toThrow(
      '--jetstream: "https://jet.example" must be a ws:// or wss:// URL',
    );
    expect(() => parseConfig({ FTO_BLUESKY_APP_PASSWORD: 'abcd-efgh' }, argv())).toThrow(
      '--bluesky-app-password needs --bluesky-identifier',
    );
    expect(() => parseConfig({}, argv('--bluesky', '--no-bluesky'))).toThrow('contradict');
  });

  it('reads the login from the flags or the environment and never puts the password in a message', () => {
    const c = parseConfig(
      { FTO_BLUESKY_IDENTIFIER: 'me.bsky.social', FTO_BLUESKY_APP_PASSWORD: 'secret-pass' },
      argv(),
    );
    expect(c.bluesky.login).toEqual({ identifier: 'me.bsky.social', appPassword: 'secret-pass' });
    let message = '';
    try {
      parseConfig({}, argv('--bluesky-app-password', 'secret-pass'));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('secret-pass');
  });
});
