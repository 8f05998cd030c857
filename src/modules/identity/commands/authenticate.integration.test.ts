import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../../platform/db/connect.js';
import * as passwords from '../passwords.js';
import { authenticate, MAX_FAILED_SIGN_INS, registerCitizen } from './accounts.js';

vi.mock('../passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../passwords.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const PASSWORD = 'a long and memorable passphrase';
let database: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(() => {
  vi.mocked(passwords.verifyPassword).mockClear();
});

async function aPerson(email: string) {
  const made = await registerCitizen(database.db, {
    email,
    password: PASSWORD,
    displayName: 'Pat',
  });
  if (!made.ok) throw new Error('not made');
  return made.user;
}

describe('authenticate', () => {
  it('does one password verification for an unknown e-mail, as for a known one', async () => {
    await aPerson('known@example.com');
    const unknown = await authenticate(database.db, 'unknown@example.com', 'not the password');
    expect(passwords.verifyPassword).toHaveBeenCalledTimes(1);
    const known = await authenticate(database.db, 'known@example.com', 'not the password');
    expect(passwords.verifyPassword).toHaveBeenCalledTimes(2);
    expect(unknown).toEqual(known);
    expect(unknown).toEqual({
      ok: false,
      errors: [{ field: 'email', message: 'identity.signIn.wrong' }],
    });
  });

  it('refuses the right password of a locked account with the usual answer, after one verification', async () => {
    await aPerson('locked@example.com');
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++)
      await authenticate(database.db, 'locked@example.com', 'not the password', {
        baseUrl: 'https://joinedup.example',
      });
    vi.mocked(passwords.verifyPassword).mockClear();
    const outcome = await authenticate(database.db, 'LOCKED@example.com', PASSWORD);
    expect(passwords.verifyPassword).toHaveBeenCalledTimes(1);
    expect(outcome).toEqual({
      ok: false,
      errors: [{ field: 'email', message: 'identity.signIn.wrong' }],
    });
    const mail = await database.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .executeTakeFirstOrThrow();
    expect((mail.payload as { text: string }).text).toMatch(
      /https:\/\/joinedup\.example\/unlock\?user=[\w-]+&code=\d{10}/,
    );
  });
});
