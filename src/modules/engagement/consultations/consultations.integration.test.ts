import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { engagementModule } from '../index.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const STAFF = {
  caseworker: ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'],
  owner: ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'],
  counter: ['counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser'],
  cheltenham: ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'],
} as const;

async function staff(who: keyof typeof STAFF): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  const [email, password] = STAFF[who];
  await visitor.signIn(email, password);
  return visitor;
}

/** A London day `days` from today, as the date input's fields. */
function dayFields(prefix: string, days: number): Record<string, string> {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return {
    [`${prefix}-day`]: String(date.getUTCDate()),
    [`${prefix}-month`]: String(date.getUTCMonth() + 1),
    [`${prefix}-year`]: String(date.getUTCFullYear()),
  };
}

let made = 0;

function publishForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    title: `Parking charges in Stroud town centre ${++made}`,
    summary: 'We propose new parking charges in the town centre.',
    body: 'The council proposes to charge for parking.\n\nThe money would pay for buses.',
    audience: 'Residents and businesses of Stroud district',
    ...dayFields('opensOn', 0),
    ...dayFields('closesOn', 30),
    area: 'districts',
    districts: 'GL5, gl6',
    signIn: 'no',
    'q1-text': 'Do you agree with the charges?',
    'q1-kind': 'choice',
    'q1-options': 'Yes\nNo\nNot sure',
    'q2-text': 'Tell us why',
    'q2-kind': 'text',
    ...fields,
  };
}

/** Stroud's service owner publishes a consultation through the staff page; returns its id. */
async function published(fields: Record<string, string> = {}): Promise<string> {
  const owner = await staff('owner');
  await owner.get('/staff/consultations/new');
  const response = await owner.post('/staff/consultations/new', publishForm(fields));
  expect(response.status, response.html).toBe(303);
  const id = /^\/staff\/consultations\/([0-9a-f-]{36})\?done=published$/.exec(
    response.headers.get('location') ?? '',
  )?.[1];
  expect(id).toBeDefined();
  return id!;
}

const count = async (table: 'consultations' | 'consultation_responses') =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Answers the "about you" page and both questions; leaves the visitor at check answers. */
async function answered(
  id: string,
  visitor: Visitor,
  answers: { about?: Record<string, string>; q1?: string; q2?: string } = {},
) {
  await visitor.get(`/consultations/${id}/respond`);
  const about = await visitor.post(
    `/consultations/${id}/respond`,
    answers.about ?? { respondentType: 'individual' },
  );
  expect(about.status, about.html).toBe(303);
  expect(about.headers.get('location')).toBe(`/consultations/${id}/respond/questions/1`);
  await visitor.get(`/consultations/${id}/respond/questions/1`);
  const q1 = await visitor.post(`/consultations/${id}/respond/questions/1`, {
    answer: answers.q1 ?? 'Yes',
  });
  expect(q1.headers.get('location')).toBe(`/consultations/${id}/respond/questions/2`);
  await visitor.get(`/consultations/${id}/respond/questions/2`);
  const q2 = await visitor.post(`/consultations/${id}/respond/questions/2`, {
    answer: answers.q2 ?? '',
  });
  expect(q2.headers.get('location')).toBe(`/consultations/${id}/respond/check`);
  const check = await visitor.get(`/consultations/${id}/respond/check`);
  expect(check.status, check.html).toBe(200);
  return check;
}

/** Responds all the way and returns the reference shown on the confirmation page. */
async function responded(
  id: string,
  visitor = new Visitor(app.baseUrl),
  answers: Parameters<typeof answered>[2] = {},
) {
  await answered(id, visitor, answers);
  const sent = await visitor.post(`/consultations/${id}/respond/check`, {});
  expect(sent.status, sent.html).toBe(303);
  const page = await visitor.get(`/consultations/${id}/respond/sent`);
  expect(page.status).toBe(200);
  const reference = /C-[A-Z0-9]{8}/.exec(page.html)?.[0];
  expect(reference).toBeDefined();
  return reference!;
}

describe('publishing a consultation', () => {
  it('a service owner publishes one; it is stored as validated data, audited, and listed publicly', async () => {
    const id = await published();
    const row = await db()
      .selectFrom('consultations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.area_districts).toEqual(['GL5', 'GL6']);
    expect(row.opens_on).toBe(ukToday());
    expect(row.sign_in_required).toBe(false);
    expect(row.questions).toEqual([
      {
        kind: 'choice',
        text: 'Do you agree with the charges?',
        options: ['Yes', 'No', 'Not sure'],
      },
      { kind: 'text', text: 'Tell us why' },
    ]);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'consultation.published')
      .where('resource_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    const list = await new Visitor(app.baseUrl).get('/consultations');
    expect(list.html).toContain(`/consultations/${id}`);
    expect(list.html).toContain(row.title);
    const page = await new Visitor(app.baseUrl).get(`/consultations/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('The money would pay for buses.');
    expect(page.html).toContain('GL5, GL6');
    expect(page.html).toContain(`/consultations/${id}/respond`);
  });

  it('bad input gets the error summary and publishes nothing', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/consultations/new');
    const before = await count('consultations');
    const response = await owner.post(
      '/staff/consultations/new',
      publishForm({ title: '', ...dayFields('closesOn', -1), 'q1-options': 'Only one' }),
    );
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain('href="#title"');
    expect(response.html).toContain('href="#closesOn-day"');
    expect(response.html).toContain('href="#q1-options"');
    expect(response.html).toContain('Enter at least 2 answers to choose from');
    expect(await count('consultations')).toBe(before);
  });

  it('a caseworker, a counter adviser and a citizen cannot publish (404), and nothing is stored', async () => {
    const before = await count('consultations');
    for (const who of ['caseworker', 'counter'] as const) {
      const visitor = await staff(who);
      expect((await visitor.get('/staff/consultations/new')).status).toBe(404);
      await visitor.get('/consultations');
      expect((await visitor.post('/staff/consultations/new', publishForm())).status).toBe(404);
    }
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get('/staff/consultations/new')).status).toBe(404);
    expect(await count('consultations')).toBe(before);
    const caseworkerList = await (await staff('caseworker')).get('/staff/consultations');
    expect(caseworkerList.status).toBe(200);
    expect(caseworkerList.html).not.toContain('/staff/consultations/new');
  });

  it('the staff form and the public pages are in Welsh', async () => {
    const owner = await staff('owner');
    const form = await owner.get('/staff/consultations/new?lang=cy');
    expect(form.html).toContain('Cyhoeddi ymgynghoriad');
    expect(form.html).toContain('Pwy sy&#39;n cael eu hymgynghori');
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    expect((await visitor.get('/consultations?lang=cy')).html).toContain('Ymgynghoriadau agored');
    expect((await visitor.get(`/consultations/${id}?lang=cy`)).html).toContain(
      'Ymateb i&#39;r ymgynghoriad hwn',
    );
    const about = await visitor.get(`/consultations/${id}/respond?lang=cy`);
    expect(about.html).toContain('Ar ran sefydliad');
  });
});

describe('responding', () => {
  it('someone not signed in responds for an organisation, one question a page, and gets a reference', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    const check = await answered(id, visitor, {
      about: { respondentType: 'organisation', organisationName: 'Stroud Cycling Club' },
      q1: 'No',
      q2: 'Buses are not the answer.',
    });
    expect(check.html).toContain('On behalf of Stroud Cycling Club');
    expect(check.html).toContain('Buses are not the answer.');
    await visitor.post(`/consultations/${id}/respond/check`, {});
    const page = await visitor.get(`/consultations/${id}/respond/sent`);
    const reference = /C-[A-Z0-9]{8}/.exec(page.html)?.[0];
    expect(reference).toBeDefined();
    const row = await db()
      .selectFrom('consultation_responses')
      .selectAll()
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      consultation_id: id,
      user_id: null,
      respondent_type: 'organisation',
      organisation_name: 'Stroud Cycling Club',
      answers: { '0': 'No', '1': 'Buses are not the answer.' },
    });
    expect(row.submitted_at).not.toBeNull();
    // Another response from the same browser starts afresh.
    await visitor.get(`/consultations/${id}/respond`);
    const again = await visitor.post(`/consultations/${id}/respond`, {
      respondentType: 'individual',
    });
    expect(again.headers.get('location')).toBe(`/consultations/${id}/respond/questions/1`);
  });

  it('bad answers get the error summary and change nothing; no jumping ahead', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(`/consultations/${id}/respond`);
    const before = await count('consultation_responses');
    const noChoice = await visitor.post(`/consultations/${id}/respond`, {
      respondentType: 'organisation',
    });
    expect(noChoice.status).toBe(400);
    expect(noChoice.html).toContain('href="#organisationName"');
    expect(await count('consultation_responses')).toBe(before);
    await visitor.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    // The check page and question 2 send the respondent back to question 1.
    expect((await visitor.get(`/consultations/${id}/respond/check`)).headers.get('location')).toBe(
      `/consultations/${id}/respond/questions/1`,
    );
    expect(
      (await visitor.get(`/consultations/${id}/respond/questions/2`)).headers.get('location'),
    ).toBe(`/consultations/${id}/respond/questions/1`);
    await visitor.get(`/consultations/${id}/respond/questions/1`);
    const bad = await visitor.post(`/consultations/${id}/respond/questions/1`, { answer: 'Maybe' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('Select one of the answers');
    const draft = await db()
      .selectFrom('consultation_responses')
      .select(['answers', 'submitted_at'])
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(draft).toEqual({ answers: {}, submitted_at: null });
    await visitor.post(`/consultations/${id}/respond/questions/1`, { answer: 'Yes' });
    await visitor.get(`/consultations/${id}/respond/questions/2`);
    const long = await visitor.post(`/consultations/${id}/respond/questions/2`, {
      answer: 'x'.repeat(5001),
    });
    expect(long.status).toBe(400);
    expect(long.html).toContain('5,000 characters or fewer');
  });

  it('a change from check answers returns to check answers', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    await answered(id, visitor);
    await visitor.get(`/consultations/${id}/respond/questions/1?change=1`);
    const changed = await visitor.post(`/consultations/${id}/respond/questions/1`, {
      answer: 'Not sure',
      change: '1',
    });
    expect(changed.headers.get('location')).toBe(`/consultations/${id}/respond/check`);
    expect((await visitor.get(`/consultations/${id}/respond/check`)).html).toContain('Not sure');
  });

  it('a response after the closing date is refused with a clear page and nothing is sent', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    await answered(id, visitor);
    const yesterday = new Date(`${ukToday()}T12:00:00Z`);
    yesterday.setUTCDate(yesterday.getUTCDate() - 1);
    const day = yesterday.toISOString().slice(0, 10);
    await db()
      .updateTable('consultations')
      .set({ opens_on: day, closes_on: day })
      .where('id', '=', id)
      .execute();
    const refused = await visitor.post(`/consultations/${id}/respond/check`, {});
    expect(refused.status).toBe(410);
    expect(refused.html).toContain('This consultation has closed');
    expect(refused.html).toContain('Your response has not been sent.');
    const row = await db()
      .selectFrom('consultation_responses')
      .select(['submitted_at', 'reference'])
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ submitted_at: null, reference: null });
    expect((await new Visitor(app.baseUrl).get(`/consultations/${id}/respond`)).status).toBe(410);
    expect(
      (await new Visitor(app.baseUrl).get(`/consultations/${id}/respond?lang=cy`)).html,
    ).toContain('Mae&#39;r ymgynghoriad hwn wedi cau');
  });

  it('before its opening day a consultation is listed as opening soon and takes no responses (404)', async () => {
    const id = await published({ ...dayFields('opensOn', 3), ...dayFields('closesOn', 10) });
    const page = await new Visitor(app.baseUrl).get(`/consultations/${id}`);
    expect(page.html).toContain('This consultation opens on');
    expect(page.html).not.toContain(`/consultations/${id}/respond`);
    expect((await new Visitor(app.baseUrl).get(`/consultations/${id}/respond`)).status).toBe(404);
    expect((await new Visitor(app.baseUrl).get('/consultations')).html).toContain('Opening soon');
  });

  it('when the body asks for sign-in, someone signed out is sent to sign in; signed in, the response is theirs in "My data"', async () => {
    const id = await published({ signIn: 'yes' });
    const signedOut = await new Visitor(app.baseUrl).get(`/consultations/${id}/respond`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
    const { visitor, userId } = await aSignedInCitizen(app);
    const reference = await responded(id, visitor, { q2: 'Fine by me.' });
    const row = await db()
      .selectFrom('consultation_responses')
      .select('user_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.user_id).toBe(userId);
    const sections = await engagementModule.personalDataOf!(db(), userId);
    const rows = sections.find((s) => s.key === 'consultationResponses')!.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ consultation: id, reference, respondedAs: 'individual' });
    expect(String(rows[0]!.answers)).toContain('Tell us why: Fine by me.');
    const other = await aSignedInCitizen(app);
    const none = await engagementModule.personalDataOf!(db(), other.userId);
    expect(none.find((s) => s.key === 'consultationResponses')!.rows).toHaveLength(0);
    await db()
      .transaction()
      .execute((trx) => engagementModule.onAccountEvent!(trx, { type: 'deleted', userId }));
    const unlinked = await db()
      .selectFrom('consultation_responses')
      .select('user_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(unlinked.user_id).toBeNull();
  });
});

describe('reading the responses', () => {
  it('the body’s staff see counts per choice and the free text, every read audited with the respondent as subject', async () => {
    const id = await published();
    await responded(id, undefined, { q1: 'Yes', q2: 'Good for buses' });
    await responded(id, undefined, { q1: 'Yes' });
    const { visitor, userId } = await aSignedInCitizen(app);
    const reference = await responded(id, visitor, { q1: 'No', q2: 'Too expensive' });
    const responseId = (
      await db()
        .selectFrom('consultation_responses')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
    ).id;
    const caseworker = await staff('caseworker');
    const page = await caseworker.get(`/staff/consultations/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Responses sent: 3');
    const cells = [
      ...page.html.matchAll(/<td class="govuk-table__cell[^"]*">\s*([^<]*?)\s*<\/td>/g),
    ].map((m) => m[1]);
    expect(cells.slice(0, 6)).toEqual(['Yes', '2', 'No', '1', 'Not sure', '0']);
    expect(page.html).toContain('Good for buses');
    expect(page.html).toContain('Too expensive');
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('resource_id', '=', id), eb('resource_id', '=', responseId)]))
      .where('action', 'in', ['consultation.responses-viewed', 'consultation.response-viewed'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'consultation.response-viewed',
      'consultation.responses-viewed',
    ]);
    expect(audit.find((a) => a.action === 'consultation.response-viewed')!.subject_user_id).toBe(
      userId,
    );
  });

  it('another body’s staff, a counter adviser and a citizen get 404 and nothing is audited', async () => {
    const id = await published();
    await responded(id);
    const before = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('resource_id', '=', id)
      .execute();
    for (const visitor of [
      await staff('cheltenham'),
      await staff('counter'),
      (await aSignedInCitizen(app)).visitor,
    ]) {
      expect((await visitor.get(`/staff/consultations/${id}`)).status).toBe(404);
      expect((await visitor.get(`/staff/consultations/${id}/responses.csv`)).status).toBe(404);
    }
    const after = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('resource_id', '=', id)
      .execute();
    expect(after).toHaveLength(before.length);
    expect((await (await staff('cheltenham')).get('/staff/consultations')).html).not.toContain(id);
  });

  it('the CSV has a line a response, quotes values and guards against formula injection; its download is audited', async () => {
    const id = await published();
    await responded(id, undefined, {
      about: { respondentType: 'organisation', organisationName: '=HYPERLINK("http://evil")' },
      q1: 'Not sure',
      q2: 'Yes, but "only" at weekends,\nplease',
    });
    const csv = await (await staff('owner')).get(`/staff/consultations/${id}/responses.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = csv.html.split('\r\n');
    expect(lines[0]).toBe(
      'reference,submitted_at,respondent_type,organisation_name,Q1 Do you agree with the charges?,Q2 Tell us why',
    );
    expect(lines[1]).toMatch(
      /^C-[A-Z0-9]{8},\d{4}-\d{2}-\d{2}T[^,]+,organisation,"'=HYPERLINK\(""http:\/\/evil""\)",Not sure,"Yes, but ""only"" at weekends,\nplease"$/,
    );
    expect(lines).toHaveLength(3); // the header, one response, and the final CRLF's empty rest
    expect(lines[2]).toBe('');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', id)
      .where('action', '=', 'consultation.responses-exported')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
