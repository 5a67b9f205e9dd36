import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fto-demo-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('find-the-others demo', () => {
  it('fills the map from both networks, Bluesky on by default, without one connection past 127.0.0.1', async () => {
    // The offline guard (loaded through NODE_OPTIONS) writes what it refused here, for this process only.
    const attempts = join(dir, 'attempts.jsonl');
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', join(root, 'tests', 'helpers', 'cli-from-source.ts'), 'demo'],
        ...['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'demo.db')],
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, FTO_OFFLINE_GUARD_LOG: attempts },
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('exit', () => reject(new Error('the demo exited before it listened')));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const m = /map for .* at (http:\/\/\S+)/.exec(line);
          if (m) resolve(m[1]!);
        });
      });
      await expect
        .poll(
          async () => {
            const summary = (await (await fetch(`${url}/api/campaigns/yourturn`)).json()) as {
              networks: { fediverse: number; bluesky: number };
            };
            return summary.networks.fediverse > 0 && summary.networks.bluesky > 0;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    }
    expect(existsSync(attempts) ? readFileSync(attempts, 'utf8') : '').toBe('');
  }, 90_000);
});
