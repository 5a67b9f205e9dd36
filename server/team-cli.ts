import { parseArgs } from 'node:util';
import { defaultDbPath } from './paths.js';
import { createAuditLog } from './store/audit.js';
import { openDb } from './store/db.js';
import { hashPassword, passwordProblem } from './store/password.js';
import { TeamError, createTeamStore } from './store/team.js';

export const teamUsage = `find-the-others moderators|tokens — the moderation team (docs/moderation.md)

  find-the-others moderators add NAME [--role owner|moderator] [--url https://MAP-HOST]
                                      add someone and print their one-time sign-in link (a day)
  find-the-others moderators link NAME [--url …]   a new sign-in link (the old one stops working)
  find-the-others moderators password NAME         set a password, read from stdin (never a flag)
  find-the-others moderators role NAME owner|moderator
  find-the-others moderators sign-out NAME         end every session of theirs
  find-the-others moderators revoke NAME           off the team: sessions and tokens stop at once
  find-the-others moderators list
  find-the-others tokens add NAME [--role owner|moderator] [--moderator NAME]
                                      print a new API token (shown once) for scripts
  find-the-others tokens revoke NAME
  find-the-others tokens list

  --db PATH   the server's database (FTO_DB; data/find-the-others.db). Changes need no restart.
  Every change is written to the audit log as done by "cli".
`;

export interface TeamCliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** The password for `moderators password`. */
  readStdin: () => Promise<string>;
}

const readAll = async () => {
  let s = '';
  for await (const chunk of process.stdin) s += String(chunk);
  return s;
};

/** `find-the-others moderators …` and `find-the-others tokens …`; argv starts at the subcommand. Returns the exit code. */
export async function teamCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: TeamCliIo = { stdout: process.stdout, stderr: process.stderr, readStdin: readAll },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: 'string' },
        role: { type: 'string' },
        url: { type: 'string' },
        moderator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`find-the-others: ${(err as Error).message}\n${teamUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [group, verb, name, extra] = positionals;
  if (values.help || !verb) {
    io.stdout.write(teamUsage);
    return values.help ? 0 : 2;
  }
  const needsName = verb !== 'list';
  if (needsName && !name) {
    io.stderr.write(`find-the-others: ${group} ${verb} needs a NAME\n${teamUsage}`);
    return 2;
  }
  const db = openDb(values.db ?? env.FTO_DB ?? defaultDbPath);
  const team = createTeamStore(db);
  const audit = createAuditLog(db);
  const record = (action: string, target: string, detail?: Record<string, unknown>) =>
    audit.record({ actor: 'cli', action, target, detail });
  const base = (values.url ?? '').replace(/\/+$/, '');
  const linkLine = (who: string, secret: string) =>
    `Sign-in link for ${who} (works once, for a day; open it on the map's address):\n  ${base}/admin#link=${secret}\n`;
  try {
    const key = `${group} ${verb}`;
    switch (key) {
      case 'moderators add': {
        const m = team.addModerator(name!, values.role ?? 'moderator');
        record('moderator.add', m.name, { role: m.role });
        io.stdout.write(
          `Added ${m.name} (${m.role}).\n${linkLine(m.name, team.createSignInLink(m.name))}`,
        );
        return 0;
      }
      case 'moderators link': {
        const secret = team.createSignInLink(name!);
        record('moderator.link', name!);
        io.stdout.write(linkLine(name!, secret));
        return 0;
      }
      case 'moderators password': {
        const password = (await io.readStdin()).replace(/\r?\n$/, '');
        const problem = passwordProblem(password);
        if (problem) throw new TeamError(problem);
        team.setPasswordHash(name!, await hashPassword(password));
        record('moderator.password', name!);
        io.stdout.write(`Password set for ${name}.\n`);
        return 0;
      }
      case 'moderators role': {
        const m = team.setRole(name!, extra ?? values.role ?? '');
        record('moderator.role', m.name, { role: m.role });
        io.stdout.write(`${m.name} is now ${m.role}.\n`);
        return 0;
      }
      case 'moderators sign-out': {
        const n = team.endAllSessions(name!);
        record('session.end-all', name!);
        io.stdout.write(`Ended ${n} session(s) of ${name}.\n`);
        return 0;
      }
      case 'moderators revoke': {
        const m = team.revokeModerator(name!);
        record('moderator.revoke', m.name);
        io.stdout.write(`Revoked ${m.name}: their sessions and tokens no longer work.\n`);
        return 0;
      }
      case 'moderators list':
        for (const m of team.moderators())
          io.stdout.write(
            `${m.name}\t${m.role}\t${m.hasPassword ? 'password' : 'link only'}\t${m.revokedAt ? `revoked ${m.revokedAt}` : `since ${m.createdAt}`}\n`,
          );
        return 0;
      case 'tokens add': {
        const secret = team.createToken(
          name!,
          values.role ?? 'moderator',
          values.moderator ?? null,
        );
        record('token.add', name!, { role: values.role ?? 'moderator' });
        io.stdout.write(
          `API token ${name} (shown once; send it as "Authorization: Bearer …"):\n  ${secret}\n`,
        );
        return 0;
      }
      case 'tokens revoke':
        team.revokeToken(name!);
        record('token.revoke', name!);
        io.stdout.write(`Revoked token ${name}.\n`);
        return 0;
      case 'tokens list':
        for (const t of team.tokens())
          io.stdout.write(
            `${t.name}\t${t.role}\t${t.moderator ?? '(team)'}\t${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}\n`,
          );
        return 0;
      default:
        io.stderr.write(`find-the-others: unknown command "${key}"\n${teamUsage}`);
        return 2;
    }
  } catch (err) {
    if (!(err instanceof TeamError)) throw err;
    io.stderr.write(`find-the-others: ${err.message}\n`);
    return 1;
  } finally {
    db.close();
  }
}
