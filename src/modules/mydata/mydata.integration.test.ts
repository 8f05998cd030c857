import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  csrfToken,
  hiddenValue,
  startTestApp,
  Visitor,
  type TestApp,
} from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { applyForBulkyWaste } from '../../../test/helpers/journeys.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { searchServices } from '../catalogue/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { parseCsv } from './export/csv.js';
import { sendAccessRequest } from './commands/requests.js';
import { addMonths } from '../../platform/time/london.js';
import { dueDate } from './due-date.js';
import { REQUEST_COLUMNS } from './queries/requests.js';

const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const LEADER = ['team-leader@stroud.example.gov.uk', 'demo-stroud-team-leader'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;

let app: TestApp;
const db = () => app.platform.database.db;

interface Person {
  visitor: Visitor;
  userId: string;
  email: string;
  reference: string;
  bill: string;
  message: string;
}
let alice: Person;
let bob: Person;
let stroudId: string;
let cheltenhamId: string;
let leaderId: string;

async function userId(email: string) {
  return (
    await db()
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirstOrThrow()
  ).id;
}

async function staff([email, password]: readonly [string, string]) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** A person with data in several modules: an application (and its case), interests, a reminder, a bill and a message. */
async function aPersonWithData(name: string, email: string, tag: string): Promise<Person> {
  const { visitor, userId: id } = await aSignedInCitizen(app, {
    email,
    displayName: name,
    phone: tag === 'A' ? '+447700900111' : '+447700900222',
  });
  const reference = await applyForBulkyWaste(visitor, { itemDetails: `${name}'s piano` });
  const serviceId = (await searchServices(db(), 'en', 'bulky waste'))[0]!.id;
  await db()
    .insertInto('personal_interests')
    .values({
      user_id: id,
      life_events: JSON.stringify(tag === 'A' ? ['having-a-baby'] : ['retiring']),
      customer_groups: JSON.stringify([]),
    })
    .execute();
  await db()
    .insertInto('reminders')
    .values({
      user_id: id,
      service_id: serviceId,
      kind: 'date',
      channel: 'email',
      locale: 'en',
      event_date: '2027-05-01',
      days_before: 7,
      unsubscribe_token_hash: randomBytes(32).toString('hex'),
    })
    .execute();
  const bill = `Parking fine ${tag}${tag}${tag}-${randomBytes(3).toString('hex')}`;
  await db()
    .insertInto('fee_charges')
    .values({
      kind: 'bill',
      organisation_id: stroudId,
      user_id: id,
      email,
      amount: 7000,
      description: bill,
      reference: `PCN-${tag}`,
    })
    .execute();
  const message = `=Your permit ${tag}-${randomBytes(3).toString('hex')}`;
  await db()
    .insertInto('inbox_messages')
    .values({
      organisation_id: stroudId,
      recipient_user_id: id,
      subject: message,
      body: 'Hello, "friend", see you',
    })
    .execute();
  return { visitor, userId: id, email, reference, bill, message };
}

beforeAll(async () => {
  app = await startTestApp();
  stroudId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  cheltenhamId = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;
  alice = await aPersonWithData('Alice Aardvark', 'alice-mydata@example.com', 'A');
  bob = await aPersonWithData('Bob Bobcat', 'bob-mydata@example.com', 'B');
  await app.platform.worker.drain(); // opens the cases, records the e-mails sent
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('My data', () => {
  it('shows each module’s data for the person, with what it holds and for how long, and nothing of another person', async () => {
    const page = await alice.visitor.get('/account/my-data');
    expect(page.status).toBe(200);
    for (const mine of [
      'Alice Aardvark',
      alice.email,
      alice.reference,
      'Alice Aardvark&#39;s piano',
      alice.bill,
      alice.message,
      'having-a-baby',
      'Request a bulky waste collection',
      'Cases about your applications',
      'Reminders you asked for',
      // Each module's declared holdings and retention:
      'Your applications and your answers, including any an agent sent on your behalf',
      '6 years after',
      // The registers module's records are not linked to an account: said so, not "nothing held".
      'cannot list these records by person',
    ])
      expect.soft(page.html.replaceAll('&#x27;', '&#39;'), mine).toContain(mine);
    for (const theirs of ['Bob Bobcat', bob.email, bob.reference, bob.bill, bob.message.slice(1)])
      expect(page.html, theirs).not.toContain(theirs);
    expect(page.html).not.toMatch(/password_hash|totp_secret|\$argon2|\$scrypt/);
  });

  it('is in Welsh with ?lang=cy', async () => {
    const page = await alice.visitor.get('/account/my-data?lang=cy');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Eich data');
    expect(page.html).toContain('Pwy sydd wedi edrych ar eich data');
    expect((await alice.visitor.get('/account/my-data?lang=en')).html).toContain('Your data');
  });

  it('exports the same as JSON, and nothing of another person', async () => {
    const response = await alice.visitor.get('/account/my-data.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="my-data-/);
    const data = JSON.parse(response.html) as {
      modules: {
        module: string;
        holds: unknown[];
        sections: Record<string, Record<string, unknown>[]>;
      }[];
    };
    const sections = Object.assign({}, ...data.modules.map((m) => m.sections)) as Record<
      string,
      Record<string, unknown>[]
    >;
    expect(sections.profile![0]!.email).toBe(alice.email);
    expect(sections.profile![0]).not.toHaveProperty('password_hash');
    expect(sections.applications!.map((a) => a.reference)).toEqual([alice.reference]);
    expect(sections.cases!.map((c) => c.reference)).toEqual([alice.reference]);
    expect(sections.fees!.map((f) => f.description)).toEqual([alice.bill]);
    expect(sections.messages!.map((m) => m.subject)).toEqual([alice.message]);
    expect(sections.reminders).toHaveLength(1);
    expect(sections.interests![0]!.lifeEvents).toBe('having-a-baby');
    expect(data.modules.map((m) => m.module)).toEqual(
      expect.arrayContaining([
        'identity',
        'submissions',
        'casework',
        'home',
        'reminders',
        'fees',
        'inbox',
        'notify',
        'mydata',
      ]),
    );
    for (const theirs of [bob.email, bob.reference, bob.bill, bob.message, 'Bob Bobcat'])
      expect(response.html).not.toContain(theirs);
  });

  it('exports CSV with one line a field, quoted, and a formula defused with an apostrophe', async () => {
    const response = await alice.visitor.get('/account/my-data.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(response.html);
    expect(rows[0]).toEqual(['section', 'record', 'field', 'value']);
    expect(rows).toContainEqual(['profile', '1', 'email', alice.email]);
    expect(rows).toContainEqual(['messages', '1', 'subject', `'${alice.message}`]);
    expect(rows).toContainEqual(['messages', '1', 'message', 'Hello, "friend", see you']);
    expect(rows).toContainEqual(['fees', '1', 'description', alice.bill]);
    expect(rows.every((row) => row.length === 4)).toBe(true);
    for (const theirs of [bob.email, bob.reference, bob.bill, bob.message.slice(1)])
      expect(response.html).not.toContain(theirs);
  });

  it('needs signing in', async () => {
    const anonymous = new Visitor(app.baseUrl);
    for (const path of ['/account/my-data', '/account/my-data.json', '/account/my-data.csv'])
      expect((await anonymous.get(path)).status).toBe(303);
  });

  it('is linked from the account page and the navigation of a signed-in person', async () => {
    const account = await alice.visitor.get('/account');
    expect(account.html).toContain('See everything we hold about you');
    expect(account.html.match(/href="\/account\/my-data"/g)).toHaveLength(2);
  });
});

describe('The access log and reasons for opening a case outside one’s queue', () => {
  let caseId: string;

  beforeAll(async () => {
    caseId = (
      await db()
        .selectFrom('cases')
        .select('id')
        .where('reference', '=', alice.reference)
        .executeTakeFirstOrThrow()
    ).id;
    leaderId = await userId(LEADER[0]);
  });

  const views = async (actor: string) =>
    db()
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'casework.case.viewed')
      .where('resource_id', '=', caseId)
      .where('actor_user_id', '=', actor)
      .orderBy('id')
      .execute();

  it('opens a case in the caseworker’s own queue (unassigned) as before, and the person sees the read', async () => {
    const caseworker = await staff(CASEWORKER);
    const opened = await caseworker.get(`/casework/${alice.reference}`);
    expect(opened.status).toBe(200);
    const reads = await views(await userId(CASEWORKER[0]));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.details).not.toHaveProperty('accessReason');
    const page = await alice.visitor.get('/account/my-data');
    const log = page.html.slice(
      page.html.indexOf('id="access-log"'),
      page.html.indexOf('id="requests"'),
    );
    expect(log).toContain('Stroud District Council');
    expect(log).toContain('Caseworker');
    expect(log).toContain(`Your case (${alice.reference})`);
    expect(log).toContain('Their own work on it');
  });

  it('never lists the person’s own reads, nor another person’s', async () => {
    await db()
      .insertInto('audit_log')
      .values({
        action: 'submission.viewed',
        actor_user_id: alice.userId,
        actor_organisation_id: null,
        actor_role: 'citizen',
        subject_user_id: alice.userId,
        resource_type: 'submission',
        resource_id: 'own-read',
        details: JSON.stringify({ reference: 'OWN-READ-MARK' }),
      })
      .execute();
    const caseworker = await staff(CASEWORKER);
    expect((await caseworker.get(`/casework/${bob.reference}`)).status).toBe(200);
    const page = await alice.visitor.get('/account/my-data');
    expect(page.html).not.toContain('OWN-READ-MARK');
    expect(page.html).not.toContain(bob.reference);
  });

  it('asks for a reason before opening a colleague’s case, and opens nothing until one is given', async () => {
    await db()
      .updateTable('cases')
      .set({ assigned_to: leaderId })
      .where('id', '=', caseId)
      .execute();
    const caseworker = await staff(CASEWORKER);
    const before = (await views(await userId(CASEWORKER[0]))).length;
    const refused = await caseworker.get(`/casework/${alice.reference}`);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`/casework/${alice.reference}/reason`);
    const form = await caseworker.get(`/casework/${alice.reference}/reason`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('Covering for a colleague');
    expect(form.html).not.toContain('Alice Aardvark');

    const noReason = await caseworker.post(`/casework/${alice.reference}/reason`, { details: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('govuk-error-summary');
    expect(noReason.html).toContain('Select why you are opening this case');
    const otherWithoutWords = await caseworker.post(`/casework/${alice.reference}/reason`, {
      reason: 'other',
      details: '',
    });
    expect(otherWithoutWords.status).toBe(400);
    expect(otherWithoutWords.html).toContain('Enter why you are opening this case');
    expect(await db().selectFrom('case_access_reasons').selectAll().execute()).toHaveLength(0);
    expect((await caseworker.get(`/casework/${alice.reference}`)).status).toBe(303);
    expect(await views(await userId(CASEWORKER[0]))).toHaveLength(before);

    const given = await caseworker.post(`/casework/${alice.reference}/reason`, {
      reason: 'complaint',
      details: 'Complaint C-123 about the collection',
    });
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe(`/casework/${alice.reference}`);
    expect((await caseworker.get(`/casework/${alice.reference}`)).status).toBe(200);
    const reads = await views(await userId(CASEWORKER[0]));
    expect(reads.at(-1)!.details).toMatchObject({
      accessReason: 'complaint',
      accessReasonDetails: 'Complaint C-123 about the collection',
    });
    const given_ = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'casework.case.access_reason_given')
      .where('subject_user_id', '=', alice.userId)
      .execute();
    expect(given_).toHaveLength(1);

    const page = await alice.visitor.get('/account/my-data');
    expect(page.html).toContain('Looking into a complaint: Complaint C-123 about the collection');
    const cy = await alice.visitor.get('/account/my-data?lang=cy');
    expect(cy.html).toContain('Ymchwilio i gŵyn: Complaint C-123 about the collection');
    await alice.visitor.get('/account/my-data?lang=en');
  });

  it('opens a case in the team leader’s own queue without a reason', async () => {
    const leader = await staff(LEADER);
    expect((await leader.get(`/casework/${alice.reference}`)).status).toBe(200);
    expect((await views(leaderId)).at(-1)!.details).not.toHaveProperty('accessReason');
  });

  it('still refuses a caseworker of another body, reason or not', async () => {
    const other = await staff(CHELTENHAM);
    expect((await other.get(`/casework/${alice.reference}`)).status).toBe(404);
    expect((await other.get(`/casework/${alice.reference}/reason`)).status).toBe(404);
    await other.get('/casework');
    const posted = await other.post(`/casework/${alice.reference}/reason`, {
      reason: 'complaint',
      details: '',
    });
    expect(posted.status).toBe(404);
    expect(
      await db()
        .selectFrom('case_access_reasons')
        .select('user_id')
        .where('user_id', '=', await userId(CHELTENHAM[0]))
        .execute(),
    ).toHaveLength(0);
  });
});

describe('Subject access requests', () => {
  const requests = () =>
    db()
      .selectFrom('subject_access_requests')
      .select(REQUEST_COLUMNS)
      .where('user_id', '=', alice.userId)
      .orderBy('reference')
      .execute();

  it('lets the person pick bodies they deal with and any other, check, and send one request to each', async () => {
    const form = await alice.visitor.get('/account/my-data/requests/new');
    expect(form.status).toBe(200);
    expect(form.html).toMatch(new RegExp(`name="bodies" type="checkbox" value="${stroudId}"`));
    const none = await alice.visitor.post('/account/my-data/requests/new', {
      other: '',
      details: '',
    });
    expect(none.status).toBe(400);
    expect(none.html).toContain('govuk-error-summary');
    expect(none.html).toContain('Select at least one public body to ask');
    const forged = await alice.visitor.post('/account/my-data/requests/new', {
      bodies: '00000000-0000-4000-8000-000000000000',
      details: '',
    });
    expect(forged.status).toBe(400);

    const check = await alice.visitor.post('/account/my-data/requests/new', {
      bodies: stroudId,
      other: cheltenhamId,
      details: 'Letters about my bins',
    });
    expect(check.status).toBe(200);
    expect(check.html).toContain('Check your request');
    expect(check.html).toContain('Stroud District Council');
    expect(check.html).toContain('Cheltenham Borough Council');
    expect(await requests()).toHaveLength(0);
    const sent = await alice.visitor.post('/account/my-data/requests', {
      bodies: [stroudId, cheltenhamId],
      details: hiddenValue(check.html, 'details'),
    });
    expect(sent.status).toBe(303);
    const rows = await requests();
    expect(rows.map((r) => r.organisation_id).sort()).toEqual([stroudId, cheltenhamId].sort());
    for (const row of rows) {
      expect(row.status).toBe('received');
      expect(row.details).toBe('Letters about my bins');
      expect(row.due_on).toBe(dueDate(row.received_on));
    }
    const audits = await db()
      .selectFrom('audit_log')
      .select('resource_id')
      .where('action', '=', 'mydata.request.sent')
      .where('subject_user_id', '=', alice.userId)
      .execute();
    expect(audits.map((a) => a.resource_id).sort()).toEqual(rows.map((r) => r.id).sort());
    const page = await alice.visitor.get('/account/my-data');
    for (const row of rows) expect(page.html).toContain(row.reference);
    expect(page.html).toContain('Waiting for an answer');
    // The body's team leaders are e-mailed, without the person's name.
    const [stroudRow] = rows.filter((r) => r.organisation_id === stroudId);
    const told = (await mailsTo(db(), LEADER[0])).filter((m) =>
      m.subject.includes(stroudRow!.reference),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`/staff/access-requests/${stroudRow!.id}`);
    expect(told[0]!.text).not.toContain('Alice');
    // A second request to a body still to answer the first is refused.
    await alice.visitor.get('/account/my-data/requests/new');
    const again = await alice.visitor.post('/account/my-data/requests', {
      bodies: stroudId,
      details: '',
    });
    expect(again.status).toBe(400);
    expect(again.html).toContain(
      'You are already waiting for an answer from one of the bodies you chose',
    );
    expect(await requests()).toHaveLength(2);
  });

  it('is due one calendar month from the day received: 31 January → 28 February (29th in a leap year)', async () => {
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        sendAccessRequest(
          trx,
          { userId: bob.userId, organisationIds: [stroudId], details: '' },
          { userId: bob.userId, organisationId: null, role: 'citizen' },
          'http://localhost',
          new Date('2027-01-31T12:00:00Z'),
        ),
      );
    expect(outcome.ok && outcome.requests[0]!.due_on).toBe('2027-02-28');
    const leap = await db()
      .transaction()
      .execute((trx) =>
        sendAccessRequest(
          trx,
          { userId: bob.userId, organisationIds: [cheltenhamId], details: '' },
          { userId: bob.userId, organisationId: null, role: 'citizen' },
          'http://localhost',
          new Date('2028-01-31T12:00:00Z'),
        ),
      );
    expect(leap.ok && leap.requests[0]!.due_on).toBe('2028-02-29');
  });

  it('is routed only to the body asked: its team leader sees it, its caseworkers and other bodies do not', async () => {
    const [stroudRequest] = (await requests()).filter((r) => r.organisation_id === stroudId);
    const [cheltenhamRequest] = (await requests()).filter(
      (r) => r.organisation_id === cheltenhamId,
    );
    const leader = await staff(LEADER);
    const list = await leader.get('/staff/access-requests');
    expect(list.status).toBe(200);
    expect(list.html).toContain(stroudRequest!.reference);
    expect(list.html).not.toContain(cheltenhamRequest!.reference);
    expect((await leader.get(`/staff/access-requests/${cheltenhamRequest!.id}`)).status).toBe(404);
    const caseworker = await staff(CASEWORKER);
    expect((await caseworker.get('/staff/access-requests')).status).toBe(404);
    expect((await caseworker.get(`/staff/access-requests/${stroudRequest!.id}`)).status).toBe(404);
    const cheltenham = await staff(CHELTENHAM);
    expect((await cheltenham.get(`/staff/access-requests/${stroudRequest!.id}`)).status).toBe(404);
    expect((await bob.visitor.get(`/staff/access-requests/${stroudRequest!.id}`)).status).toBe(404);
    // A caseworker (or the person) cannot answer it either.
    await caseworker.get('/casework');
    expect(
      (await caseworker.post(`/staff/access-requests/${stroudRequest!.id}/respond`, { note: 'x' }))
        .status,
    ).toBe(404);
    expect((await alice.visitor.get('/staff/access-requests')).status).toBe(404);
  });

  it('lets the body’s team leader extend it by up to two months in all, with a reason, and tells the person', async () => {
    const [request] = (await requests()).filter((r) => r.organisation_id === stroudId);
    const leader = await staff(LEADER);
    const view = await leader.get(`/staff/access-requests/${request!.id}`);
    expect(view.status).toBe(200);
    expect(view.html).toContain('Alice Aardvark');
    const tooLong = await leader.post(`/staff/access-requests/${request!.id}/extend`, {
      months: '3',
      reason: 'Many records',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('govuk-error-summary');
    const noReason = await leader.post(
      `/staff/access-requests/${request!.id}/extend`,
      {
        months: '1',
        reason: '',
      },
      csrfToken(view.html),
    );
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Enter why you need more time');
    expect((await requests()).find((r) => r.id === request!.id)!.status).toBe('received');

    const extended = await leader.post(`/staff/access-requests/${request!.id}/extend`, {
      months: '1',
      reason: 'Records in three archives',
    });
    expect(extended.status).toBe(303);
    let row = (await requests()).find((r) => r.id === request!.id)!;
    expect(row.status).toBe('extended');
    expect(row.due_on).toBe(addMonths(row.received_on, 2));
    const twoMore = await leader.post(`/staff/access-requests/${request!.id}/extend`, {
      months: '2',
      reason: 'Still more',
    });
    expect(twoMore.status).toBe(400);
    expect(
      (
        await leader.post(`/staff/access-requests/${request!.id}/extend`, {
          months: '1',
          reason: 'Last month',
        })
      ).status,
    ).toBe(303);
    row = (await requests()).find((r) => r.id === request!.id)!;
    expect(row.extended_months).toBe(2);
    expect(row.due_on).toBe(addMonths(row.received_on, 3));
    const inbox = await db()
      .selectFrom('inbox_messages')
      .select('body')
      .where('recipient_user_id', '=', alice.userId)
      .where('body', 'like', `%${row.reference}%`)
      .execute();
    expect(inbox).toHaveLength(2);
    expect(inbox[0]!.body).toContain('Records in three archives');
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'mydata.request.extended')
        .where('resource_id', '=', row.id)
        .execute(),
    ).toHaveLength(2);
  });

  it('records the response, tells the person by message and e-mail, and shows it on My data', async () => {
    const [request] = (await requests()).filter((r) => r.organisation_id === stroudId);
    const leader = await staff(LEADER);
    await leader.get(`/staff/access-requests/${request!.id}`);
    const empty = await leader.post(`/staff/access-requests/${request!.id}/respond`, { note: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter what you sent the person');
    const mailsBefore = (await mailsTo(db(), alice.email)).length;
    const responded = await leader.post(`/staff/access-requests/${request!.id}/respond`, {
      note: 'Sent 42 pages by secure e-mail on 3 March',
    });
    expect(responded.status).toBe(303);
    const after = await leader.get(responded.headers.get('location')!);
    expect(after.html).toContain('Your response has been recorded and the person has been told.');
    expect(after.html).not.toContain('Record response');
    const row = (await requests()).find((r) => r.id === request!.id)!;
    expect(row.status).toBe('responded');
    expect(row.responded_by).toBe(leaderId);
    const message = await db()
      .selectFrom('inbox_messages')
      .select(['subject', 'body'])
      .where('recipient_user_id', '=', alice.userId)
      .where('body', 'like', '%Sent 42 pages%')
      .executeTakeFirstOrThrow();
    expect(message.subject).toContain('has responded');
    expect((await mailsTo(db(), alice.email)).length).toBeGreaterThan(mailsBefore);
    expect(
      (await leader.post(`/staff/access-requests/${request!.id}/respond`, { note: 'Again' }))
        .status,
    ).toBe(400);
    const page = await alice.visitor.get('/account/my-data');
    expect(page.html).toContain('Answered: Sent 42 pages by secure e-mail on 3 March');
    // The team leader's looks at the request are reads of Alice's data, in her access log.
    expect(page.html).toContain(`Your request for your information (${row.reference})`);
    expect(page.html).toContain('Team leader');
    const bobPage = await bob.visitor.get('/account/my-data');
    expect(bobPage.html).not.toContain(row.reference);
  });
});
