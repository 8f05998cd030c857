import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { dateInputFields } from '../../../../test/helpers/dates.js';
import { staffOncePerFile } from '../../../../test/helpers/staff.js';
import { aSignedInCitizen, CITIZEN_PASSWORD } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { createHubKey } from '../../submissions/index.js';
import { engagementModule } from '../index.js';
import { tellRespondentsOfChange } from './commands/versions.js';
import { consultationResponseRetention } from './retention.js';
import { consultationForm } from '../test/consultations.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const staff = staffOncePerFile(() => app);

let made = 0;

function publishForm(fields: Record<string, string> = {}): Record<string, string> {
  return consultationForm({ title: `Parking charges in Stroud town centre ${++made}`, ...fields });
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

/**
 * The value of the radio labelled `label` on a page of questions (the forms engine's radios:
 * a choice is posted as its option's value, not its text).
 */
function optionValue(html: string, label: string): string {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const id = new RegExp(`for="([^"]+)">\\s*${escaped}\\s*</label>`).exec(html)?.[1];
  const value = id && new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  expect(value, `an option labelled ${label}`).toBeTruthy();
  return value!;
}

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
  const page1 = await visitor.get(`/consultations/${id}/respond/questions/1`);
  const q1 = await visitor.post(`/consultations/${id}/respond/questions/1`, {
    q1: optionValue(page1.html, answers.q1 ?? 'Yes'),
  });
  expect(q1.headers.get('location'), q1.html).toBe(`/consultations/${id}/respond/questions/2`);
  await visitor.get(`/consultations/${id}/respond/questions/2`);
  const q2 = await visitor.post(`/consultations/${id}/respond/questions/2`, {
    q2: answers.q2 ?? '',
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
  check: Record<string, string> = {},
) {
  await answered(id, visitor, answers);
  const sent = await visitor.post(`/consultations/${id}/respond/check`, check);
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
    expect(row.topic).toBe('transport');
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
    expect(page.html).toContain('Transport, roads and parking');
    expect(page.html).toContain(`/consultations/${id}/respond`);
    // Publishing queued telling the subscribers to new consultations (tested on the engagement home).
    const queued = await db()
      .selectFrom('outbox')
      .select('id')
      .where('topic', '=', 'consultations.published')
      .where('idempotency_key', '=', `consultations.published:${id}`)
      .execute();
    expect(queued).toHaveLength(1);
  });

  it('bad input gets the error summary and publishes nothing', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/consultations/new');
    const before = await count('consultations');
    const response = await owner.post(
      '/staff/consultations/new',
      publishForm({
        title: '',
        topic: 'gardening',
        ...dateInputFields('closesOn', -1),
        'q1-options': 'Only one',
      }),
    );
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain('href="#title"');
    expect(response.html).toContain('href="#topic"');
    expect(response.html).toContain('Select the topic of the consultation');
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
    await owner.get('/staff/consultations?lang=en');
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
      // As the forms engine keeps them: by question name, a choice by its option's value.
      answers: { q1: 'no', q2: 'Buses are not the answer.' },
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
    const bad = await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#q1"');
    const draft = await db()
      .selectFrom('consultation_responses')
      .select(['answers', 'submitted_at'])
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(draft).toEqual({ answers: {}, submitted_at: null });
    const none = await visitor.post(`/consultations/${id}/respond/questions/1`, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('Select one of the answers');
    await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes' });
    await visitor.get(`/consultations/${id}/respond/questions/2`);
    const long = await visitor.post(`/consultations/${id}/respond/questions/2`, {
      q2: 'x'.repeat(5001),
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
      q1: 'not-sure',
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
    const id = await published({
      ...dateInputFields('opensOn', 3),
      ...dateInputFields('closesOn', 10),
    });
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
      'reference,submitted_at,respondent_type,organisation_name,Q1 Do you agree with the charges?,Q2 Tell us why,Q2 themes',
    );
    expect(lines[1]).toMatch(
      /^C-[A-Z0-9]{8},\d{4}-\d{2}-\d{2}T[^,]+,organisation,"'=HYPERLINK\(""http:\/\/evil""\)",Not sure,"Yes, but ""only"" at weekends,\nplease",$/,
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

/** A response's row, by its reference. */
const responseRow = (reference: string) =>
  db()
    .selectFrom('consultation_responses')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();

/** Moves a consultation's dates so that it closed yesterday. */
async function closeYesterday(id: string) {
  const yesterday = new Date(`${ukToday()}T12:00:00Z`);
  yesterday.setUTCDate(yesterday.getUTCDate() - 1);
  const day = yesterday.toISOString().slice(0, 10);
  await db()
    .updateTable('consultations')
    .set({ opens_on: day, closes_on: day })
    .where('id', '=', id)
    .execute();
}

describe('moderation', () => {
  it('abusive text is held: not counted, not in the results or the CSV, until a moderator releases it', async () => {
    const id = await published();
    await responded(id, undefined, { q1: 'Yes', q2: 'Good idea' });
    const visitor = new Visitor(app.baseUrl);
    await answered(id, visitor, { q1: 'No', q2: 'The councillors are wankers' });
    await visitor.post(`/consultations/${id}/respond/check`, {});
    const sent = await visitor.get(`/consultations/${id}/respond/sent`);
    expect(sent.html).toContain('read by a moderator before it is counted');
    const reference = /C-[A-Z0-9]{8}/.exec(sent.html)![0];
    const row = await responseRow(reference);
    expect(row).toMatchObject({ held: true, held_reasons: ['abusive'] });

    const caseworker = await staff('caseworker');
    const results = await caseworker.get(`/staff/consultations/${id}`);
    expect(results.html).toContain('Responses sent: 1');
    expect(results.html).toContain('Held for moderation: 1');
    expect(results.html).toContain(reference);
    expect(results.html).not.toContain('wankers');
    const csv = await caseworker.get(`/staff/consultations/${id}/responses.csv`);
    expect(csv.html).not.toContain(reference);
    expect(csv.html.split('\r\n')).toHaveLength(3);

    // The moderator reads it (audited), redacts the abuse and releases it.
    const page = await caseworker.get(`/staff/consultations/${id}/responses/${row.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('wankers');
    expect(page.html).toContain('Held for moderation (Offensive words)');
    const redacted = await caseworker.post(
      `/staff/consultations/${id}/responses/${row.id}/redact`,
      {
        field: '1',
        reason: 'abuse',
        passages: 'WANKERS',
      },
    );
    expect(redacted.status, redacted.html).toBe(303);
    expect((await responseRow(reference)).held).toBe(true);
    const released = await caseworker.post(
      `/staff/consultations/${id}/responses/${row.id}/release`,
      {},
    );
    expect(released.status).toBe(303);
    const after = await responseRow(reference);
    expect(after).toMatchObject({
      held: false,
      answers: { q1: 'no', q2: 'The councillors are [redacted]' },
    });
    expect(after.reviewed_at).not.toBeNull();
    const shown = await caseworker.get(`/staff/consultations/${id}`);
    expect(shown.html).toContain('Responses sent: 2');
    expect(shown.html).toContain('The councillors are [redacted]');
    expect(shown.html).not.toContain('Held for moderation');
    const redaction = await db()
      .selectFrom('consultation_redactions')
      .selectAll()
      .where('response_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(redaction).toMatchObject({ field: '1', reason: 'abuse', passages: 1 });
    expect(redaction.original).toBe('The councillors are wankers');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'consultation.response-submitted',
      'consultation.response-viewed',
      'consultation.response-redacted',
      'consultation.response-released',
    ]);
    // The audit says what kind and how many, never the words.
    expect(JSON.stringify(audit[2]!.details)).not.toContain('wankers');
  });

  it('contact details are held as personal data; redacting them keeps no original', async () => {
    const id = await published();
    const reference = await responded(id, undefined, {
      about: { respondentType: 'organisation', organisationName: 'Friends of Stroud' },
      q2: 'Ring me on 07700 900123 or write to sam@example.com',
    });
    const row = await responseRow(reference);
    expect(row).toMatchObject({ held: true, held_reasons: ['personal-data'] });
    const owner = await staff('owner');
    const done = await owner.post(`/staff/consultations/${id}/responses/${row.id}/redact`, {
      field: '1',
      reason: 'personal-data',
      passages: '07700 900123\nsam@example.com',
    });
    expect(done.status).toBe(303);
    expect((await responseRow(reference)).answers.q2).toBe(
      'Ring me on [redacted] or write to [redacted]',
    );
    const redaction = await db()
      .selectFrom('consultation_redactions')
      .selectAll()
      .where('response_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(redaction).toMatchObject({ reason: 'personal-data', passages: 2, original: null });
  });

  it('bad redactions get the error summary and change nothing', async () => {
    const id = await published();
    const reference = await responded(id, undefined, { q2: 'Call 07700 900123' });
    const row = await responseRow(reference);
    const caseworker = await staff('caseworker');
    const bad = await caseworker.post(`/staff/consultations/${id}/responses/${row.id}/redact`, {
      field: '1',
      reason: '',
      passages: 'not in the answer',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#reason"');
    expect(bad.html).toContain('Each passage must appear in the answer you selected');
    const choice = await caseworker.post(`/staff/consultations/${id}/responses/${row.id}/redact`, {
      field: '0',
      reason: 'abuse',
      passages: 'Yes',
    });
    expect(choice.status).toBe(400);
    expect((await responseRow(reference)).answers).toEqual(row.answers);
    expect(
      await db()
        .selectFrom('consultation_redactions')
        .select('id')
        .where('response_id', '=', row.id)
        .execute(),
    ).toHaveLength(0);
  });

  it('another body’s staff, a counter adviser and a citizen cannot read, redact or release (404); nothing changes', async () => {
    const id = await published();
    const reference = await responded(id, undefined, { q2: 'Email bob@example.com, the twat' });
    const row = await responseRow(reference);
    const before = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('resource_id', '=', row.id)
      .execute();
    for (const visitor of [
      await staff('cheltenham'),
      await staff('counter'),
      (await aSignedInCitizen(app)).visitor,
    ]) {
      const base = `/staff/consultations/${id}/responses/${row.id}`;
      expect((await visitor.get(base)).status).toBe(404);
      await visitor.get('/consultations');
      expect(
        (
          await visitor.post(`${base}/redact`, {
            field: '1',
            reason: 'abuse',
            passages: 'twat',
          })
        ).status,
      ).toBe(404);
      expect((await visitor.post(`${base}/release`, {})).status).toBe(404);
    }
    expect(await responseRow(reference)).toEqual(row);
    const after = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('resource_id', '=', row.id)
      .execute();
    expect(after).toHaveLength(before.length);
  });
});

describe('themes', () => {
  it('staff define themes, tag free-text answers, and see counts per theme in the results and both CSVs', async () => {
    const id = await published();
    const first = await responseRow(
      await responded(id, undefined, { q2: 'Too dear for shoppers' }),
    );
    const second = await responseRow(await responded(id, undefined, { q2: 'Buses are too slow' }));
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/consultations/${id}/themes`);
    for (const name of ['Cost', 'Buses'])
      expect((await caseworker.post(`/staff/consultations/${id}/themes`, { name })).status).toBe(
        303,
      );
    const duplicate = await caseworker.post(`/staff/consultations/${id}/themes`, { name: 'cost' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.html).toContain('There is already a theme with this name');
    const blank = await caseworker.post(`/staff/consultations/${id}/themes`, { name: '' });
    expect(blank.status).toBe(400);
    const themes = await db()
      .selectFrom('consultation_themes')
      .selectAll()
      .where('consultation_id', '=', id)
      .orderBy('name')
      .execute();
    expect(themes.map((t) => t.name)).toEqual(['Buses', 'Cost']);
    const [buses, cost] = themes;
    await caseworker.get(`/staff/consultations/${id}/responses/${first.id}`);
    const tag = (responseId: string, ids: string[]) =>
      caseworker.post(`/staff/consultations/${id}/responses/${responseId}/themes`, {
        question: '1',
        themes: ids,
      });
    expect((await tag(first.id, [cost!.id])).status).toBe(303);
    expect((await tag(second.id, [cost!.id, buses!.id])).status).toBe(303);
    // A choice question cannot be tagged; nor with another consultation's theme.
    const other = await published();
    await caseworker.post(`/staff/consultations/${other}/themes`, { name: 'Elsewhere' });
    const foreign = await db()
      .selectFrom('consultation_themes')
      .select('id')
      .where('consultation_id', '=', other)
      .executeTakeFirstOrThrow();
    expect((await tag(first.id, [foreign.id])).status).toBe(404);
    expect(
      (
        await caseworker.post(`/staff/consultations/${id}/responses/${first.id}/themes`, {
          question: '0',
          themes: [cost!.id],
        })
      ).status,
    ).toBe(404);

    const page = await caseworker.get(`/staff/consultations/${id}/themes`);
    expect(page.html).toMatch(
      /Cost<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*2/,
    );
    expect(page.html).toMatch(
      /Buses<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*1/,
    );
    const counts = await caseworker.get(`/staff/consultations/${id}/themes.csv`);
    expect(counts.html).toBe(
      'question,theme,answers\r\nQ2 Tell us why,Cost,2\r\nQ2 Tell us why,Buses,1\r\n',
    );
    const csv = await caseworker.get(`/staff/consultations/${id}/responses.csv`);
    const lines = csv.html.split('\r\n');
    expect(lines[0]).toContain('Q2 Tell us why,Q2 themes');
    expect(lines[1]).toMatch(/,Too dear for shoppers,Cost$/);
    expect(lines[2]).toMatch(/,Buses are too slow,Cost; Buses$/);
    // Another body's staff cannot add themes or tag.
    const cheltenham = await staff('cheltenham');
    await cheltenham.get('/consultations');
    expect(
      (await cheltenham.post(`/staff/consultations/${id}/themes`, { name: 'Theirs' })).status,
    ).toBe(404);
    expect(
      (
        await cheltenham.post(`/staff/consultations/${id}/responses/${first.id}/themes`, {
          question: '1',
          themes: [],
        })
      ).status,
    ).toBe(404);
  });
});

describe('the outcome: you said, we did', () => {
  it('respondents who asked are e-mailed once when the outcome is published, then their address is erased', async () => {
    const id = await published();
    const told = await responded(
      id,
      undefined,
      {},
      { notify: 'yes', notifyEmail: ' Told@Example.com ' },
    );
    const welsh = new Visitor(app.baseUrl);
    await welsh.get(`/consultations/${id}?lang=cy`);
    const toldCy = await responded(
      id,
      welsh,
      {},
      { notify: 'yes', notifyEmail: 'cymraeg@example.com' },
    );
    await responded(id, undefined, {}, { notifyEmail: 'not-ticked@example.com' });
    expect((await responseRow(told)).notify_email).toBe('told@example.com');
    expect((await responseRow(toldCy)).language).toBe('cy');
    const owner = await staff('owner');
    // Not before it has closed.
    await owner.get(`/staff/consultations/${id}/outcome`);
    const early = await owner.post(`/staff/consultations/${id}/outcome`, { outcome: 'Too soon' });
    expect(early.status).toBe(400);
    expect(early.html).toContain('only once the consultation has closed');
    await closeYesterday(id);
    const empty = await owner.post(`/staff/consultations/${id}/outcome`, { outcome: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('href="#outcome"');
    const long = await owner.post(`/staff/consultations/${id}/outcome`, {
      outcome: 'x'.repeat(20001),
    });
    expect(long.status).toBe(400);
    // A caseworker may not publish it.
    const caseworker = await staff('caseworker');
    await caseworker.get('/consultations');
    expect(
      (await caseworker.post(`/staff/consultations/${id}/outcome`, { outcome: 'Ours' })).status,
    ).toBe(404);
    const done = await owner.post(`/staff/consultations/${id}/outcome`, {
      outcome: 'You said the charges were too high.\n\nWe halved them.',
    });
    expect(done.status).toBe(303);
    const page = await new Visitor(app.baseUrl).get(`/consultations/${id}`);
    expect(page.html).toContain('You said, we did');
    expect(page.html).toContain('We halved them.');
    await app.platform.worker.drain();
    const mails = await mailsTo(db(), 'told@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('The outcome of the consultation');
    expect(mails[0]!.text).toContain(`/consultations/${id}`);
    expect(mails[0]!.text).toContain(told);
    expect((await mailsTo(db(), 'cymraeg@example.com'))[0]!.subject).toContain(
      'Canlyniad yr ymgynghoriad',
    );
    expect(await mailsTo(db(), 'not-ticked@example.com')).toHaveLength(0);
    expect((await responseRow(told)).notify_email).toBeNull();
    // Correcting the outcome e-mails no one again.
    await owner.post(`/staff/consultations/${id}/outcome`, { outcome: 'We halved them. Really.' });
    await app.platform.worker.drain();
    expect(await mailsTo(db(), 'told@example.com')).toHaveLength(1);
  });

  it('a bad address for the outcome e-mail gets the error summary and sends nothing', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    await answered(id, visitor);
    for (const notifyEmail of ['', 'not-an-address', 'someone@mailinator.com']) {
      const bad = await visitor.post(`/consultations/${id}/respond/check`, {
        notify: 'yes',
        notifyEmail,
      });
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('href="#notifyEmail"');
    }
    const row = await db()
      .selectFrom('consultation_responses')
      .select(['submitted_at', 'notify_email'])
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ submitted_at: null, notify_email: null });
  });

  it('abuse originals are erased when the outcome is published', async () => {
    const id = await published();
    const reference = await responded(id, undefined, { q2: 'What a load of bollocks' });
    const row = await responseRow(reference);
    const owner = await staff('owner');
    await owner.get('/consultations');
    await owner.post(`/staff/consultations/${id}/responses/${row.id}/redact`, {
      field: '1',
      reason: 'abuse',
      passages: 'bollocks',
    });
    await closeYesterday(id);
    await owner.post(`/staff/consultations/${id}/outcome`, { outcome: 'We listened.' });
    const redaction = await db()
      .selectFrom('consultation_redactions')
      .select('original')
      .where('response_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(redaction.original).toBeNull();
  });
});

describe('withdrawing', () => {
  it('a service owner withdraws a consultation with a reason: it says so and takes no more responses (410)', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    await answered(id, visitor);
    const owner = await staff('owner');
    await owner.get(`/staff/consultations/${id}/withdraw`);
    expect((await owner.post(`/staff/consultations/${id}/withdraw`, { reason: '' })).status).toBe(
      400,
    );
    const caseworker = await staff('caseworker');
    await caseworker.get('/consultations');
    expect(
      (await caseworker.post(`/staff/consultations/${id}/withdraw`, { reason: 'No' })).status,
    ).toBe(404);
    const done = await owner.post(`/staff/consultations/${id}/withdraw`, {
      reason: 'The government changed the law on parking.',
    });
    expect(done.status).toBe(303);
    const page = await new Visitor(app.baseUrl).get(`/consultations/${id}`);
    expect(page.html).toContain('This consultation has been withdrawn');
    expect(page.html).toContain('The government changed the law on parking.');
    const refused = await visitor.post(`/consultations/${id}/respond/check`, {});
    expect(refused.status).toBe(410);
    expect(refused.html).toContain('has been withdrawn');
    expect(
      (
        await db()
          .selectFrom('consultation_responses')
          .select('submitted_at')
          .where('consultation_id', '=', id)
          .executeTakeFirstOrThrow()
      ).submitted_at,
    ).toBeNull();
    expect(
      (await owner.post(`/staff/consultations/${id}/withdraw`, { reason: 'Again' })).status,
    ).toBe(400);
  });
});

describe('retention', () => {
  it('anonymises responses a period after the consultation closed: free text and links go, choices stay; held people spared', async () => {
    const id = await published();
    const { visitor, userId } = await aSignedInCitizen(app);
    const mine = await responded(id, visitor, { q1: 'No', q2: 'My neighbour Sam parks badly' });
    const other = await responded(
      id,
      undefined,
      { q1: 'Yes', q2: 'Fine' },
      { notify: 'yes', notifyEmail: 'kept@example.com' },
    );
    await db()
      .updateTable('consultations')
      .set({ opens_on: '2020-01-01', closes_on: '2020-01-31' })
      .where('id', '=', id)
      .execute();
    const stroud = (
      await db()
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'stroud')
        .executeTakeFirstOrThrow()
    ).id;
    const query = {
      organisationId: stroud,
      action: 'anonymise' as const,
      limit: 1000,
      heldPersonIds: [] as string[],
      heldPersonEmails: [] as string[],
      heldPersonPhones: [] as string[],
      heldRecordIds: [] as string[],
      heldReferences: [] as string[],
    };
    const ofThis = async (cutoff: Date, held: Partial<typeof query> = {}) => {
      const due = await consultationResponseRetention.findDue(db(), { ...query, ...held, cutoff });
      const ids = new Set([(await responseRow(mine)).id, (await responseRow(other)).id]);
      return due.filter((d) => ids.has(d.id));
    };
    // The clock starts at the midnight after the closing day (London: GMT in January).
    expect(await ofThis(new Date('2020-01-31T23:59:59Z'))).toEqual([]);
    const cutoff = new Date('2020-02-01T00:00:00Z');
    expect(await ofThis(cutoff)).toHaveLength(2);
    expect(await ofThis(cutoff, { heldPersonIds: [userId] })).toHaveLength(1);
    expect(await ofThis(cutoff, { heldPersonEmails: ['kept@example.com'] })).toHaveLength(1);
    expect(await ofThis(cutoff, { heldReferences: [mine] })).toHaveLength(1);
    expect(await consultationResponseRetention.resolve(db(), stroud, mine.toLowerCase())).toEqual({
      id: (await responseRow(mine)).id,
      reference: mine,
    });
    const cheltenham = (
      await db()
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'cheltenham')
        .executeTakeFirstOrThrow()
    ).id;
    expect(await consultationResponseRetention.resolve(db(), cheltenham, mine)).toBeUndefined();
    const due = await ofThis(cutoff);
    const changed = await db()
      .transaction()
      .execute((trx) =>
        consultationResponseRetention.dispose(
          trx,
          'anonymise',
          due.map((d) => d.id),
          new Date(),
        ),
      );
    expect(changed).toBe(2);
    const row = await responseRow(mine);
    expect(row).toMatchObject({ user_id: null, answers: { q1: 'no', q2: '' } });
    expect(row.anonymised_at).not.toBeNull();
    expect((await responseRow(other)).notify_email).toBeNull();
    expect(await ofThis(cutoff)).toEqual([]);
  });
});

describe('save and return', () => {
  it('someone not signed in saves, gets a link by e-mail, and carries on in another browser; the link works once', async () => {
    const id = await published();
    const first = new Visitor(app.baseUrl);
    await first.get(`/consultations/${id}/respond`);
    await first.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    await first.get(`/consultations/${id}/respond/questions/1`);
    const save = await first.post(`/consultations/${id}/respond/questions/1`, {
      q1: 'no',
      action: 'save',
    });
    expect(save.headers.get('location')).toBe(`/consultations/${id}/respond/save`);
    const page = await first.get(`/consultations/${id}/respond/save`);
    expect(page.html).toContain('Save your response and come back later');
    const bad = await first.post(`/consultations/${id}/respond/save`, { email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#email"');
    const sent = await first.post(`/consultations/${id}/respond/save`, {
      email: 'Later@Example.com',
    });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('Check your email');
    const mail = (await mailsTo(db(), 'later@example.com')).at(-1)!;
    expect(mail.subject).toContain('Carry on with your response');
    const path = new URL(/https?:\/\/\S+/.exec(mail.text)![0]).pathname;
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)![0]).searchParams.get('token')!;
    expect(path).toBe(`/consultations/${id}/respond/return`);
    // The address is not kept.
    const draft = await db()
      .selectFrom('consultation_responses')
      .selectAll()
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(draft)).not.toContain('later@example.com');

    const second = new Visitor(app.baseUrl);
    const landing = await second.get(`/consultations/${id}/respond/return?token=${token}`);
    expect(landing.status).toBe(200);
    const back = await second.post(`/consultations/${id}/respond/return`, { token });
    expect(back.status).toBe(303);
    await second.get(`/consultations/${id}/respond`);
    const about = await second.post(`/consultations/${id}/respond`, {
      respondentType: 'individual',
    });
    // Question 1 was answered before saving: the journey carries on at question 2.
    expect(about.headers.get('location')).toBe(`/consultations/${id}/respond/questions/2`);
    const third = new Visitor(app.baseUrl);
    await third.get(`/consultations/${id}/respond/return?token=${token}`);
    const again = await third.post(`/consultations/${id}/respond/return`, { token });
    expect(again.status).toBe(404);
    expect(again.html).toContain('This link does not work');
    // A link over 28 days old does not work either.
    await second.get(`/consultations/${id}/respond/save`);
    await second.post(`/consultations/${id}/respond/save`, { email: 'later@example.com' });
    const newest = (await mailsTo(db(), 'later@example.com')).at(-1)!;
    const token2 = new URL(/https?:\/\/\S+/.exec(newest.text)![0]).searchParams.get('token')!;
    await db()
      .updateTable('consultation_responses')
      .set({ return_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', draft.id)
      .execute();
    await third.get(`/consultations/${id}/respond/return?token=${token2}`);
    expect(
      (await third.post(`/consultations/${id}/respond/return`, { token: token2 })).status,
    ).toBe(404);
  });

  it('signed in, a draft is carried on automatically in another browser', async () => {
    const id = await published();
    const { visitor, email } = await aSignedInCitizen(app);
    await visitor.get(`/consultations/${id}/respond`);
    await visitor.post(`/consultations/${id}/respond`, {
      respondentType: 'organisation',
      organisationName: 'Stroud Allotments',
    });
    await visitor.get(`/consultations/${id}/respond/questions/1`);
    await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes' });
    const saved = await visitor.get(`/consultations/${id}/respond/save`);
    expect(saved.html).toContain('saved as you go');
    const elsewhere = new Visitor(app.baseUrl);
    await elsewhere.signIn(email, CITIZEN_PASSWORD);
    const about = await elsewhere.get(`/consultations/${id}/respond`);
    expect(about.html).toContain('Stroud Allotments');
    const next = await elsewhere.post(`/consultations/${id}/respond`, {
      respondentType: 'organisation',
      organisationName: 'Stroud Allotments',
    });
    expect(next.headers.get('location')).toBe(`/consultations/${id}/respond/questions/2`);
  });
});

describe('Welsh and easy read versions', () => {
  it('a Welsh version is shown to Welsh readers and an easy read version to anyone who asks; a partial Welsh version is refused', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/consultations/new');
    const partial = await owner.post(
      '/staff/consultations/new',
      publishForm({ titleCy: 'Taliadau parcio' }),
    );
    expect(partial.status).toBe(400);
    expect(partial.html).toContain('href="#bodyCy"');
    expect(partial.html).toContain('href="#summaryCy"');
    const id = await published({
      titleCy: 'Taliadau parcio yng nghanol tref Stroud',
      summaryCy: 'Rydym yn cynnig taliadau parcio newydd.',
      bodyCy: 'Mae’r cyngor yn cynnig codi tâl am barcio.',
      easyRead: 'We want people to pay to park.\n\nThe money will pay for buses.',
    });
    const visitor = new Visitor(app.baseUrl);
    const welsh = await visitor.get(`/consultations/${id}?lang=cy`);
    expect(welsh.html).toContain('Taliadau parcio yng nghanol tref Stroud');
    expect(welsh.html).toContain('Mae’r cyngor yn cynnig codi tâl am barcio.');
    expect(welsh.html).not.toContain('The council proposes to charge for parking.');
    expect((await visitor.get('/consultations?lang=cy')).html).toContain(
      'Taliadau parcio yng nghanol tref Stroud',
    );
    const english = await visitor.get(`/consultations/${id}?lang=en`);
    expect(english.html).toContain('The council proposes to charge for parking.');
    expect(english.html).toContain(`/consultations/${id}?version=easy-read`);
    const easy = await visitor.get(`/consultations/${id}?version=easy-read`);
    expect(easy.html).toContain('We want people to pay to park.');
    expect(easy.html).not.toContain('The council proposes to charge for parking.');
    // Without a Welsh version, Welsh readers are told it is in English only.
    const plain = await published();
    const only = await visitor.get(`/consultations/${plain}?lang=cy`);
    expect(only.html).toContain('yn Saesneg yn unig');
    expect(only.html).toContain('The council proposes to charge for parking.');
  });
});

describe('document pages', () => {
  const PAGED = [
    '# Why we are consulting',
    'Town centre parking is full by ten.',
    '',
    '# What we propose',
    'A charge of £1 an hour.',
    '',
    'Free after six.',
    '',
    '# What happens next',
    'We decide in March.',
  ].join('\n');
  const PAGED_CY = [
    '# Pam rydym yn ymgynghori',
    'Mae’r meysydd parcio yn llawn erbyn deg.',
    '# Beth rydym yn ei gynnig',
    'Tâl o £1 yr awr.',
    '# Beth sy’n digwydd nesaf',
    'Byddwn yn penderfynu ym mis Mawrth.',
  ].join('\n');

  it('a document with page titles is shown a page at a time with a contents list and previous and next links, in English and Welsh', async () => {
    const id = await published({
      body: PAGED,
      titleCy: 'Taliadau parcio',
      summaryCy: 'Rydym yn cynnig taliadau parcio.',
      bodyCy: PAGED_CY,
    });
    const visitor = new Visitor(app.baseUrl);
    const first = await visitor.get(`/consultations/${id}`);
    expect(first.status).toBe(200);
    // The first page holds the consultation's details and the document's first page only.
    expect(first.html).toContain('Town centre parking is full by ten.');
    expect(first.html).not.toContain('A charge of £1 an hour.');
    expect(first.html).toContain('Residents and businesses of Stroud district');
    // The contents list: the current page is not a link, the others are.
    expect(first.html).toContain('<span aria-current="page">Why we are consulting</span>');
    expect(first.html).toContain(`href="/consultations/${id}/pages/2">What we propose</a>`);
    expect(first.html).toContain(`href="/consultations/${id}/pages/3">What happens next</a>`);
    expect(first.html).toContain('govuk-pagination__next');
    expect(first.html).not.toContain('govuk-pagination__prev');
    expect(first.html).toContain('Respond to this consultation');

    const second = await visitor.get(`/consultations/${id}/pages/2`);
    expect(second.status).toBe(200);
    expect(second.html).toMatch(/<title[^>]*>What we propose – Parking charges/);
    expect(second.html).toContain('A charge of £1 an hour.');
    expect(second.html).toContain('<p class="govuk-body">Free after six.</p>');
    expect(second.html).not.toContain('Town centre parking is full by ten.');
    expect(second.html).not.toContain('Residents and businesses of Stroud district');
    expect(second.html).toContain('<span aria-current="page">What we propose</span>');
    expect(second.html).toMatch(
      new RegExp(
        `govuk-pagination__prev[\\s\\S]*href="/consultations/${id}"[\\s\\S]*Why we are consulting`,
      ),
    );
    expect(second.html).toMatch(
      new RegExp(`govuk-pagination__next[\\s\\S]*href="/consultations/${id}/pages/3"`),
    );
    const last = await visitor.get(`/consultations/${id}/pages/3`);
    expect(last.html).toContain('We decide in March.');
    expect(last.html).not.toContain('govuk-pagination__next');

    // Page 1 is the consultation's page; pages it does not have are 404.
    const one = await visitor.get(`/consultations/${id}/pages/1`);
    expect(one.status).toBe(303);
    expect(one.headers.get('location')).toBe(`/consultations/${id}`);
    expect((await visitor.get(`/consultations/${id}/pages/4`)).status).toBe(404);
    expect((await visitor.get(`/consultations/${id}/pages/0`)).status).toBe(404);
    expect((await visitor.get(`/consultations/${id}/pages/two`)).status).toBe(404);
    expect((await visitor.get(`/consultations/${crypto.randomUUID()}/pages/2`)).status).toBe(404);

    // In Welsh, the same pages with their Welsh titles.
    const welsh = await visitor.get(`/consultations/${id}/pages/2?lang=cy`);
    expect(welsh.html).toContain('Tâl o £1 yr awr.');
    expect(welsh.html).toContain('<span aria-current="page">Beth rydym yn ei gynnig</span>');
    expect(welsh.html).toContain('Cynnwys');
    expect(welsh.html).not.toContain('A charge of £1 an hour.');

    // The API gives the pages with their addresses.
    const api = (await (await fetch(`${app.baseUrl}/api/v1/consultations/${id}`)).json()) as {
      pages: { number: number; title: { en: string; cy: string }; url: string }[];
    };
    expect(api.pages).toHaveLength(3);
    expect(api.pages[1]).toMatchObject({
      number: 2,
      title: { en: 'What we propose', cy: 'Beth rydym yn ei gynnig' },
    });
    expect(api.pages[1]!.url).toMatch(new RegExp(`/consultations/${id}/pages/2$`));
  });

  it('a document without page titles stays one page, with no contents list or pagination', async () => {
    const id = await published();
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get(`/consultations/${id}`);
    expect(page.html).toContain('The council proposes to charge for parking.');
    expect(page.html).toContain('The money would pay for buses.');
    expect(page.html).not.toContain('Contents');
    expect(page.html).not.toContain('govuk-pagination');
    expect((await visitor.get(`/consultations/${id}/pages/2`)).status).toBe(404);
  });

  it('badly made pages are refused with the error summary: text before the first title, an empty page, Welsh pages that do not match', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/consultations/new');
    const before = await count('consultations');
    const cases: [Record<string, string>, string, string][] = [
      [{ body: 'Some text.\n\n# A page\nMore.' }, 'body', 'Start the document with a page title'],
      [
        { body: '# A page\nText.\n# Empty page' },
        'body',
        'Each page needs some text under its title',
      ],
      [
        { body: `# ${'x'.repeat(121)}\nText.` },
        'body',
        'Each page title must be 120 characters or fewer',
      ],
      [
        { body: Array.from({ length: 21 }, (_, i) => `# Page ${i + 1}\nText.`).join('\n') },
        'body',
        'The document must have 20 pages or fewer',
      ],
      [
        {
          body: PAGED,
          titleCy: 'Taliadau parcio',
          summaryCy: 'Rydym yn cynnig taliadau parcio.',
          bodyCy: '# Un dudalen\nTestun.',
        },
        'bodyCy',
        'The document in Welsh must have as many pages as the English',
      ],
      [{ easyRead: 'Words.\n# A page\nMore.' }, 'easyRead', 'Start the document with a page title'],
    ];
    for (const [fields, field, message] of cases) {
      const response = await owner.post('/staff/consultations/new', publishForm(fields));
      expect(response.status, message).toBe(400);
      expect(response.html).toContain(`href="#${field}"`);
      expect(response.html).toContain(message);
    }
    expect(await count('consultations')).toBe(before);
  });

  it('the easy read version has its own pages; editing the pages after a response makes a new version keeping the old pages', async () => {
    const id = await published({
      body: PAGED,
      easyRead:
        '# About this\nWe want to charge for parking.\n# What you can do\nTell us what you think.',
    });
    const visitor = new Visitor(app.baseUrl);
    const easy = await visitor.get(`/consultations/${id}?version=easy-read`);
    expect(easy.html).toContain('We want to charge for parking.');
    expect(easy.html).toContain(`href="/consultations/${id}/pages/2">What you can do</a>`);
    // The choice is kept for the consultation's other pages, until the reader changes it.
    const easy2 = await visitor.get(`/consultations/${id}/pages/2`);
    expect(easy2.html).toContain('Tell us what you think.');
    expect(easy2.html).not.toContain('A charge of £1 an hour.');
    expect((await visitor.get(`/consultations/${id}/pages/3`)).status).toBe(404);
    const standard = await visitor.get(`/consultations/${id}?version=standard`);
    expect(standard.html).toContain('Town centre parking is full by ten.');
    expect((await visitor.get(`/consultations/${id}/pages/3`)).html).toContain(
      'We decide in March.',
    );

    await responded(id);
    const owner = await staff('owner');
    await owner.get(`/staff/consultations/${id}/edit`);
    const edited = await owner.post(
      `/staff/consultations/${id}/edit`,
      publishForm({ body: PAGED.replace('A charge of £1 an hour.', 'A charge of £2 an hour.') }),
    );
    expect(edited.status, edited.html).toBe(303);
    expect((await visitor.get(`/consultations/${id}/pages/2`)).html).toContain(
      'A charge of £2 an hour.',
    );
    const old = await visitor.get(`/consultations/${id}/versions/1`);
    expect(old.status).toBe(200);
    // The old version shows all its pages, each under its title.
    expect(old.html).toContain('A charge of £1 an hour.');
    expect(old.html).toContain('We decide in March.');
    expect(old.html).toContain('>What we propose</h2>');
    expect(old.html).not.toContain('A charge of £2 an hour.');
  });
});

describe('questions in easy read', () => {
  it('a reader of the easy read version sees the easy read questions; others see them as written; staff see them on the form', async () => {
    const id = await published({
      easyRead: 'We want people to pay to park.',
      'q1-textEasy': 'Is paying to park a good idea?',
      'q2-textEasy': 'Why do you think that?',
    });
    const stored = await db()
      .selectFrom('consultations')
      .select('questions')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect((stored.questions as unknown[])[0]).toMatchObject({
      textEasy: 'Is paying to park a good idea?',
    });
    const owner = await staff('owner');
    expect((await owner.get(`/staff/consultations/${id}/edit`)).html).toContain(
      'Is paying to park a good idea?',
    );

    const easy = new Visitor(app.baseUrl);
    await easy.get(`/consultations/${id}?version=easy-read`);
    await easy.get(`/consultations/${id}/respond`);
    await easy.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    const q1 = await easy.get(`/consultations/${id}/respond/questions/1`);
    expect(q1.html).toContain('Is paying to park a good idea?');
    expect(q1.html).not.toContain('Do you agree with the charges?');
    const bad = await easy.post(`/consultations/${id}/respond/questions/1`, { q1: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Is paying to park a good idea?');
    await easy.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes' });
    expect((await easy.get(`/consultations/${id}/respond/questions/2`)).html).toContain(
      'Why do you think that?',
    );
    await easy.post(`/consultations/${id}/respond/questions/2`, { q2: 'Buses' });
    const check = await easy.get(`/consultations/${id}/respond/check`);
    expect(check.html).toContain('Is paying to park a good idea?');
    expect((await easy.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);

    // Someone reading the standard version sees the questions as written.
    const standard = new Visitor(app.baseUrl);
    await standard.get(`/consultations/${id}/respond`);
    await standard.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    const plain = await standard.get(`/consultations/${id}/respond/questions/1`);
    expect(plain.html).toContain('Do you agree with the charges?');
    expect(plain.html).not.toContain('Is paying to park a good idea?');
    // Staff results name the questions as written.
    const results = await owner.get(`/staff/consultations/${id}`);
    expect(results.html).toContain('Do you agree with the charges?');
    // The API gives the easy read question.
    const api = (await (await fetch(`${app.baseUrl}/api/v1/consultations/${id}`)).json()) as {
      questions: { easyRead: string | null }[];
    };
    expect(api.questions.map((q) => q.easyRead)).toEqual([
      'Is paying to park a good idea?',
      'Why do you think that?',
    ]);
  });

  it('without an easy read document, the easy read choice changes nothing', async () => {
    const id = await published({ 'q1-textEasy': 'Is paying to park a good idea?' });
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(`/consultations/${id}?version=easy-read`);
    await visitor.get(`/consultations/${id}/respond`);
    await visitor.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    expect((await visitor.get(`/consultations/${id}/respond/questions/1`)).html).toContain(
      'Do you agree with the charges?',
    );
  });
});

describe('on the engagement home', () => {
  it('/engage lists open consultations for the whole country, and near a postcode those asking its district or by its council', async () => {
    const local = await published({ title: 'Stroud district bus routes' });
    const national = await published({
      title: 'A national question',
      area: 'country',
      districts: '',
    });
    const withdrawn = await published({ title: 'Withdrawn before anyone answered' });
    const owner = await staff('owner');
    await owner.get(`/staff/consultations/${withdrawn}/withdraw`);
    await owner.post(`/staff/consultations/${withdrawn}/withdraw`, { reason: 'Mistake' });
    const plain = await new Visitor(app.baseUrl).get('/engage');
    expect(plain.html).toContain(`/consultations/${national}`);
    expect(plain.html).not.toContain(`/consultations/${local}`);
    const stroud = await new Visitor(app.baseUrl).get('/engage?postcode=gl5+4ub');
    expect(stroud.status).toBe(200);
    const nearPart = stroud.html.slice(
      stroud.html.indexOf('Open consultations near GL5 4UB'),
      stroud.html.indexOf('Open petitions to national bodies'),
    );
    expect(nearPart).toContain(`/consultations/${local}`);
    expect(nearPart).toContain(`/consultations/${national}`); // by Stroud, which serves GL5
    expect(stroud.html).not.toContain(`/consultations/${withdrawn}`);
    const cheltenham = await new Visitor(app.baseUrl).get('/engage?postcode=GL50%201PP');
    const cheltenhamNear = cheltenham.html.slice(
      cheltenham.html.indexOf('Open consultations near'),
      cheltenham.html.indexOf('Open petitions to national bodies'),
    );
    expect(cheltenhamNear).not.toContain(`/consultations/${local}`);
  });
});

describe('editing', () => {
  it('a service owner edits in place before any response, then as a new version keeping the old; respondents who asked are told; refused once withdrawn', async () => {
    const id = await published();
    const owner = await staff('owner');
    const form = await owner.get(`/staff/consultations/${id}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('Tell us why');
    const draft = new Visitor(app.baseUrl);
    await draft.get(`/consultations/${id}/respond`);
    await draft.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    await draft.get(`/consultations/${id}/respond/questions/1`);
    await draft.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes' });
    await owner.get(`/staff/consultations/${id}/edit`);
    const bad = await owner.post(`/staff/consultations/${id}/edit`, publishForm({ title: '' }));
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#title"');
    const done = await owner.post(
      `/staff/consultations/${id}/edit`,
      publishForm({ title: 'Parking charges, revised', 'q1-options': 'Yes\nNo' }),
    );
    expect(done.status).toBe(303);
    const row = await db()
      .selectFrom('consultations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('Parking charges, revised');
    expect((row.questions as unknown[])[0]).toEqual({
      kind: 'choice',
      text: 'Do you agree with the charges?',
      options: ['Yes', 'No'],
    });
    // The draft in progress starts the questions again.
    const drafts = await db()
      .selectFrom('consultation_responses')
      .select('answers')
      .where('consultation_id', '=', id)
      .execute();
    expect(drafts.map((d) => d.answers)).toEqual([{}]);
    // A caseworker may not edit.
    const caseworker = await staff('caseworker');
    expect((await caseworker.get(`/staff/consultations/${id}/edit`)).status).toBe(404);
    // No new version while no one has responded.
    expect(
      await db()
        .selectFrom('consultation_versions')
        .select('version')
        .where('consultation_id', '=', id)
        .execute(),
    ).toEqual([]);
    expect(row.version).toBe(1);

    // After responses, an edit makes version 2; version 1 and its answers are kept.
    const first = await responded(
      id,
      undefined,
      { q1: 'No', q2: 'Too dear' },
      {
        notify: 'yes',
        notifyEmail: 'changed@example.com',
      },
    );
    await responded(id, undefined, { q1: 'Yes' }, {});
    const form2 = await owner.get(`/staff/consultations/${id}/edit`);
    expect(form2.status).toBe(200);
    expect(form2.html).toContain('Saving makes version 2');
    const versioned = await owner.post(
      `/staff/consultations/${id}/edit`,
      publishForm({
        title: 'Parking charges, second version',
        'q1-text': 'Which charge do you prefer?',
        'q1-options': '£1 an hour\n£2 an hour',
      }),
    );
    expect(versioned.status, versioned.html).toBe(303);
    expect(versioned.headers.get('location')).toBe(`/staff/consultations/${id}?done=versioned`);
    await app.platform.worker.drain();
    const now = await db()
      .selectFrom('consultations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(now.version).toBe(2);
    expect(now.title).toBe('Parking charges, second version');
    const kept = await db()
      .selectFrom('consultation_versions')
      .selectAll()
      .where('consultation_id', '=', id)
      .execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ version: 1, title: 'Parking charges, revised' });
    expect((kept[0]!.questions as unknown[])[0]).toMatchObject({ options: ['Yes', 'No'] });
    const sent = await db()
      .selectFrom('consultation_responses')
      .select(['reference', 'version'])
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .execute();
    expect(sent.map((r) => r.version)).toEqual([1, 1]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('resource_id', '=', id)
      .where('action', '=', 'consultation.edited')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ version: 2 });

    // The respondent who asked is e-mailed once, however often the outbox runs; the other is not.
    const told = async () =>
      (await mailsTo(db(), 'changed@example.com')).filter((m) =>
        m.subject.startsWith('A consultation you responded to has changed'),
      );
    expect(await told()).toHaveLength(1);
    expect((await told())[0]!.text).toContain(first);
    expect((await told())[0]!.text).toContain(`/consultations/${id}`);
    await db()
      .transaction()
      .execute((trx) => tellRespondentsOfChange(trx, id, 2, app.baseUrl));
    await app.platform.worker.drain();
    expect(await told()).toHaveLength(1);

    // Version 1 stays readable with its questions; the current page links to it.
    const anyone = new Visitor(app.baseUrl);
    const current = await anyone.get(`/consultations/${id}`);
    expect(current.html).toContain(`/consultations/${id}/versions/1`);
    const old = await anyone.get(`/consultations/${id}/versions/1`);
    expect(old.status).toBe(200);
    expect(old.html).toContain('Parking charges, revised');
    expect(old.html).toContain('This is version 1 of this consultation');
    expect(old.html).toContain('Yes, No');
    expect(old.html).not.toContain(`/consultations/${id}/respond"`);
    expect((await anyone.get(`/consultations/${id}/versions/2`)).status).toBe(404);
    expect((await anyone.get(`/consultations/${id}/versions/9`)).status).toBe(404);

    // Staff read each version's results against its own questions.
    const results = await owner.get(`/staff/consultations/${id}`);
    expect(results.html).toContain('Which charge do you prefer?');
    expect(results.html).toContain(`/staff/consultations/${id}?version=1`);
    expect(results.html).toContain('Version 1: 2 responses');
    const v1 = await owner.get(`/staff/consultations/${id}?version=1`);
    expect(v1.status).toBe(200);
    expect(v1.html).toContain('Do you agree with the charges?');
    expect(v1.html).toContain('Too dear');
    const csv1 = await owner.get(`/staff/consultations/${id}/responses.csv?version=1`);
    expect(csv1.html).toContain(first);
    const csv2 = await owner.get(`/staff/consultations/${id}/responses.csv`);
    expect(csv2.html).not.toContain(first);
    expect((await owner.get(`/staff/consultations/${id}?version=7`)).status).toBe(404);
    // A response answered after the edit is recorded against version 2.
    await responded(id, undefined, { q1: '£1 an hour' }, {});
    const latest = await db()
      .selectFrom('consultation_responses')
      .select('version')
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .orderBy('submitted_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(latest.version).toBe(2);
    // Another body's staff cannot edit (404), nor read an earlier version's results.
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get(`/staff/consultations/${id}/edit`)).status).toBe(404);
    expect((await cheltenham.get(`/staff/consultations/${id}?version=1`)).status).toBe(404);

    // Once withdrawn, editing is refused (409) and nothing changes.
    await db()
      .updateTable('consultations')
      .set({ withdrawn_at: new Date(), withdrawn_reason: 'Superseded' })
      .where('id', '=', id)
      .execute();
    await owner.get(`/staff/consultations/${id}`);
    const locked = await owner.post(
      `/staff/consultations/${id}/edit`,
      publishForm({ title: 'Too late' }),
    );
    expect(locked.status).toBe(409);
    expect(locked.html).toContain('You cannot edit this consultation');
    expect(
      (
        await db()
          .selectFrom('consultations')
          .select('title')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).title,
    ).toBe('Parking charges, second version');
  });
});

/** A small real PDF (the attachments module sniffs it from its first bytes). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Posts a file to a consultation's documents page as `visitor`, with the CSRF token of `csrfFrom`. */
async function uploadDocument(
  visitor: Visitor,
  id: string,
  file: Buffer,
  name: string,
  csrfFrom = `/staff/consultations/${id}/documents`,
) {
  const page = await visitor.get(csrfFrom);
  const form = new FormData();
  form.append('_csrf', csrfToken(page.html));
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const response = await fetch(`${app.baseUrl}/staff/consultations/${id}/documents`, {
    method: 'POST',
    headers: { cookie: visitor.cookieHeader() },
    body: form,
    redirect: 'manual',
  });
  return Object.assign(response, { html: await response.text() });
}

describe('documents', () => {
  it('a service owner attaches checked files; before it opens only the body’s staff download them, then anyone', async () => {
    const id = await published({
      title: 'Stroud bus station: the options',
      ...dateInputFields('opensOn', 3),
      ...dateInputFields('closesOn', 30),
    });
    const owner = await staff('owner');
    const sent = await uploadDocument(owner, id, PDF, 'Bus station options.pdf');
    expect(sent.status, sent.html).toBe(303);
    expect(sent.headers.get('location')).toBe(`/staff/consultations/${id}/documents`);
    // Content-sniffed: a web page named .pdf is refused, and nothing is attached.
    const lying = await uploadDocument(
      owner,
      id,
      Buffer.from('<html><body>hi</body></html>'),
      'x.pdf',
    );
    expect(lying.status).toBe(400);
    expect(lying.html).toContain('govuk-error-summary');
    expect(lying.html).toContain('href="#file"');
    const rows = await db()
      .selectFrom('consultation_documents')
      .select(['id', 'attachment_id'])
      .where('consultation_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
    const document = rows[0]!;
    const file = await db()
      .selectFrom('attachments')
      .select(['content_type', 'linked_at', 'submission_id', 'organisation_id'])
      .where('id', '=', document.attachment_id)
      .executeTakeFirstOrThrow();
    expect(file.content_type).toBe('application/pdf');
    expect(file.linked_at).not.toBeNull();
    expect(file.submission_id).toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', id)
      .where('action', '=', 'consultation.document-added')
      .execute();
    expect(audit).toHaveLength(1);
    const path = `/consultations/${id}/documents/${document.id}`;

    // Before its opening day: the public neither sees nor downloads it.
    const anyone = new Visitor(app.baseUrl);
    expect((await anyone.get(`/consultations/${id}`)).html).not.toContain(path);
    expect((await anyone.get(path)).status).toBe(404);
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get(path)).status).toBe(404);
    expect((await (await staff('cheltenham')).get(path)).status).toBe(404);
    expect((await (await staff('counter')).get(path)).status).toBe(404);
    const ownStaff = await (await staff('caseworker')).get(path);
    expect(ownStaff.status).toBe(200);
    expect(ownStaff.headers.get('content-type')).toBe('application/pdf');
    expect(ownStaff.headers.get('content-disposition')).toContain('Bus station options.pdf');
    expect(ownStaff.html.startsWith('%PDF-1.4')).toBe(true);
    expect((await owner.get(`/consultations/${id}`)).html).toContain(path);

    // Another body's staff, a caseworker and a citizen cannot attach (404), and nothing changes.
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get(`/staff/consultations/${id}/documents`)).status).toBe(404);
    expect(
      (await uploadDocument(cheltenham, id, PDF, 'theirs.pdf', '/staff/consultations')).status,
    ).toBe(404);
    const caseworker = await staff('caseworker');
    expect(
      (await uploadDocument(caseworker, id, PDF, 'mine.pdf', '/staff/consultations')).status,
    ).toBe(404);
    expect(
      (await uploadDocument(citizen.visitor, id, PDF, 'mine.pdf', '/consultations')).status,
    ).toBe(404);
    expect(
      await db()
        .selectFrom('consultation_documents')
        .select('id')
        .where('consultation_id', '=', id)
        .execute(),
    ).toHaveLength(1);

    // Once it opens, anyone downloads it from its page; not through another consultation.
    await db()
      .updateTable('consultations')
      .set({ opens_on: ukToday() })
      .where('id', '=', id)
      .execute();
    const page = await anyone.get(`/consultations/${id}`);
    expect(page.html).toContain(path);
    expect(page.html).toContain('Bus station options.pdf');
    const download = await anyone.get(path);
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    // Kept with the body: the expiry of unsent uploads, due now, leaves it alone.
    await db()
      .updateTable('outbox')
      .set({ available_at: new Date(Date.now() - 1000) })
      .where('idempotency_key', '=', `attachments.expire:${document.attachment_id}`)
      .execute();
    await app.platform.worker.drain();
    expect(
      (
        await db()
          .selectFrom('outbox')
          .select('status')
          .where('idempotency_key', '=', `attachments.expire:${document.attachment_id}`)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('done');
    expect((await anyone.get(path)).status).toBe(200);
    const other = await published();
    expect((await anyone.get(`/consultations/${other}/documents/${document.id}`)).status).toBe(404);
    expect((await anyone.get(`/consultations/${id}/documents/not-an-id`)).status).toBe(404);
  });
});

describe('removing a document', () => {
  it('a service owner removes one after confirming: the file goes, the removal is audited; others get 404', async () => {
    const id = await published({ title: 'Stroud library opening hours' });
    const owner = await staff('owner');
    expect((await uploadDocument(owner, id, PDF, 'Opening hours.pdf')).status).toBe(303);
    expect((await uploadDocument(owner, id, PDF, 'Survey map.pdf')).status).toBe(303);
    const rows = await db()
      .selectFrom('consultation_documents')
      .select(['id', 'attachment_id'])
      .where('consultation_id', '=', id)
      .orderBy('added_at')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    const [gone, kept] = await Promise.all(
      rows.map(async (r) => ({
        ...r,
        name: (
          await db()
            .selectFrom('attachments')
            .select('filename as name')
            .where('id', '=', r.attachment_id)
            .executeTakeFirstOrThrow()
        ).name,
      })),
    );
    const removePath = `/staff/consultations/${id}/documents/${gone!.id}/remove`;
    const list = await owner.get(`/staff/consultations/${id}/documents`);
    expect(list.html).toContain(removePath);

    // A caseworker, another body's staff and a citizen can neither see the page nor remove (404).
    const citizen = await aSignedInCitizen(app);
    for (const visitor of [await staff('caseworker'), await staff('cheltenham'), citizen.visitor]) {
      expect((await visitor.get(removePath)).status).toBe(404);
      const token = csrfToken((await visitor.get('/consultations')).html);
      expect((await visitor.post(removePath, { _csrf: token })).status).toBe(404);
    }
    // Not through another consultation, nor a made-up id.
    const other = await published();
    expect(
      (await owner.get(`/staff/consultations/${other}/documents/${gone!.id}/remove`)).status,
    ).toBe(404);
    expect((await owner.get(`/staff/consultations/${id}/documents/not-an-id/remove`)).status).toBe(
      404,
    );
    expect(
      await db()
        .selectFrom('consultation_documents')
        .select('id')
        .where('consultation_id', '=', id)
        .execute(),
    ).toHaveLength(2);

    // The confirmation page names the file; confirming removes it.
    const confirm = await owner.get(removePath);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(gone!.name);
    const removed = await owner.post(removePath, {});
    expect(removed.status, removed.html).toBe(303);
    expect(removed.headers.get('location')).toBe(`/staff/consultations/${id}/documents?removed=1`);
    expect((await owner.get(removed.headers.get('location')!)).html).toContain(
      'The document has been removed.',
    );
    const left = await db()
      .selectFrom('consultation_documents')
      .select('id')
      .where('consultation_id', '=', id)
      .execute();
    expect(left.map((r) => r.id)).toEqual([kept!.id]);
    expect(
      await db()
        .selectFrom('attachments')
        .select('id')
        .where('id', '=', gone!.attachment_id)
        .executeTakeFirst(),
    ).toBeUndefined();
    const job = await db()
      .selectFrom('outbox')
      .select('topic')
      .where('idempotency_key', '=', `attachments.delete-files:body-file:${gone!.attachment_id}`)
      .executeTakeFirst();
    expect(job?.topic).toBe('attachments.delete-files');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details'])
      .where('resource_id', '=', id)
      .where('action', '=', 'consultation.document-removed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).toContain(gone!.id);
    // Gone from the public page and its download; the other document stays.
    const anyone = new Visitor(app.baseUrl);
    expect((await anyone.get(`/consultations/${id}/documents/${gone!.id}`)).status).toBe(404);
    expect((await anyone.get(`/consultations/${id}/documents/${kept!.id}`)).status).toBe(200);
    const page = await anyone.get(`/consultations/${id}`);
    expect(page.html).not.toContain(gone!.id);
    // Removing it again: 404, and no second audit entry.
    expect((await owner.post(removePath, {})).status).toBe(404);
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('resource_id', '=', id)
        .where('action', '=', 'consultation.document-removed')
        .execute(),
    ).toHaveLength(1);
  });
});

describe('questions in Welsh', () => {
  it('a Welsh reader sees the questions and options in Welsh; the answer is stored as the option’s value, the same in both languages', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/consultations/new');
    const mismatched = await owner.post(
      '/staff/consultations/new',
      publishForm({ 'q1-optionsCy': 'Ydw\nNac ydw' }),
    );
    expect(mismatched.status).toBe(400);
    expect(mismatched.html).toContain('href="#q1-optionsCy"');
    const id = await published({
      'q1-textCy': 'Ydych chi’n cytuno â’r taliadau?',
      'q1-optionsCy': 'Ydw\nNac ydw\nDdim yn siŵr',
      'q2-textCy': 'Dywedwch wrthym pam',
    });
    const stored = await db()
      .selectFrom('consultations')
      .select('questions')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect((stored.questions as unknown[])[0]).toMatchObject({
      kind: 'choice',
      textCy: 'Ydych chi’n cytuno â’r taliadau?',
      optionsCy: ['Ydw', 'Nac ydw', 'Ddim yn siŵr'],
    });
    // The staff form shows the Welsh when editing.
    expect((await owner.get(`/staff/consultations/${id}/edit`)).html).toContain('Ddim yn siŵr');

    const visitor = new Visitor(app.baseUrl);
    await visitor.get(`/consultations/${id}/respond?lang=cy`);
    await visitor.post(`/consultations/${id}/respond`, { respondentType: 'individual' });
    const q1 = await visitor.get(`/consultations/${id}/respond/questions/1`);
    expect(q1.html).toContain('Ydych chi’n cytuno â’r taliadau?');
    expect(q1.html).toContain('Nac ydw');
    // The option's value is the same whatever the language: answers are counted as one.
    expect(q1.html).toContain('value="no"');
    expect(q1.html).not.toContain('Do you agree with the charges?');
    await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'no' });
    const q2 = await visitor.get(`/consultations/${id}/respond/questions/2`);
    expect(q2.html).toContain('Dywedwch wrthym pam');
    await visitor.post(`/consultations/${id}/respond/questions/2`, { q2: '' });
    const check = await visitor.get(`/consultations/${id}/respond/check`);
    expect(check.html).toContain('Nac ydw');
    expect((await visitor.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);
    const response = await db()
      .selectFrom('consultation_responses')
      .select(['answers', 'language'])
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(response.answers.q1).toBe('no');
    // Counted with the English option for staff, whatever the language answered in.
    const results = await (await staff('owner')).get(`/staff/consultations/${id}`);
    expect(results.html).toMatch(/No<\/t[dh]>\s*<td[^>]*>\s*1\s*</);

    // A question without Welsh is shown in English, marked as English.
    const plain = await published();
    const reader = new Visitor(app.baseUrl);
    await reader.get(`/consultations/${plain}/respond?lang=cy`);
    await reader.post(`/consultations/${plain}/respond`, { respondentType: 'individual' });
    const english = await reader.get(`/consultations/${plain}/respond/questions/1`);
    expect(english.html).toContain('<span lang="en">Do you agree with the charges?</span>');
  });
});

describe('the API', () => {
  async function stroud() {
    return db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
  }

  it('lists published consultations as open data, filtered by status, body, district and topic, and paged', async () => {
    const open = await published({ title: 'Grass cutting on verges', topic: 'environment' });
    const national = await published({
      title: 'Recycling for the whole country',
      topic: 'environment',
      area: 'country',
      districts: '',
    });
    const soon = await published({
      title: 'Allotments next month',
      topic: 'environment',
      ...dateInputFields('opensOn', 5),
    });
    const get = async (query: string) => {
      const response = await fetch(`${app.baseUrl}/api/v1/consultations${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as {
        consultations: { id: string; status: string; area: string[]; title: { en: string } }[];
        total: number;
        page: number;
        perPage: number;
      };
    };
    const byDefault = await get('?topic=environment&per_page=100');
    const ids = byDefault.consultations.map((c) => c.id);
    expect(ids).toContain(open);
    expect(ids).toContain(national);
    expect(ids).not.toContain(soon);
    expect(byDefault.consultations.every((c) => c.status === 'open')).toBe(true);
    expect(
      (await get('?status=upcoming&topic=environment')).consultations.map((c) => c.id),
    ).toEqual(expect.arrayContaining([soon]));
    // GL5 is consulted by `open`; SW1A only by the national one.
    const london = (await get('?district=sw1a&topic=environment&per_page=100')).consultations.map(
      (c) => c.id,
    );
    expect(london).toContain(national);
    expect(london).not.toContain(open);
    expect(
      (await get('?district=GL5&topic=environment&per_page=100')).consultations.map((c) => c.id),
    ).toEqual(expect.arrayContaining([open, national]));
    expect((await get('?body=cheltenham&status=all')).consultations.map((c) => c.id)).not.toContain(
      open,
    );
    expect((await get('?body=no-such-body')).total).toBe(0);
    // Paged: one a page, the pages together are the whole.
    const all = await get('?topic=environment&status=all&per_page=100');
    const first = await get('?topic=environment&status=all&per_page=1&page=1');
    const second = await get('?topic=environment&status=all&per_page=1&page=2');
    expect(first.total).toBe(all.total);
    expect(first.consultations).toHaveLength(1);
    expect(second.consultations[0]!.id).toBe(all.consultations[1]!.id);
    // Bad filters: 400 naming the field.
    const bad = await fetch(`${app.baseUrl}/api/v1/consultations?per_page=1000&topic=cheese`);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('query.per_page');
    expect(text).toContain('query.topic');
    // Documented in the OpenAPI document.
    const openapi = (await (await fetch(`${app.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/consultations',
        '/api/v1/consultations/{id}',
        '/api/v1/consultations/{id}/responses',
      ]),
    );
  });

  it('one consultation with its questions, and its outcome once published; no response in it', async () => {
    const id = await published({ title: 'Play areas', 'q1-textCy': 'Ydych chi’n cytuno?' });
    await responded(id, new Visitor(app.baseUrl), { q2: 'Secret words of a respondent' });
    const get = async () => {
      const response = await fetch(`${app.baseUrl}/api/v1/consultations/${id}`);
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown> & {
        questions: { number: number; kind: string; text: { en: string; cy: string | null } }[];
        outcome: { text: string } | null;
      };
    };
    const before = await get();
    expect(before.questions).toHaveLength(2);
    expect((before.questions as unknown[])[0]).toMatchObject({
      number: 1,
      kind: 'choice',
      text: { en: 'Do you agree with the charges?', cy: 'Ydych chi’n cytuno?' },
    });
    expect(before.outcome).toBeNull();
    expect(JSON.stringify(before)).not.toContain('Secret words');
    await db()
      .updateTable('consultations')
      .set({ outcome: 'We will build two play areas.', outcome_published_at: new Date() })
      .where('id', '=', id)
      .execute();
    expect((await get()).outcome?.text).toBe('We will build two play areas.');
    expect((await fetch(`${app.baseUrl}/api/v1/consultations/${crypto.randomUUID()}`)).status).toBe(
      404,
    );
    expect((await fetch(`${app.baseUrl}/api/v1/consultations/not-an-id`)).status).toBe(400);
  });

  it('the owning body’s receive key exports the responses (JSON and CSV), audited; other keys are refused', async () => {
    const id = await published({ title: 'Market days' });
    const reference = await responded(id, new Visitor(app.baseUrl), { q1: 'No', q2: '=cmd()' });
    const { id: stroudId } = await stroud();
    const cheltenham = await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'cheltenham')
      .executeTakeFirstOrThrow();
    const key = async (organisationId: string, scope: 'receive' | 'submit') =>
      (
        await createHubKey(
          db(),
          { organisationId, name: `consultations ${scope}`, scope },
          { userId: null, organisationId, role: 'test' },
        )
      ).key;
    const url = `${app.baseUrl}/api/v1/consultations/${id}/responses`;
    const audited = async () =>
      (
        await db()
          .selectFrom('audit_log')
          .select('id')
          .where('resource_id', '=', id)
          .where('action', '=', 'consultation.responses-exported')
          .execute()
      ).length;
    expect((await fetch(url)).status).toBe(401);
    expect(
      (await fetch(url, { headers: { authorization: `Bearer ${await key(stroudId, 'submit')}` } }))
        .status,
    ).toBe(403);
    expect(
      (
        await fetch(url, {
          headers: { authorization: `Bearer ${await key(cheltenham.id, 'receive')}` },
        })
      ).status,
    ).toBe(404);
    expect(await audited()).toBe(0);

    const receive = await key(stroudId, 'receive');
    const json = await fetch(url, { headers: { authorization: `Bearer ${receive}` } });
    expect(json.status, await json.clone().text()).toBe(200);
    const body = (await json.json()) as {
      version: number;
      responses: { reference: string; answers: { number: number; answer: string }[] }[];
    };
    expect(body.version).toBe(1);
    expect(body.responses).toHaveLength(1);
    expect(body.responses[0]!.reference).toBe(reference);
    expect(body.responses[0]!.answers).toEqual([
      { number: 1, name: 'q1', answer: 'No', themes: [] },
      { number: 2, name: 'q2', answer: '=cmd()', themes: [] },
    ]);
    const csv = await fetch(`${url}?format=csv`, {
      headers: { authorization: `Bearer ${receive}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain(reference);
    expect(text).toContain("'=cmd()");
    expect(await audited()).toBe(2);
    expect(
      (await fetch(`${url}?version=7`, { headers: { authorization: `Bearer ${receive}` } })).status,
    ).toBe(404);
  });
});
