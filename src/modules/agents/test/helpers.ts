import { expect } from 'vitest';
import { sql } from 'kysely';
import { registerCitizen } from '../../identity/index.js';
import type { TestApp } from '../../../../test/helpers/app.js';

/** A citizen account with a confirmed e-mail, made directly so the tests do not depend on registration. */
export async function aCitizenAccount(app: TestApp, email: string, displayName: string) {
  const db = app.platform.database.db;
  const outcome = await registerCitizen(db, {
    email,
    displayName,
    password: 'a-long-test-password',
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  await db
    .updateTable('users')
    .set({ email_verified_at: new Date() })
    .where('id', '=', outcome.user.id)
    .execute();
  return { id: outcome.user.id, email, password: 'a-long-test-password' };
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

export async function lastMailTo(app: TestApp, to: string) {
  const rows = await app.platform.database.db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .orderBy('id', 'desc')
    .execute();
  const found = rows
    .map((r) => r.payload as { to: string; subject: string; text: string })
    .find((p) => p.to === to);
  expect(found, `an e-mail to ${to}`).toBeDefined();
  return found!;
}
