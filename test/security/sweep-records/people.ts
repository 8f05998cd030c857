import { currentTotp } from '../../../src/modules/identity/index.js';
import { Visitor, type TestApp } from '../../helpers/app.js';
import { aConfirmedCitizen } from '../../helpers/citizens.js';
import type { MakerSession } from './index.js';

/** A maker's session as the sweep uses it: its name and the browser's cookies now. */
export const session = (name: string, visitor: Visitor): MakerSession => ({
  name,
  cookie: visitor.cookieHeader(),
});

/** Fails the maker (and so the sweep) when a step a person takes is refused. */
export function expectStatus(response: Response, status: number, step: string): void {
  if (response.status !== status)
    throw new Error(
      `${step}: ${response.status}, not ${status} (${response.headers.get('location')})`,
    );
}

let people = 0;
/** An e-mail address no one else in the sweep has: `sweep-<name>-<n>@example.com`. */
export const uniqueEmail = (name: string) => `sweep-${name}-${++people}@example.com`;

/** A new citizen of a maker's own with a confirmed e-mail address (and a phone if given), signed in. */
export async function aCitizen(app: TestApp, name: string, phone?: string) {
  const made = await aConfirmedCitizen(app.platform.database.db, {
    email: uniqueEmail(name),
    displayName: `Sweep ${name}`,
    ...(phone ? { phone } : {}),
  });
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(made.email, made.password);
  return { visitor, ...made };
}

/**
 * Sets up an authenticator app on /account/second-factor as the person would, typing the code
 * their app shows: the session rises to a second factor.
 */
export async function setUpApp(visitor: Visitor): Promise<void> {
  await visitor.get('/account/second-factor');
  expectStatus(
    await visitor.post('/account/second-factor', { method: 'totp', returnTo: '' }),
    303,
    'choosing an app',
  );
  const page = await visitor.get('/account/second-factor/app');
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.html)?.[1]?.replace(/ /g, '');
  if (!secret) throw new Error('No key on the authenticator app page');
  const proved = await visitor.post('/account/second-factor/app', {
    code: await currentTotp(secret),
    returnTo: '',
  });
  expectStatus(proved, 303, 'proving the app');
}
