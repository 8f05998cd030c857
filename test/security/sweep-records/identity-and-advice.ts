import { findOrganisationBySlug } from '../../../src/modules/organisations/index.js';
import { DEMO_COUNCIL_TAX } from '../../../src/modules/enrolment/index.js';
import { hiddenValue, Visitor, weekdayAhead, type TestApp } from '../../helpers/app.js';
import { CITIZEN_PASSWORD } from '../../helpers/citizens.js';
import { lastCodeFor, mailsTo } from '../../helpers/outbox.js';
import { signedInStaff } from '../../helpers/staff.js';
import type { MatrixSessions } from '../matrix-sessions.js';
import type { RecordMaker, SweepPage } from './index.js';
import { aCitizen, expectStatus, session, setUpApp, uniqueEmail } from './people.js';
import { sendParkingPermit } from '../../helpers/journeys.js';

/**
 * Identity, one-time codes and the contact centre: the pages behind a second factor, a verified
 * identity, a team leader, a code or link sent by e-mail or letter, and an adviser's customer. The
 * people here are signed in by the maker itself (the matrix holds no one at those levels, and a
 * payload sent as a matrix person must not lock or step up that person for the rest of the sweep),
 * and every record is made through the app's own pages as a person would.
 */
export const identityAndAdvice: RecordMaker = async (app, sessions) => [
  ...(await secondFactorPages(app)),
  ...(await verificationPages(app)),
  ...(await codePages(app, sessions)),
  ...(await accessRequestPages(app)),
  ...(await adviserPages(app)),
];

/**
 * Signing in with a second factor (its code page, and sending a code again), and an app chosen
 * but not yet proved. Each person is new: the sweep's wrong codes count against their account.
 */
async function secondFactorPages(app: TestApp): Promise<SweepPage[]> {
  // Someone with codes by e-mail who has typed their password: the code page (with its button
  // that sends another code) is theirs until they type the code.
  const returning = await aCitizen(app, 'returning');
  await returning.visitor.get('/account/second-factor');
  expectStatus(
    await returning.visitor.post('/account/second-factor', { method: 'email', returnTo: '' }),
    303,
    'choosing codes by e-mail',
  );
  await returning.visitor.get('/account/second-factor/code?method=email');
  expectStatus(
    await returning.visitor.post('/account/second-factor/code', {
      method: 'email',
      code: await lastCodeFor(app.platform.database.db, returning.email),
      returnTo: '',
    }),
    303,
    'proving codes by e-mail',
  );
  const signingIn = new Visitor(app.baseUrl);
  await signingIn.get('/sign-in');
  const held = await signingIn.post('/sign-in', {
    email: returning.email,
    password: returning.password,
    returnTo: '/',
  });
  expectStatus(held, 303, 'signing in with a second factor');
  // Someone who chose an app and has not typed its first code yet.
  const choosing = await aCitizen(app, 'choosing');
  await choosing.visitor.get('/account/second-factor');
  expectStatus(
    await choosing.visitor.post('/account/second-factor', { method: 'totp', returnTo: '' }),
    303,
    'choosing an app',
  );
  return [
    { path: '/sign-in/second-factor', who: session('signing in, at the code', signingIn) },
    { path: '/account/second-factor/app', who: session('setting up an app', choosing.visitor) },
  ];
}

/** Sam Citizen as DWP's demo register holds them (README: "Proving your identity"). */
const SAM = { givenName: 'Sam', familyName: 'Citizen', nino: 'JG103759A', postcode: 'GL5 4UB' };

/**
 * Proving identity online (each question page and "check", for a citizen at a second factor who
 * has answered them all) and face to face (the counter adviser's search and record pages, the
 * adviser at a second factor too).
 */
async function verificationPages(app: TestApp): Promise<SweepPage[]> {
  const verifier = await aCitizen(app, 'verifier');
  await setUpApp(verifier.visitor);
  const answer = async (step: string, fields: Record<string, string>) => {
    await verifier.visitor.get(`/verify/${step}`);
    expectStatus(await verifier.visitor.post(`/verify/${step}`, fields), 303, `/verify/${step}`);
  };
  await verifier.visitor.get('/verify');
  expectStatus(await verifier.visitor.post('/verify', { returnTo: '/' }), 303, 'starting /verify');
  await answer('name', { givenName: SAM.givenName, familyName: SAM.familyName });
  await answer('date-of-birth', {
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '7',
    'dateOfBirth-year': '1985',
  });
  await answer('national-insurance-number', { nino: SAM.nino });
  await answer('postcode', { postcode: SAM.postcode });
  const online = session('proving identity online', verifier.visitor);

  const counter = await signedInStaff(app, 'counter');
  await setUpApp(counter);
  const atCounter = session('counter adviser', counter);
  return [
    ...['', '/name', '/date-of-birth', '/national-insurance-number', '/postcode', '/check'].map(
      (step) => ({ path: `/verify${step}`, who: online }),
    ),
    { path: '/verify/counter', who: atCounter },
    { path: `/verify/counter/${verifier.id}`, who: atCounter },
  ];
}

/**
 * The pages a code or link sent to someone opens: confirming a new account and a changed
 * address, joining a business, activating an enrolment with the code from the letter, confirming
 * a petition signature, paying an application's fee, and stopping reminders.
 */
async function codePages(app: TestApp, sessions: MatrixSessions): Promise<SweepPage[]> {
  const db = app.platform.database.db;
  const pages: SweepPage[] = [];

  // Someone registering: the code page, and the page that sends another.
  const registering = new Visitor(app.baseUrl);
  const email = uniqueEmail('registering');
  await registering.get('/register');
  const registered = await registering.post('/register', {
    displayName: 'Sweep Registering',
    email,
    password: CITIZEN_PASSWORD,
    returnTo: '/',
  });
  expectStatus(registered, 303, 'registering');
  const confirm = registered.headers.get('location')!;
  pages.push(
    { path: confirm, who: session('registering', registering) },
    { path: confirm.replace('/register/confirm', '/register/resend'), who: 'anonymous' },
  );

  // A citizen changing their e-mail address: the code page for the new one.
  const newcomer = await aCitizen(app, 'newcomer');
  const me = newcomer.visitor;
  await me.get('/account/email');
  const changing = await me.post('/account/email', {
    email: uniqueEmail('changed'),
    password: newcomer.password,
  });
  expectStatus(changing, 303, 'changing e-mail address');
  const newcomerPages = [changing.headers.get('location')!];

  // The newcomer's business invites the matrix's other citizen, who opens the invitation.
  await me.get('/business/new');
  const business = await me.post('/business/new', {
    name: 'Sweep Bakery Ltd',
    type: 'business',
    companiesHouseNumber: '',
    charityNumber: '',
  });
  expectStatus(business, 303, 'making a business');
  const businessPath = business.headers.get('location')!;
  await me.get(`${businessPath}/invite`);
  expectStatus(
    await me.post(`${businessPath}/invite`, { email: 'other-citizen@example.com' }),
    303,
    'inviting a member',
  );
  const invitations = await app.platform.app.inject({
    url: '/business',
    headers: { cookie: sessions.cookies.get('otherCitizen')! },
  });
  const invitation = /href="(\/business\/invitations\/[0-9a-f-]{36})"/.exec(invitations.body)?.[1];
  if (!invitation) throw new Error('The invitation is not on the invitee’s /business page');
  pages.push({ path: invitation, who: 'otherCitizen' });

  // An enrolment asked for: the letter with its code is on its way, the activation page waits.
  await me.get('/enrol/stroud/council-tax');
  const asked = await me.post('/enrol/stroud/council-tax', {
    reference: DEMO_COUNCIL_TAX.reference,
    postcode: DEMO_COUNCIL_TAX.postcode,
  });
  expectStatus(asked, 303, 'asking to enrol');
  const enrolment = /\/enrol\/enrolments\/([0-9a-f-]{36})\//.exec(asked.headers.get('location')!);
  newcomerPages.push(`/enrol/activate?enrolment=${enrolment![1]}`);

  // A petition signed: the link in the e-mail opens the confirmation page.
  pages.push(await petitionConfirmation(app));

  // An application with a fee, sent: the applicant's page of it has the button that pays.
  const reference = await sendPermitApplication(me);
  newcomerPages.push(`/applications/${reference}`);

  // A reminder set: each message it sends carries the link that stops it. The first is sent on
  // its day (days ahead), so its token is read from the message waiting in the outbox.
  await me.get('/reminders/new?service=pay-council-tax-stroud');
  const [day, month, year] = weekdayAhead(4);
  const reminded = await me.post('/reminders/new', {
    service: 'pay-council-tax-stroud',
    channel: 'email',
    kind: 'weekly',
    'firstDate-day': day,
    'firstDate-month': month,
    'firstDate-year': year,
    everyWeeks: '2',
  });
  expectStatus(reminded, 303, 'setting a reminder');
  const waiting = await db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'reminder.due')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  pages.push({
    path: `/reminders/unsubscribe/${(waiting.payload as { token: string }).token}`,
    who: 'anonymous',
  });
  const asNewcomer = session('newcomer', me);
  return [...pages, ...newcomerPages.map((path) => ({ path, who: asNewcomer }))];
}

/**
 * Signs an open petition signed out and returns the page the e-mailed link opens. A petition the
 * sweep's other makers have flooded (to flag it) takes no more signatures from this address: the
 * next one listed is signed instead.
 */
async function petitionConfirmation(app: TestApp): Promise<SweepPage> {
  const signer = new Visitor(app.baseUrl);
  const list = await signer.get('/petitions');
  const email = uniqueEmail('signer');
  for (const [, petition] of list.html.matchAll(/href="\/petitions\/([0-9a-f-]{36})"/g)) {
    if (!(await signer.get(`/petitions/${petition}/sign`)).ok) continue;
    const signed = await signer.post(`/petitions/${petition}/sign`, {
      name: 'Sweep Signer',
      email,
      postcode: 'GL5 4UB',
      notify: 'no',
    });
    if (signed.status === 429) continue;
    expectStatus(signed, 303, 'signing a petition');
    const [mail] = await mailsTo(app.platform.database.db, email);
    const link = /\/petitions\/[0-9a-f-]{36}\/confirm\?token=[\w-]+/.exec(mail?.text ?? '')?.[0];
    if (!link) throw new Error('No confirmation link in the petition e-mail');
    return { path: link, who: 'anonymous' };
  }
  throw new Error('No petition on /petitions could be signed');
}

/** Answers and sends Stroud's resident parking permit (a £60 fee); returns its reference. */
async function sendPermitApplication(visitor: Visitor): Promise<string> {
  await sendParkingPermit(visitor);
  const applications = await visitor.get('/applications');
  const reference = /\/applications\/(JU-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(applications.html)?.[1];
  if (!reference) throw new Error('The permit application is not on /applications');
  return reference;
}

/**
 * A subject access request to Stroud, sent by a new citizen, on its page for Stroud's team leader
 * (whom the matrix does not sign in): the forms that answer it and extend its deadline.
 */
async function accessRequestPages(app: TestApp): Promise<SweepPage[]> {
  const stroud = (await findOrganisationBySlug(app.platform.database.db, 'stroud'))!;
  const { visitor } = await aCitizen(app, 'asking-for-data');
  await visitor.get('/account/my-data/requests/new');
  const check = await visitor.post('/account/my-data/requests/new', {
    bodies: stroud.id,
    other: '',
    details: 'Letters about my bins',
  });
  expectStatus(check, 200, 'checking a subject access request');
  expectStatus(
    await visitor.post('/account/my-data/requests', {
      bodies: stroud.id,
      details: hiddenValue(check.html, 'details'),
    }),
    303,
    'sending a subject access request',
  );
  const leader = await signedInStaff(app, 'leader');
  const list = await leader.get('/staff/access-requests');
  const request = /href="(\/staff\/access-requests\/[0-9a-f-]{36})"/.exec(list.html)?.[1];
  if (!request) throw new Error('The request is not on the team leader’s list');
  return [{ path: request, who: session('team leader', leader) }];
}

/**
 * The contact centre adviser's customer pages: a customer found by e-mail and confirmed by what
 * they know, a permit filled in with them (its fee then taken by card over the phone, which
 * Stroud's admin turns on), the contact logged with a call-back. The adviser is signed in anew:
 * helping a customer makes the session theirs for a while, which the matrix's adviser must not be.
 */
async function adviserPages(app: TestApp): Promise<SweepPage[]> {
  const customer = await aCitizen(app, 'customer', '+447700900456');
  const adviser = await signedInStaff(app, 'adviser');
  const found = await adviser.get(`/adviser?email=${encodeURIComponent(customer.email)}`);
  const confirmPath = `/adviser/customers/${customer.id}/confirm`;
  if (!found.html.includes(confirmPath)) throw new Error('The adviser did not find the customer');
  await adviser.get(confirmPath);
  expectStatus(
    await adviser.post(confirmPath, {
      reason: 'customer-called',
      details: '',
      email: customer.email,
      phone: '07700 900456',
    }),
    303,
    'confirming the customer',
  );
  const record = `/adviser/customers/${customer.id}`;
  // Card payments over the phone are Stroud's to allow (its admin's settings page).
  const admin = await signedInStaff(app, 'admin');
  await admin.get('/admin/payments/stroud');
  expectStatus(
    await admin.post('/admin/payments/stroud/settings', { motoAllowed: 'yes' }),
    303,
    'allowing card payments by phone',
  );
  // The permit filled in with the customer on the phone: the adviser is helping them now.
  await adviser.get(`${record}/assist`);
  expectStatus(
    await adviser.post(`${record}/assist`, {
      serviceSlug: 'resident-parking-permit-stroud',
      channel: 'phone',
      consent: 'yes',
    }),
    303,
    'starting to help',
  );
  const { sent } = await sendParkingPermit(adviser, { actingFor: customer.id });
  const withFee = sent.headers.get('location')!;
  const reference = withFee.split('sent=')[1]!;
  // The call logged, with a call-back booked: the queue shows it, with its "done" button.
  await adviser.get(`${record}/contact?reference=${reference}`);
  const [day, month, year] = weekdayAhead(2);
  expectStatus(
    await adviser.post(`${record}/contact`, {
      channel: 'phone',
      reason: 'help-to-apply',
      outcome: 'call-back-booked',
      minutes: '12',
      applicationReference: reference,
      notes: '',
      callback: 'yes',
      callbackDay: day,
      callbackMonth: month,
      callbackYear: year,
      callbackTime: '14:30',
      callbackPhone: '07700 900456',
    }),
    303,
    'logging the call',
  );
  const helping = session('adviser helping a customer', adviser);
  return [
    { path: confirmPath, who: helping },
    { path: withFee, who: helping },
    { path: `${record}/assist`, who: helping },
    { path: `${record}/contact`, who: helping },
    { path: '/adviser/callbacks', who: helping },
  ];
}
