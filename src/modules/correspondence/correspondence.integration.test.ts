import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { signedInStaff, type DemoStaff } from '../../../test/helpers/staff.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import {
  dueAfterFee,
  foiDue,
  mayStillAskForReview,
  reviewDue,
  stageDue,
} from './clock/statutory-clock.js';
import { addWorkingDays } from '../casework/index.js';
import { appropriateLimitPence, estimateCost } from './rules/fees.js';
import { correspondencePersonalData } from './queries/personal-data.js';
import { correspondenceRetention } from './retention.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const staff = (who: DemoStaff) => signedInStaff(app, who);

async function bodyId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function item(reference: string) {
  return db()
    .selectFrom('correspondence')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
}

const count = async () =>
  Number(
    (
      await db()
        .selectFrom('correspondence')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

let made = 0;

/** Someone (not signed in unless a visitor is given) makes a complaint or FOI request to Stroud. */
async function make(
  kind: 'complaint' | 'foi',
  visitor = new Visitor(app.baseUrl),
  fields: Record<string, string> = {},
): Promise<{ reference: string; email: string }> {
  const path = kind === 'foi' ? '/foi/request' : '/complaints/new';
  const email = `requester-${++made}@example.org`;
  await visitor.get(path);
  const response = await visitor.post(path, {
    organisationId: await bodyId('stroud'),
    name: 'Rhiannon Pugh-Atkins',
    email,
    subject: kind === 'foi' ? `Agency staff spending ${made}` : `Missed bin collection ${made}`,
    details: 'How much did the council spend on agency staff in each of the last three years?',
    ...fields,
  });
  expect(response.status, response.html).toBe(303);
  const sent = kind === 'foi' ? '/foi/sent/' : '/complaints/sent/';
  const location = response.headers.get('location') ?? '';
  expect(location.startsWith(sent)).toBe(true);
  return { reference: location.slice(sent.length), email: fields.email ?? email };
}

describe('making a complaint or FOI request', () => {
  it('anyone makes an FOI request: due 20 working days after the day of receipt, acknowledged by e-mail, audited', async () => {
    const { reference, email } = await make('foi');
    expect(reference).toMatch(/^FOI-[A-Z0-9]{8}$/);
    const row = await item(reference);
    expect(row.state).toBe('open');
    expect(row.account_id).toBeNull();
    expect(row.due_at).toEqual(foiDue(row.received_at));
    const mails = await mailsTo(db(), email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(reference);
    expect(mails[0]!.text).toContain('Stroud District Council');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['correspondence.foi.made']);
    const page = await new Visitor(app.baseUrl).get(`/foi/sent/${reference}`);
    expect(page.html).toContain(reference);
    expect(page.html).not.toContain(email);
  });

  it('refuses missing, oversized and malformed fields with an error summary, and stores nothing', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/foi/request');
    const before = await count();
    const empty = await visitor.post('/foi/request', {});
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('govuk-error-summary');
    for (const message of [
      'Choose who it is to',
      'Enter your full name',
      'Enter your e-mail address',
      'Enter the details',
    ])
      expect(empty.html).toContain(message);
    const bad = await visitor.post('/foi/request', {
      organisationId: '00000000-0000-0000-0000-000000000000',
      name: 'x'.repeat(201),
      email: 'not-an-address@',
      subject: 'Spending',
      details: 'y'.repeat(10001),
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter an e-mail address in the correct format');
    expect(bad.html).toContain('Your name must be 200 characters or fewer');
    expect(bad.html).toContain('The details must be 10,000 characters or fewer');
    expect(bad.html).toContain('Choose who it is to');
    expect(await count()).toBe(before);
  });

  it('a signed-in person’s complaint is under their account, and no one else’s', async () => {
    const citizen = await aSignedInCitizen(app);
    const { reference } = await make('complaint', citizen.visitor, { email: citizen.email });
    expect((await item(reference)).account_id).toBe(citizen.userId);
    const list = await citizen.visitor.get('/account/correspondence');
    expect(list.html).toContain(reference);
    expect((await citizen.visitor.get(`/account/correspondence/${reference}`)).status).toBe(200);
    const other = await aSignedInCitizen(app);
    expect((await other.visitor.get(`/account/correspondence/${reference}`)).status).toBe(404);
    expect((await other.visitor.get('/account/correspondence')).html).not.toContain(reference);
    const sections = await correspondencePersonalData(db(), citizen.userId);
    expect(sections[0]!.rows.map((r) => r.reference)).toEqual([reference]);
  });
});

describe('staff of the body, and no one else', () => {
  it('Stroud’s caseworker sees it in the queue and opening it is audited as a read of personal data', async () => {
    const citizen = await aSignedInCitizen(app);
    const { reference } = await make('foi', citizen.visitor, { email: citizen.email });
    const caseworker = await staff('caseworker');
    const queue = await caseworker.get('/staff/correspondence?kind=foi');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(reference);
    expect(queue.html).not.toContain(citizen.email);
    const page = await caseworker.get(`/staff/correspondence/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(citizen.email);
    const reads = await db()
      .selectFrom('audit_log')
      .select(['subject_user_id', 'actor_organisation_id', 'details'])
      .where('action', '=', 'correspondence.item.viewed')
      .where('resource_id', '=', (await item(reference)).id)
      .execute();
    expect(reads).toHaveLength(1);
    expect(reads[0]!.subject_user_id).toBe(citizen.userId);
    expect(reads[0]!.actor_organisation_id).toBe(await bodyId('stroud'));
    // The person sees the read, named, in their "My data" access log.
    const myData = await citizen.visitor.get('/account/my-data');
    expect(myData.html).toContain('Your complaint or Freedom of Information request');
  });

  it('Cheltenham’s caseworker gets 404 opening or answering Stroud’s request, and nothing changes', async () => {
    const { reference } = await make('foi');
    const before = await item(reference);
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get(`/staff/correspondence/${reference}`)).status).toBe(404);
    await cheltenham.get('/staff/correspondence');
    for (const [action, fields] of [
      ['respond', { outcome: 'given-in-full', response: 'Here it is.' }],
      ['clarify', { question: 'Which years?' }],
      ['extend', { days: '10', reason: 's43' }],
      ['assign', { ownerId: '' }],
      ['estimate', { locating: '30' }],
      ['fee', { amount: '5.00', description: 'Postage' }],
      ['fee-paid', {}],
      ['refuse-cost', { advice: 'Narrow it to one year.' }],
      ['review', { reviewReason: 'The answer is wrong.' }],
    ] as const) {
      const response = await cheltenham.post(
        `/staff/correspondence/${reference}/${action}`,
        fields,
      );
      expect(response.status, action).toBe(404);
    }
    expect(await item(reference)).toEqual(before);
    expect((await cheltenham.get('/staff/correspondence?kind=foi')).html.includes(reference)).toBe(
      false,
    );
    // A citizen is not staff at all.
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get('/staff/correspondence')).status).toBe(404);
    expect((await citizen.visitor.get(`/staff/correspondence/${reference}`)).status).toBe(404);
  });
});

describe('the FOI clock and answer', () => {
  it('clarification stops the clock and its answer restarts 20 working days; an extension moves the date once', async () => {
    const { reference, email } = await make('foi');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const asked = await caseworker.post(`/staff/correspondence/${reference}/clarify`, {
      question: 'Do you mean agency social workers only?',
    });
    expect(asked.status, asked.html).toBe(303);
    let row = await item(reference);
    expect(row.state).toBe('clarification');
    expect(row.due_at).toBeNull();
    expect((await mailsTo(db(), email)).at(-1)!.text).toContain('agency social workers only');

    await caseworker.get(`/staff/correspondence/${reference}`);
    const answered = await caseworker.post(`/staff/correspondence/${reference}/clarified`, {
      answer: 'All agency staff.',
    });
    expect(answered.status).toBe(303);
    row = await item(reference);
    expect(row.state).toBe('open');
    expect(row.due_at).toEqual(foiDue(row.clock_started_at));

    await caseworker.get(`/staff/correspondence/${reference}`);
    const tooLong = await caseworker.post(`/staff/correspondence/${reference}/extend`, {
      days: '25',
      reason: 's43',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('a whole number from 1 to 20');
    const absolute = await caseworker.post(`/staff/correspondence/${reference}/extend`, {
      days: '10',
      reason: 's41',
    });
    expect(absolute.status).toBe(400);
    expect((await item(reference)).extension_days).toBeNull();
    const extended = await caseworker.post(`/staff/correspondence/${reference}/extend`, {
      days: '10',
      reason: 's43',
    });
    expect(extended.status).toBe(303);
    row = await item(reference);
    expect(row.extension_days).toBe(10);
    expect(row.due_at).toEqual(foiDue(row.clock_started_at, 10));
    expect((await mailsTo(db(), email)).at(-1)!.text).toContain('Section 43');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const again = await caseworker.post(`/staff/correspondence/${reference}/extend`, {
      days: '5',
      reason: 's43',
    });
    expect(again.status).toBe(400);
    expect((await item(reference)).extension_days).toBe(10);
  });

  it('refuses a response without an outcome, or a refusal without exemptions, changing nothing', async () => {
    const { reference } = await make('foi');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const before = await item(reference);
    const noOutcome = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      response: 'Here is the information.',
    });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.html).toContain('Choose the outcome');
    const noExemption = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'refused',
      response: 'We cannot give you this.',
    });
    expect(noExemption.status).toBe(400);
    expect(noExemption.html).toContain('Choose the exemptions relied on');
    expect(await item(reference)).toEqual(before);
  });

  it('answers in part with s.40 and publishes to the disclosure log only without the requester’s name or e-mail', async () => {
    const { reference, email } = await make('foi');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const answered = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'given-in-part',
      exemptions: ['s40', 's43'],
      response: 'Dear Ms Pugh-Atkins, the council spent £412,000. Supplier rates are withheld.',
    });
    expect(answered.status, answered.html).toBe(303);
    const row = await item(reference);
    expect(row.state).toBe('closed');
    expect(row.outcome).toBe('given-in-part');
    expect(row.exemptions).toEqual(['s40', 's43']);
    const mail = (await mailsTo(db(), email)).at(-1)!;
    expect(mail.text).toContain('Information given in part');
    expect(mail.text).toContain('Section 43: commercial interests');

    await caseworker.get(`/staff/correspondence/${reference}`);
    const named = await caseworker.post(`/staff/correspondence/${reference}/publish`, {
      title: 'Agency staff spending',
      text: 'Dear Ms Pugh-Atkins, the council spent £412,000.',
    });
    expect(named.status).toBe(400);
    expect(named.html).toContain('Remove the requester’s name and e-mail address');
    const mailed = await caseworker.post(`/staff/correspondence/${reference}/publish`, {
      title: 'Agency staff spending',
      text: `Sent to ${email}: the council spent £412,000.`,
    });
    expect(mailed.status).toBe(400);
    expect((await item(reference)).published_at).toBeNull();
    expect((await new Visitor(app.baseUrl).get(`/foi/disclosure-log/${reference}`)).status).toBe(
      404,
    );

    const published = await caseworker.post(`/staff/correspondence/${reference}/publish`, {
      title: 'Agency staff spending 2023 to 2026',
      text: 'The council spent £412,000 on agency staff. Supplier rates are withheld (section 43).',
    });
    expect(published.status).toBe(303);
    const visitor = new Visitor(app.baseUrl);
    const log = await visitor.get('/foi/disclosure-log?body=stroud');
    expect(log.html).toContain('Agency staff spending 2023 to 2026');
    const entry = await visitor.get(`/foi/disclosure-log/${reference}`);
    expect(entry.html).toContain('£412,000');
    expect(entry.html).not.toContain('Pugh-Atkins');
    const json = (await (await fetch(`${app.baseUrl}/foi/disclosure-log.json`)).json()) as {
      disclosures: Record<string, unknown>[];
    };
    const record = json.disclosures.find((d) => d.reference === reference)!;
    expect(record).toMatchObject({ outcome: 'given-in-part', exemptions: ['s40', 's43'] });
    expect(JSON.stringify(json)).not.toContain(email);
    expect(JSON.stringify(json)).not.toContain('Pugh-Atkins');
    const csv = await fetch(`${app.baseUrl}/foi/disclosure-log.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(reference);
    // Cheltenham's filter does not show Stroud's.
    expect((await visitor.get('/foi/disclosure-log?body=cheltenham')).html).not.toContain(
      reference,
    );
  });
});

describe('complaints: stages, escalation and the ombudsman', () => {
  it('stage 1 answered, the complainant escalates from their account, the final answer signposts the ombudsman', async () => {
    const citizen = await aSignedInCitizen(app);
    const { reference } = await make('complaint', citizen.visitor, { email: citizen.email });
    let row = await item(reference);
    expect(row.due_at).toEqual(stageDue(row.received_at, 10));
    // Not yet answered: nothing to escalate.
    await citizen.visitor.get(`/account/correspondence/${reference}`);
    const early = await citizen.visitor.post(`/account/correspondence/${reference}/escalate`, {
      escalationReason: 'Nobody came.',
    });
    expect(early.status).toBe(409);

    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const wrong = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'given-in-full',
      response: 'Sorry.',
    });
    expect(wrong.status).toBe(400);
    const stage1 = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'not-upheld',
      response: 'The crew found the bin was not out.',
    });
    expect(stage1.status).toBe(303);
    expect((await item(reference)).state).toBe('responded');

    const page = await citizen.visitor.get(`/account/correspondence/${reference}`);
    expect(page.html).toContain('The crew found the bin was not out.');
    const empty = await citizen.visitor.post(`/account/correspondence/${reference}/escalate`, {});
    expect(empty.status).toBe(400);
    const escalated = await citizen.visitor.post(`/account/correspondence/${reference}/escalate`, {
      escalationReason: 'The bin was out at 6am; I have a photo.',
    });
    expect(escalated.status).toBe(303);
    row = await item(reference);
    expect(row.stage).toBe(2);
    expect(row.state).toBe('open');
    expect(row.due_at).toEqual(stageDue(row.clock_started_at, 20));

    await caseworker.get(`/staff/correspondence/${reference}`);
    const final = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'partly-upheld',
      response: 'We will collect it tomorrow.',
    });
    expect(final.status).toBe(303);
    expect((await item(reference)).state).toBe('closed');
    const mail = (await mailsTo(db(), citizen.email)).at(-1)!;
    expect(mail.subject).toContain('Final answer');
    expect(mail.text).toContain('Local Government and Social Care Ombudsman');
    expect((await citizen.visitor.get(`/account/correspondence/${reference}`)).html).toContain(
      'Local Government and Social Care Ombudsman',
    );
  });

  it('a body’s service owner sets its stage limits; caseworkers and other bodies may not', async () => {
    const caseworker = await staff('caseworker');
    expect((await caseworker.get('/staff/correspondence/settings')).status).toBe(404);
    const owner = await staff('owner');
    await owner.get('/staff/correspondence/settings');
    const bad = await owner.post('/staff/correspondence/settings', {
      stage1: '0',
      stage2: 'twenty',
      member: '15',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('from 1 to 60');
    const saved = await owner.post('/staff/correspondence/settings', {
      stage1: '5',
      stage2: '15',
      member: '10',
    });
    expect(saved.status).toBe(303);
    const { reference } = await make('complaint');
    const row = await item(reference);
    expect(row.due_at).toEqual(stageDue(row.received_at, 5));
    await owner.post('/staff/correspondence/settings', {
      stage1: '10',
      stage2: '20',
      member: '15',
    });
  });
});

describe('members’ letters', () => {
  it('recorded with an owner, drafted, cleared by a team leader only, and sent', async () => {
    const caseworker = await staff('caseworker');
    await caseworker.get('/staff/correspondence/member/new');
    const invalid = await caseworker.post('/staff/correspondence/member/new', {
      memberName: '',
      memberRole: 'king',
      memberEmail: 'nope',
      subject: '',
      details: '',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('Choose what kind of member wrote');
    const recorded = await caseworker.post('/staff/correspondence/member/new', {
      memberName: 'Siobhan Baillie MP',
      memberRole: 'mp',
      memberEmail: 'siobhan.baillie.mp@parliament.example.uk',
      constituentName: 'A constituent in Nailsworth',
      subject: 'Flooding on Bath Road',
      details: 'My constituent asks when the drains will be cleared.',
      ownerId: '',
    });
    expect(recorded.status, recorded.html).toBe(303);
    const reference = /\/staff\/correspondence\/(MC-[A-Z0-9]{8})/.exec(
      recorded.headers.get('location') ?? '',
    )![1]!;
    let row = await item(reference);
    expect(row.state).toBe('drafting');
    expect(row.due_at).toEqual(stageDue(row.received_at, 15));

    await caseworker.get(`/staff/correspondence/${reference}`);
    expect(
      (await caseworker.post(`/staff/correspondence/${reference}/draft`, { draft: '' })).status,
    ).toBe(400);
    expect(
      (
        await caseworker.post(`/staff/correspondence/${reference}/draft`, {
          draft: 'Dear Siobhan, the drains on Bath Road will be cleared on Monday.',
        })
      ).status,
    ).toBe(303);
    await caseworker.get(`/staff/correspondence/${reference}`);
    expect((await caseworker.post(`/staff/correspondence/${reference}/clear`, {})).status).toBe(
      404,
    );
    expect((await caseworker.post(`/staff/correspondence/${reference}/send`, {})).status).toBe(409);
    expect((await item(reference)).state).toBe('drafting');

    const leader = await staff('leader');
    await leader.get(`/staff/correspondence/${reference}`);
    expect((await leader.post(`/staff/correspondence/${reference}/clear`, {})).status).toBe(303);
    await caseworker.get(`/staff/correspondence/${reference}`);
    expect((await caseworker.post(`/staff/correspondence/${reference}/send`, {})).status).toBe(303);
    row = await item(reference);
    expect(row.state).toBe('sent');
    expect(row.response).toContain('Bath Road');
    expect(row.due_at).toBeNull();

    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get(`/staff/correspondence/${reference}`)).status).toBe(404);
  });
});

describe('retention', () => {
  it('anonymises answered correspondence when due: the people and their words go, the outcome stays', async () => {
    const { reference } = await make('complaint');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'upheld',
      response: 'Sorry, we will put it right.',
    });
    const row = await item(reference);
    const query = {
      organisationId: await bodyId('stroud'),
      action: 'anonymise' as const,
      cutoff: new Date(Date.now() + 60_000),
      limit: 1000,
      heldPersonIds: [],
      heldPersonEmails: [],
      heldPersonPhones: [],
      heldRecordIds: [],
      heldReferences: [reference],
    };
    expect((await correspondenceRetention.findDue(db(), query)).map((c) => c.id)).not.toContain(
      row.id,
    );
    const due = await correspondenceRetention.findDue(db(), { ...query, heldReferences: [] });
    expect(due.map((c) => c.id)).toContain(row.id);
    await db()
      .transaction()
      .execute((trx) => correspondenceRetention.dispose(trx, 'anonymise', [row.id], new Date()));
    const after = await item(reference);
    expect(after).toMatchObject({
      requester_name: '—',
      details: '—',
      response: null,
      outcome: 'upheld',
    });
    expect(after.requester_email).toBe('');
    expect(
      await correspondenceRetention.resolve(db(), query.organisationId, reference.toLowerCase()),
    ).toEqual({
      id: row.id,
      reference,
    });
  });
});

/** A caseworker answers an FOI request in full; returns the caseworker who answered. */
async function answer(reference: string): Promise<Visitor> {
  const caseworker = await staff('caseworker');
  await caseworker.get(`/staff/correspondence/${reference}`);
  const answered = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
    outcome: 'refused',
    exemptions: ['s43'],
    response: 'The contract prices are commercially sensitive.',
  });
  expect(answered.status, answered.html).toBe(303);
  return caseworker;
}

describe('internal review of an FOI answer', () => {
  it('the requester asks from their account; the original answerer may not decide it; a colleague does, and the requester is told in Welsh of the ICO', async () => {
    const citizen = await aSignedInCitizen(app);
    const { reference } = await make('foi', citizen.visitor, { email: citizen.email });
    await db()
      .updateTable('correspondence')
      .set({ language: 'cy' })
      .where('reference', '=', reference)
      .execute();
    const own = `/account/correspondence/${reference}`;
    expect((await citizen.visitor.get(own)).html).not.toContain('Ask for an internal review');
    const caseworker = await answer(reference);
    expect((await citizen.visitor.get(own)).html).toContain('Ask for an internal review');
    const empty = await citizen.visitor.post(`${own}/review`, {});
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter why the answer should be looked at again');
    const before = await count();
    // Someone else may not ask for a review of this person's request.
    const other = await aSignedInCitizen(app);
    await other.visitor.get('/foi/request');
    expect((await other.visitor.post(`${own}/review`, { reviewReason: 'x' })).status).toBe(404);
    expect(await count()).toBe(before);

    await citizen.visitor.get(own);
    const asked = await citizen.visitor.post(`${own}/review`, {
      reviewReason: 'Section 43 does not cover prices paid years ago.',
    });
    expect(asked.status, asked.html).toBe(303);
    const location = asked.headers.get('location') ?? '';
    expect(location).toMatch(/^\/account\/correspondence\/IR-[A-Z0-9]{8}$/);
    const irReference = location.split('/').at(-1)!;
    const review = await item(irReference);
    const request = await item(reference);
    expect(review).toMatchObject({
      kind: 'review',
      review_of: request.id,
      account_id: citizen.userId,
      organisation_id: request.organisation_id,
      language: 'cy',
      state: 'open',
    });
    expect(review.due_at).toEqual(reviewDue(review.received_at));
    expect((await mailsTo(db(), citizen.email)).at(-1)!.subject).toContain(irReference);
    // One review per answer.
    await citizen.visitor.get(own);
    const again = await citizen.visitor.post(`${own}/review`, { reviewReason: 'Again.' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('already been asked for');

    // On the body's queue of reviews, linked to the request.
    const queue = await caseworker.get('/staff/correspondence?kind=review');
    expect(queue.html).toContain(irReference);
    const page = await caseworker.get(`/staff/correspondence/${irReference}`);
    expect(page.html).toContain(reference);
    expect(page.html).toContain('You gave the answer under review');
    expect(page.html).not.toContain('Record the decision');
    const byAnswerer = await caseworker.post(`/staff/correspondence/${irReference}/decide`, {
      outcome: 'upheld',
      reasons: 'I was right.',
    });
    expect(byAnswerer.status).toBe(400);
    expect(byAnswerer.html).toContain('Someone else must decide the internal review');
    expect((await item(irReference)).state).toBe('open');

    // Another body's staff learn nothing.
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get(`/staff/correspondence/${irReference}`)).status).toBe(404);
    await cheltenham.get('/staff/correspondence');
    const foreign = await cheltenham.post(`/staff/correspondence/${irReference}/decide`, {
      outcome: 'overturned',
      reasons: 'No.',
    });
    expect(foreign.status).toBe(404);
    expect((await item(irReference)).state).toBe('open');

    const leader = await staff('leader');
    const decidePage = await leader.get(`/staff/correspondence/${irReference}`);
    expect(decidePage.html).toContain('Record the decision');
    const noOutcome = await leader.post(`/staff/correspondence/${irReference}/decide`, {
      reasons: 'Some of it.',
    });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.html).toContain('Choose the outcome of the review');
    const decided = await leader.post(`/staff/correspondence/${irReference}/decide`, {
      outcome: 'partly-upheld',
      reasons: 'The 2019 prices may be released; later ones stay withheld under section 43.',
    });
    expect(decided.status, decided.html).toBe(303);
    const done = await item(irReference);
    expect(done).toMatchObject({ state: 'closed', outcome: 'partly-upheld', due_at: null });
    const mail = (await mailsTo(db(), citizen.email)).at(-1)!;
    expect(mail.subject).toContain('Canlyniad yr adolygiad mewnol');
    expect(mail.text).toContain('The 2019 prices may be released');
    expect(mail.text).toContain('Swyddfa’r Comisiynydd Gwybodaeth');
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', done.id)
      .where('action', 'like', 'correspondence.review%')
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      'correspondence.review.asked',
      'correspondence.reviewed',
    ]);
    const yours = await citizen.visitor.get(`/account/correspondence/${irReference}`);
    expect(yours.html).toContain('ico.org.uk/make-a-complaint');
  });

  it('a review asked for more than 40 working days after the answer is refused; within them it is not', async () => {
    const { reference } = await make('foi');
    const caseworker = await answer(reference);
    const respondedAt = (await item(reference)).responded_at!;
    const limit = addWorkingDays(respondedAt, 40);
    expect(mayStillAskForReview(respondedAt, limit)).toBe(true);
    expect(mayStillAskForReview(respondedAt, new Date(limit.getTime() + 1))).toBe(false);
    // Answered 41 working days ago: too late, from staff recording it as from the requester.
    await db()
      .updateTable('correspondence')
      .set({ responded_at: new Date(Date.now() - 70 * 86_400_000) })
      .where('reference', '=', reference)
      .execute();
    const before = await count();
    await caseworker.get(`/staff/correspondence/${reference}`);
    const late = await caseworker.post(`/staff/correspondence/${reference}/review`, {
      reviewReason: 'Please look again.',
    });
    expect(late.status).toBe(400);
    expect(late.html).toContain('within 40 working days of the answer');
    expect(await count()).toBe(before);
    // A review cannot be asked of a request not yet answered.
    const { reference: open } = await make('foi');
    await caseworker.get(`/staff/correspondence/${open}`);
    const early = await caseworker.post(`/staff/correspondence/${open}/review`, {
      reviewReason: 'Please look again.',
    });
    expect(early.status).toBe(409);
    expect(await count()).toBe(before + 1);
  });
});

describe('FOI costs and fees', () => {
  it('the appropriate limit is £600 for government departments and £450 for councils, at £25 an hour', () => {
    const hours = { determining: 1, locating: 10, retrieving: 5, extracting: 3 };
    expect(appropriateLimitPence({ type: 'central-department' })).toBe(60000);
    expect(appropriateLimitPence({ type: 'executive-agency' })).toBe(60000);
    expect(appropriateLimitPence({ type: 'district' })).toBe(45000);
    expect(estimateCost(hours, 45000)).toMatchObject({ costPence: 47500, overLimit: true });
    expect(estimateCost(hours, 60000)).toMatchObject({ costPence: 47500, overLimit: false });
    // Exactly at the limit is not over it: the regulations say "exceeds".
    expect(estimateCost({ ...hours, extracting: 2 }, 45000).overLimit).toBe(false);
  });

  it('refusing on cost needs an estimate over the limit, and gives the advice with the estimate', async () => {
    const { reference, email } = await make('foi');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const noEstimate = await caseworker.post(`/staff/correspondence/${reference}/refuse-cost`, {
      advice: 'Narrow it to one year.',
    });
    expect(noEstimate.status).toBe(400);
    const bad = await caseworker.post(`/staff/correspondence/${reference}/estimate`, {
      locating: 'ten',
      retrieving: '-1',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a number of hours from 0 to 10,000');
    const none = await caseworker.post(`/staff/correspondence/${reference}/estimate`, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('Enter the hours for at least one activity');
    expect((await item(reference)).cost_hours).toBeNull();
    const within = await caseworker.post(`/staff/correspondence/${reference}/estimate`, {
      determining: '1',
      locating: '8',
      retrieving: '5',
      extracting: '4',
    });
    expect(within.status).toBe(303);
    const withinPage = await caseworker.get(`/staff/correspondence/${reference}`);
    expect(withinPage.html).toContain('£450.00 — within the limit');
    expect(withinPage.html).not.toContain('Refuse and send the advice');
    const refused = await caseworker.post(`/staff/correspondence/${reference}/refuse-cost`, {
      advice: 'Narrow it to one year.',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Record an estimate over the appropriate limit');
    expect((await item(reference)).state).toBe('open');

    const over = await caseworker.post(`/staff/correspondence/${reference}/estimate`, {
      determining: '1',
      locating: '8',
      retrieving: '5',
      extracting: '4.25',
    });
    expect(over.status).toBe(303);
    const overPage = await caseworker.get(`/staff/correspondence/${reference}`);
    expect(overPage.html).toContain('£450.00 — over the limit');
    const noAdvice = await caseworker.post(`/staff/correspondence/${reference}/refuse-cost`, {});
    expect(noAdvice.status).toBe(400);
    expect(noAdvice.html).toContain('Enter the advice and assistance');
    const done = await caseworker.post(`/staff/correspondence/${reference}/refuse-cost`, {
      advice: 'We could give the figures for 2024 alone within the limit.',
    });
    expect(done.status, done.html).toBe(303);
    expect(await item(reference)).toMatchObject({
      state: 'closed',
      outcome: 'refused',
      exemptions: ['s12'],
      response: 'We could give the figures for 2024 alone within the limit.',
    });
    const mail = (await mailsTo(db(), email)).at(-1)!;
    expect(mail.text).toContain('£456.25');
    expect(mail.text).toContain('£450.00');
    expect(mail.text).toContain('figures for 2024 alone');
  });

  it('a fees notice stops the clock until the fee is paid; payment moves the due date on by the working days waited', async () => {
    // s.10(2): notice Monday 16 November 2026, paid Wednesday 18th: three working days disregarded.
    const due = new Date('2026-12-11T23:59:59.999Z');
    expect(
      dueAfterFee(due, new Date('2026-11-16T10:00:00Z'), new Date('2026-11-18T15:00:00Z')),
    ).toEqual(addWorkingDays(due, 3));
    // Given on a Saturday and paid on the Monday after: one working day.
    expect(
      dueAfterFee(due, new Date('2026-11-21T10:00:00Z'), new Date('2026-11-23T09:00:00Z')),
    ).toEqual(addWorkingDays(due, 1));

    const { reference, email } = await make('foi');
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/correspondence/${reference}`);
    const bad = await caseworker.post(`/staff/correspondence/${reference}/fee`, {
      amount: '12.5p',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter an amount in pounds');
    expect(bad.html).toContain('Enter what the fee is for');
    expect((await item(reference)).state).toBe('open');
    const dueBefore = (await item(reference)).due_at!;
    const given = await caseworker.post(`/staff/correspondence/${reference}/fee`, {
      amount: '12.50',
      description: '200 pages copied at 5p a page, and postage',
    });
    expect(given.status, given.html).toBe(303);
    let row = await item(reference);
    expect(row).toMatchObject({ state: 'fee-due', due_at: null, fee_pence: 1250 });
    expect(row.due_before_fee).toEqual(dueBefore);
    expect((await mailsTo(db(), email)).at(-1)!.text).toContain('£12.50');
    const page = await caseworker.get(`/staff/correspondence/${reference}`);
    expect(page.html).toContain('Waiting for the fee (clock stopped)');
    // Nothing may be answered while the clock is stopped for the fee.
    const answered = await caseworker.post(`/staff/correspondence/${reference}/respond`, {
      outcome: 'given-in-full',
      response: 'Here it is.',
    });
    expect(answered.status).toBe(409);

    // The notice was given a week ago; the fee arrives today.
    const noticeAt = new Date(Date.now() - 7 * 86_400_000);
    await db()
      .updateTable('correspondence')
      .set({ fee_notice_at: noticeAt })
      .where('reference', '=', reference)
      .execute();
    await caseworker.get(`/staff/correspondence/${reference}`);
    const paid = await caseworker.post(`/staff/correspondence/${reference}/fee-paid`, {});
    expect(paid.status).toBe(303);
    row = await item(reference);
    expect(row.state).toBe('open');
    expect(row.due_at).toEqual(dueAfterFee(dueBefore, noticeAt, row.fee_paid_at!));
    expect(row.due_at!.getTime()).toBeGreaterThan(dueBefore.getTime());
    // One notice a request: not again once paid.
    await caseworker.get(`/staff/correspondence/${reference}`);
    const second = await caseworker.post(`/staff/correspondence/${reference}/fee`, {
      amount: '1.00',
      description: 'Postage',
    });
    expect(second.status).toBe(409);
    expect((await item(reference)).fee_pence).toBe(1250);
  });
});
