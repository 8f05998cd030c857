import { expect } from 'vitest';
import { sql } from 'kysely';
import type { TestApp } from '../../../../test/helpers/app.js';
import { aConfirmedCitizen } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';

/** A citizen account with a confirmed e-mail, made directly so the tests do not depend on registration. */
export async function aCitizenAccount(app: TestApp, email: string, displayName: string) {
  return aConfirmedCitizen(app.platform.database.db, {
    email,
    displayName,
    password: 'a-long-test-password',
  });
}

export async function userIdOf(app: TestApp, email: string): Promise<string> {
  const row = await app.platform.database.db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function auditOf(app: TestApp, action: string) {
  return app.platform.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** The newest e-mail queued for `to` (the test fails if there is none). */
export async function lastMailTo(app: TestApp, to: string) {
  const found = (await mailsTo(app.platform.database.db, to)).at(-1);
  expect(found, `an e-mail to ${to}`).toBeDefined();
  return found!;
}
