import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/store/password.js';

describe('moderator passwords', () => {
  it('are stored as salted scrypt hashes that verify only the same password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait, s’il vous plaît');
    expect(await verifyPassword('cafe\u0301 au lait, s’il vous plaît', hash)).toBe(true);
  });

  it('refuses short and huge passwords, and never throws on a malformed hash', async () => {
    expect(passwordProblem('short')).toBe('a password needs at least 12 characters (got 5)');
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most 1024 characters \(got 2000\)/);
    await expect(hashPassword('short')).rejects.toThrow(/at least 12/);
    for (const bad of [
      '',
      'scrypt$1$2$3',
      'bcrypt$1$2$3$4$5',
      'scrypt$99999999$8$1$a$b',
      'scrypt$x$8$1$a$b',
    ])
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
  });
});
