#!/usr/bin/env node
// The installed command: runs the compiled server (npm run build).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('find-the-others: not built yet; run "npm run build" first.\n');
  process.exit(2);
}
const { cli } = await import(entry.href);
cli(process.argv, process.env).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`find-the-others: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
