import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/index.js';

const argv = (...args: string[]) => ['node', 'find-the-others', ...args];
const fileWith = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'fto-config-')), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('campaign identity, admin token and backup in the configuration', () => {
  it('gives every campaign a title, call to action and example post when the config file says nothing', () => {
    const config = parseConfig({}, argv('--tag', 'YourTurn', '--tag', 'other'));
    expect(config.identities.yourturn).toEqual({
      title: '#yourturn',
      description: 'People posting #yourturn on the fediverse, and where they are.',
      callToAction: 'Post #yourturn with the name of your city to join the map.',
      examplePost: '#yourturn <your city>',
      link: null,
      accentColor: null,
    });
    expect(Object.keys(config.identities)).toEqual(['yourturn', 'other']);
    expect(config.adminToken).toBeNull();
    expect(config.rateLimit).toBe(20);
  });

  it('reads the identity from the config file next to the collector keys', () => {
    const path = fileWith({
      instances: ['https://a.example'],
      campaigns: {
        YourTurn: {
          title: 'Your Turn',
          examplePost: '#YourTurn Portland',
          link: { url: 'https://book.example', label: 'The book' },
          accentColor: '#c2410c',
        },
      },
    });
    const config = parseConfig({ FTO_ADMIN_TOKEN: ' s3cret ' }, argv('--config', path));
    expect(config.identities.yourturn).toMatchObject({
      title: 'Your Turn',
      examplePost: '#YourTurn Portland',
      callToAction: 'Post #yourturn with the name of your city to join the map.',
      link: { url: 'https://book.example', label: 'The book' },
      accentColor: '#c2410c',
    });
    expect(config.adminToken).toBe('s3cret');
  });

  it('names the bad key of a campaign identity', () => {
    const cases: [unknown, RegExp][] = [
      [
        { campaigns: { yourturn: { accentColor: 'red' } } },
        /campaigns\.yourturn\.accentColor: must be a hex colour/,
      ],
      [
        { campaigns: { yourturn: { link: { url: 'javascript:alert(1)', label: 'x' } } } },
        /campaigns\.yourturn\.link\.url: must be an http\(s\) URL/,
      ],
      [
        { campaigns: { yourturn: { titel: 'typo' } } },
        /campaigns\.yourturn: Unrecognized key: "titel"/,
      ],
      [{ campaigns: { yourturn: { title: 3 } } }, /campaigns\.yourturn\.title: Invalid input/],
    ];
    for (const [content, message] of cases) {
      expect(() => parseConfig({}, argv('--config', fileWith(content)))).toThrow(message);
    }
  });

  it('takes the backup file as the argument of the backup command, and requires it', () => {
    expect(parseConfig({}, argv('backup', '/tmp/copy.db'))).toMatchObject({
      command: 'backup',
      backupPath: '/tmp/copy.db',
    });
    expect(() => parseConfig({}, argv('backup'))).toThrow(/backup: name the FILE/);
    expect(() => parseConfig({}, argv('serve', 'extra'))).toThrow(/unexpected argument "extra"/);
  });
});
