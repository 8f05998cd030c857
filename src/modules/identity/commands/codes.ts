import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

export interface OneTimeCodeTable {
  id: import('kysely').Generated<string>;
  purpose: string;
  user_id: string | null;
  destination: string;
  code_hash: string;
  payload: import('kysely').ColumnType<Record<string, unknown>, string | undefined, never>;
  attempts: import('kysely').Generated<number>;
  created_at: import('kysely').Generated<Date>;
  expires_at: Date;
  used_at: import('kysely').ColumnType<Date | null, never, Date | ReturnType<typeof sql>>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    one_time_codes: OneTimeCodeTable;
  }
}

/** Wrong tries allowed before a code is spent. */
export const MAX_CODE_ATTEMPTS = 5;

function hashCode(id: string, code: string): string {
  return createHash('sha256').update(`${id}:${code}`).digest('hex');
}

/**
 * Issues a numeric code for a purpose (e.g. 'email-confirmation') and destination (an e-mail,
 * phone or user id), replacing any earlier unused code for the same pair. Only its hash is stored.
 * Returns the code to send; the caller sends it through the outbox in the same transaction.
 *
 * @example const { code } = await issueCode(trx, { purpose: 'email-confirmation', destination: email, userId, minutes: 15 });
 */
export async function issueCode(
  db: Db,
  input: {
    purpose: string;
    destination: string;
    userId?: string | null;
    minutes: number;
    digits?: number;
    payload?: Record<string, unknown>;
  },
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const digits = input.digits ?? 6;
  const code = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
  const expiresAt = new Date(Date.now() + input.minutes * 60_000);
  await db
    .updateTable('one_time_codes')
    .set({ used_at: sql`now()` })
    .where('purpose', '=', input.purpose)
    .where('destination', '=', input.destination)
    .where('used_at', 'is', null)
    .execute();
  const row = await db
    .insertInto('one_time_codes')
    .values({
      purpose: input.purpose,
      destination: input.destination,
      user_id: input.userId ?? null,
      code_hash: 'pending',
      payload: JSON.stringify(input.payload ?? {}),
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('one_time_codes')
    .set({ code_hash: hashCode(row.id, code) } as never)
    .where('id', '=', row.id)
    .execute();
  return { id: row.id, code, expiresAt };
}

export type CodeCheck =
  | { ok: true; userId: string | null; payload: Record<string, unknown> }
  | { ok: false; reason: 'wrong' | 'expired' | 'used' | 'none' | 'too-many' };

/**
 * Checks a code typed for a purpose and destination. A right code is spent at once (a replay
 * fails with 'used'); a wrong one counts against the code, which is spent after five.
 */
export async function checkCode(
  db: Db,
  purpose: string,
  destination: string,
  typed: string,
): Promise<CodeCheck> {
  const latest = await db
    .selectFrom('one_time_codes')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('destination', '=', destination)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return { ok: false, reason: 'none' };
  if (latest.used_at)
    return { ok: false, reason: latest.attempts >= MAX_CODE_ATTEMPTS ? 'too-many' : 'used' };
  if (latest.expires_at.getTime() < Date.now()) return { ok: false, reason: 'expired' };
  const given = Buffer.from(hashCode(latest.id, typed.replace(/\s+/g, '')));
  const expected = Buffer.from(latest.code_hash);
  if (given.length === expected.length && timingSafeEqual(given, expected)) {
    const spent = await db
      .updateTable('one_time_codes')
      .set({ used_at: sql`now()` })
      .where('id', '=', latest.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
    return { ok: true, userId: latest.user_id, payload: latest.payload };
  }
  const attempts = latest.attempts + 1;
  await db
    .updateTable('one_time_codes')
    .set({ attempts, ...(attempts >= MAX_CODE_ATTEMPTS ? { used_at: sql`now()` } : {}) } as never)
    .where('id', '=', latest.id)
    .execute();
  return { ok: false, reason: attempts >= MAX_CODE_ATTEMPTS ? 'too-many' : 'wrong' };
}

/** Spends every unused code issued for this purpose and destination, so none can be used. */
export async function spendCodes(db: Db, purpose: string, destination: string): Promise<void> {
  await db
    .updateTable('one_time_codes')
    .set({ used_at: sql`now()` })
    .where('purpose', '=', purpose)
    .where('destination', '=', destination)
    .where('used_at', 'is', null)
    .execute();
}
