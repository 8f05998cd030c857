import { Visitor, type TestApp } from './app.js';

/** The demo staff accounts the seed makes, as [e-mail, password], by what they do. */
export const DEMO_STAFF = {
  caseworker: ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'],
  leader: ['team-leader@stroud.example.gov.uk', 'demo-stroud-team-leader'],
  owner: ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'],
  counter: ['counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser'],
  cheltenham: ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'],
  adviser: ['adviser@glos-contact-centre.example.gov.uk', 'demo-contact-centre-adviser'],
  admin: ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'],
} as const;

export type DemoStaff = keyof typeof DEMO_STAFF;

/** A new visitor signed in as one of the demo staff. */
export async function signedInStaff(app: TestApp, who: DemoStaff): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  const [email, password] = DEMO_STAFF[who];
  await visitor.signIn(email, password);
  return visitor;
}

/**
 * Demo staff for one test file, each signed in once and then reused: sign-in is rate-limited
 * per account, and a file that signs the same person in for every test would reach the limit.
 */
export function staffOncePerFile(app: () => TestApp): (who: DemoStaff) => Promise<Visitor> {
  const signedIn = new Map<DemoStaff, Promise<Visitor>>();
  return (who) => {
    let visitor = signedIn.get(who);
    if (!visitor) {
      visitor = signedInStaff(app(), who);
      signedIn.set(who, visitor);
    }
    return visitor;
  };
}
