// The `find-the-others` command from source, for process-level tests that must not depend on dist/.
// Usage: node --import tsx tests/helpers/cli-from-source.ts serve --db … (the same arguments as the bin).
import { cli } from '../../server/cli.js';

cli(process.argv, process.env).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`find-the-others: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
