import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase } from '../../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../../platform/db/connect.js';
import { checkCode, issueCode, MAX_CODE_ATTEMPTS } from './codes.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('one-time codes', () => {
  it('accept the right code once, and refuse it when replayed', async () => {
    const { code } = await issueCode(database.db, {
      purpose: 'test',
      destination: 'a@example.com',
      minutes: 10,
      payload: { x: 1 },
    });
    expect(code).toMatch(/^\d{6}$/);
    expect(await checkCode(database.db, 'test', 'a@example.com', code)).toEqual({
      ok: true,
      userId: null,
      payload: { x: 1 },
    });
    expect(await checkCode(database.db, 'test', 'a@example.com', code)).toEqual({
      ok: false,
      reason: 'used',
    });
  });

  it('refuse a wrong code, and spend the code after too many wrong tries', async () => {
    const { code } = await issueCode(database.db, {
      purpose: 'test',
      destination: 'b@example.com',
      minutes: 10,
    });
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i < MAX_CODE_ATTEMPTS; i++)
      expect(await checkCode(database.db, 'test', 'b@example.com', wrong)).toEqual({
        ok: false,
        reason: 'wrong',
      });
    expect(await checkCode(database.db, 'test', 'b@example.com', wrong)).toEqual({
      ok: false,
      reason: 'too-many',
    });
    expect(await checkCode(database.db, 'test', 'b@example.com', code)).toEqual({
      ok: false,
      reason: 'too-many',
    });
  });

  it('refuse an expired code, and an earlier code once a new one is sent', async () => {
    const first = await issueCode(database.db, {
      purpose: 'test',
      destination: 'c@example.com',
      minutes: 10,
    });
    const second = await issueCode(database.db, {
      purpose: 'test',
      destination: 'c@example.com',
      minutes: 10,
    });
    if (first.code !== second.code)
      expect((await checkCode(database.db, 'test', 'c@example.com', first.code)).ok).toBe(false);
    await sql`update one_time_codes set expires_at = now() - interval '1 second' where id = ${second.id}`.execute(
      database.db,
    );
    expect(await checkCode(database.db, 'test', 'c@example.com', second.code)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await checkCode(database.db, 'test', 'nobody@example.com', '123456')).toEqual({
      ok: false,
      reason: 'none',
    });
  });
});
