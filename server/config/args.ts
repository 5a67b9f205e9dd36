import { parseArgs } from 'node:util';
import { ConfigError } from './values.js';

export type Command = 'serve' | 'demo' | 'locate' | 'build-gazetteer' | 'backup' | 'help';

const commands: Command[] = ['serve', 'demo', 'locate', 'build-gazetteer', 'backup', 'help'];

/** Every flag the command line takes (`usage.ts` describes them); each has a variable too. */
const options = {
  tag: { type: 'string', multiple: true, short: 't' },
  instance: { type: 'string', multiple: true, short: 'i' },
  db: { type: 'string' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'poll-interval': { type: 'string' },
  'backfill-posts': { type: 'string' },
  'backfill-days': { type: 'string' },
  tiles: { type: 'string' },
  'log-level': { type: 'string' },
  config: { type: 'string', short: 'c' },
  relay: { type: 'string', multiple: true },
  aggregator: { type: 'string', multiple: true },
  'strict-consent': { type: 'boolean' },
  resolve: { type: 'string', multiple: true },
  'consent-ttl': { type: 'string' },
  'consent-unreachable': { type: 'string' },
  'consent-unreachable-after': { type: 'string' },
  'consent-pace': { type: 'string' },
  geocoder: { type: 'string' },
  'geocoder-url': { type: 'string' },
  bluesky: { type: 'boolean' },
  'no-bluesky': { type: 'boolean' },
  jetstream: { type: 'string', multiple: true },
  'bsky-appview': { type: 'string', multiple: true },
  'bluesky-identifier': { type: 'string' },
  'bluesky-app-password': { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flags as given: strings, string lists for the repeatable ones, booleans for switches. */
export type Flags = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

export interface Args {
  command: Command;
  flags: Flags;
  /** `backup FILE`: where to write the copy. */
  backupPath: string | null;
}

/** The command, its flags and its one positional (backup's FILE), from argv as process.argv. */
export function parseCommandLine(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(2), allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;

  const commandArg = positionals[0] ?? 'serve';
  if (!commands.includes(commandArg as Command)) {
    throw new ConfigError(
      `unknown command "${commandArg}" (expected one of: ${commands.join(', ')})`,
    );
  }
  const backupPath = commandArg === 'backup' ? (positionals[1] ?? null) : null;
  if (commandArg === 'backup' && !backupPath && !flags.help) {
    throw new ConfigError(
      'backup: name the FILE to write, e.g. "find-the-others backup backup.db"',
    );
  }
  if (positionals.length > (commandArg === 'backup' ? 2 : 1)) {
    throw new ConfigError(`unexpected argument "${positionals[1]}"`);
  }
  return { command: flags.help ? 'help' : (commandArg as Command), flags, backupPath };
}
