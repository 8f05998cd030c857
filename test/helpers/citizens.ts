import type { Db } from '../../src/platform/db/database.js';
import { registerCitizen } from '../../src/modules/identity/index.js';
import { Visitor, type TestApp } from './app.js';

/** The password the helpers give a citizen when the test does not choose one. */
export const CITIZEN_PASSWORD = 'correct horse battery staple';

export interface NewCitizen {
  /** By default a new one each time (citizen-1@example.com, …), so tests never share an account. */
  email?: string;
  password?: string;
  displayName?: string;
  /** A confirmed mobile number, e.g. for text-message codes and reminders. */
  phone?: string;
}

/**
 * A citizen account made directly, with its e-mail address already confirmed (and the mobile,
 * if given), so a test can start where registering would have left the person.
 *
 * @example const { id } = await aConfirmedCitizen(db(), { email: 'sam@example.com' });
 */
let made = 0;

export async function aConfirmedCitizen(
  db: Db,
  {
    email = `citizen-${++made}@example.com`,
    password = CITIZEN_PASSWORD,
    displayName = 'Test Person',
    phone,
  }: NewCitizen = {},
): Promise<{ id: string; email: string; password: string }> {
  const made = await registerCitizen(db, { email, password, displayName });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  await db
    .updateTable('users')
    .set({
      email_verified_at: new Date(),
      ...(phone ? { phone, phone_verified_at: new Date() } : {}),
    })
    .where('id', '=', made.user.id)
    .execute();
  return { id: made.user.id, email, password };
}

/**
 * A confirmed citizen (see `aConfirmedCitizen`) and a visitor signed in as them.
 *
 * @example const { visitor, userId } = await aSignedInCitizen(app, { phone: '+447700900123' });
 */
export async function aSignedInCitizen(
  app: TestApp,
  citizen: NewCitizen = {},
): Promise<{ visitor: Visitor; userId: string; email: string }> {
  const { id, email, password } = await aConfirmedCitizen(app.platform.database.db, citizen);
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return { visitor, userId: id, email };
}
