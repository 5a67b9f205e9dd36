import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acctProblem, domainProblem } from '../../shared/admin.js';
import { apiFixture } from './fixture.js';

// The admin page checks what is typed before sending it (shared/admin.ts); the server checks
// again with the same patterns. Each example goes through both, so they cannot drift apart.

const token = 'test-admin-token';
const auth = { Authorization: `Bearer ${token}` };

const accounts: [typed: string, ok: boolean][] = [
  ['ada@hachyderm.io', true],
  ['Ada_99@Mastodon.Social', true],
  ['ada@sub.domain.example', true],
  ['ada', false],
  ['ada@localhost', false],
  ['ada@@x.example', false],
  ['ada smith@x.example', false],
  ['ada@x.example/evil', false],
  ['https://x.example/@ada', false],
];

const domains: [typed: string, ok: boolean][] = [
  ['spam.example', true],
  ['SPAM.Example', true],
  ['a-b.c-d.example', true],
  ['localhost', false],
  ['spam..example', false],
  ['spam.example/', false],
  ['https://spam.example', false],
  ['ada@spam.example', false],
  ['spam_x.example', false],
  [`${'a'.repeat(250)}.example`, false],
];

describe('what the admin page and the server take as an account or a domain', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({ adminToken: token });
  });
  afterAll(() => f.close());

  const kinds = {
    account: { problem: acctProblem, path: (x: string) => `/api/admin/accounts/${x}/hide` },
    domain: { problem: domainProblem, path: (x: string) => `/api/admin/domains/${x}/block` },
  };
  const examples = [
    ...accounts.map(([typed, ok]) => ['account', typed, ok] as const),
    ...domains.map(([typed, ok]) => ['domain', typed, ok] as const),
  ];

  it.each(examples)('%s %j: accepted %s by both', async (kind, typed, ok) => {
    const { problem, path } = kinds[kind];
    expect(problem(typed) === null).toBe(ok);
    const res = await request(f.app)
      .post(path(encodeURIComponent(typed)))
      .set(auth);
    expect(res.status).toBe(ok ? 200 : 400);
    if (!ok) expect(res.body.error).toMatch(/^(acct|domain): .* is not an? (account|domain) like/);
  });

  it('takes an account with the @ people usually type in front, and says what is wrong otherwise', () => {
    expect(acctProblem('@ada@hachyderm.io')).toBeNull();
    expect(acctProblem('  ')).toBe('Type an account such as user@example.social.');
    expect(acctProblem('ada')).toBe(
      '"ada" is not an account like user@example.social (the part after @ is its server).',
    );
    expect(domainProblem('')).toBe('Type a domain such as spam.example.');
    expect(domainProblem('spam example')).toBe(
      '"spam example" is not a domain like spam.example (letters, digits, dashes and dots only).',
    );
  });
});
