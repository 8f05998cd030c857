import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenValue, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { MODULES } from '../../../main/modules.js';
import type { Actor } from '../../../platform/audit/audit.js';
import { attachmentsByIds, attachmentsModule } from '../../attachments/index.js';
import { findSubmissionByDraftId } from '../../submissions/index.js';
import { findPublishedService, publishService } from '../../catalogue/index.js';
import type { FormDefinitionInput } from '../schema.js';
import { everyQuestionForm } from '../test/every-question.js';
import { answer, postFile } from '../test/pages.js';
import { publishedForm, publishForm } from '../versions.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const EVERY = '/services/every-question-test';
const REPORT = '/services/report-a-problem-test';
const VERSIONED = '/services/versioned-test';
const OWNER: Actor = { userId: null, organisationId: null, role: 'test' };
const b = (en: string, cy = `${en} (cy)`) => ({ en, cy });

let app: TestApp;
const db = () => app.platform.database.db;

/** A report anyone can make without an account: a name, an address, an e-mail, a declaration. */
const reportForm: FormDefinitionInput = {
  key: 'report-a-problem-test',
  title: b('Report a problem'),
  pages: [
    {
      id: 'problem',
      title: b('What is the problem?'),
      questions: [
        {
          type: 'radios',
          name: 'problem',
          label: b('What is the problem?'),
          options: [
            { value: 'bin', label: b('My bin was not collected') },
            { value: 'other', label: b('Something else') },
          ],
        },
      ],
    },
    {
      id: 'where',
      title: b('Where is it?'),
      questions: [{ type: 'address', name: 'where', label: b('Where is it?'), lookup: false }],
    },
    {
      id: 'contact',
      title: b('How can we contact you?'),
      questions: [
        { type: 'text', name: 'name', label: b('Your name'), prefill: 'fullName' },
        { type: 'email', name: 'email', label: b('Email address'), prefill: 'email' },
      ],
    },
  ],
  declaration: b('The information I have given is correct.'),
  confirmation: {
    title: b('Report sent', 'Adroddiad wedi’i anfon'),
    body: b(
      'We will come back within 2 working days.',
      'Byddwn yn dod yn ôl o fewn 2 ddiwrnod gwaith.',
    ),
  },
};

function versioned(version: 1 | 2): FormDefinitionInput {
  const colours = [
    { value: 'red', label: b('Red') },
    { value: 'blue', label: b('Blue') },
  ];
  return {
    key: 'versioned-test',
    title: b('Versioned'),
    pages: [
      {
        id: 'name',
        title: b('Name'),
        questions: [
          {
            type: 'text',
            name: 'name',
            label: b(version === 1 ? 'Your name' : 'Your full name (v2)'),
          },
        ],
      },
      ...(version === 2
        ? [
            {
              id: 'size',
              title: b('What size?'),
              questions: [{ type: 'number' as const, name: 'size', label: b('What size?') }],
            },
          ]
        : []),
      {
        id: 'colour',
        title: b('Colour'),
        questions: [
          {
            type: 'radios' as const,
            name: 'colour',
            label: b('Which colour?'),
            options: version === 1 ? colours : [...colours, { value: 'green', label: b('Green') }],
          },
        ],
      },
    ],
    confirmation: { body: b('Thanks') },
  };
}

async function publish(definition: FormDefinitionInput) {
  const published = await db()
    .transaction()
    .execute((trx) => publishForm(trx, definition, OWNER));
  if (!published.ok) throw new Error(JSON.stringify(published.problems));
  return published;
}

async function serviceFor(slug: string, formKey: string, requiredLevel: 0 | 1) {
  const stroud = (await findPublishedService(db(), 'request-a-bulky-waste-collection', 'en'))!;
  const made = await publishService(db(), {
    organisationId: stroud.organisation.id,
    slug,
    title: `Test service ${slug}`,
    titleCy: `Gwasanaeth prawf ${slug}`,
    summary: 'A service for the forms tests.',
    summaryCy: 'Gwasanaeth ar gyfer profion y ffurflenni.',
    body: 'Apply online.',
    bodyCy: 'Gwnewch gais ar-lein.',
    formKey,
    requiredLevel,
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
}

beforeAll(async () => {
  const needsAttachments = !MODULES.some((m) => m.name === 'attachments');
  app = await startTestApp({}, needsAttachments ? [attachmentsModule] : []);
  await publish(everyQuestionForm('every-question-test'));
  await publish(reportForm);
  await publish(versioned(1));
  await serviceFor('every-question-test', 'every-question-test', 1);
  await serviceFor('report-a-problem-test', 'report-a-problem-test', 0);
  await serviceFor('versioned-test', 'versioned-test', 1);
});

afterAll(async () => {
  await app?.close();
});

async function signedIn(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

async function outboxMailTo(email: string) {
  const rows = await db()
    .selectFrom('outbox')
    .select(['payload', 'idempotency_key'])
    .where('topic', '=', 'mail.send')
    .orderBy('id', 'desc')
    .execute();
  return rows.filter((r) => (r.payload as { to?: string }).to === email);
}

describe('a journey through every question type', () => {
  it('asks each question the GOV.UK way, skips and shows conditional pages, adds another, changes from check answers, and sends with the declaration', async () => {
    const citizen = await signedIn(...CITIZEN);
    const start = await citizen.get(`${EVERY}/apply`);
    expect(start.headers.get('location')).toBe(`${EVERY}/apply/name`);

    // One question: its label is the page's heading; the account's name is prefilled.
    const name = await citizen.get(`${EVERY}/apply/name`);
    expect(name.html).toMatch(
      /<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="fullName">/,
    );
    expect(name.html).toContain('value="Sam Citizen"');
    expect(name.html).not.toContain('enctype="multipart/form-data"');
    expect(
      (
        await citizen.post(`${EVERY}/apply/name`, { actingFor: '', fullName: 'Sam Citizen' })
      ).headers.get('location'),
    ).toBe(`${EVERY}/apply/about`);

    // Several questions: the page title is the heading; every error is listed, linked to its input.
    const about = await citizen.get(`${EVERY}/apply/about`);
    expect(about.html).toContain('govuk-character-count');
    expect(about.html).toContain('name="moveDate-day"');
    expect(about.html).toContain('govuk-input__prefix');
    const empty = await citizen.post(`${EVERY}/apply/about`, { actingFor: '' });
    expect(empty.status).toBe(400);
    for (const href of ['#story', '#people', '#moveDate-day', '#hasPets'])
      expect(empty.html).toContain(`href="${href}"`);
    expect(empty.html).not.toContain('href="#rent"');
    const aboutAnswers = {
      story: 'The roof leaks when it rains.',
      people: '3',
      rent: '£650',
      'moveDate-day': '1',
      'moveDate-month': '9',
      'moveDate-year': '2019',
    };
    const withPets = await citizen.post(`${EVERY}/apply/about`, {
      actingFor: '',
      ...aboutAnswers,
      hasPets: 'yes',
    });
    expect(withPets.headers.get('location')).toBe(`${EVERY}/apply/pets`);

    // A question on the same page that applies only after a certain answer.
    const noAnimal = await answer(citizen, `${EVERY}/apply/pets`, { petKind: 'other' });
    expect(noAnimal.status).toBe(400);
    expect(noAnimal.html).toContain('Enter an answer to ‘What animal is it?’');
    const pets = await citizen.post(`${EVERY}/apply/pets`, {
      actingFor: '',
      petKind: 'other',
      petOther: 'A tortoise',
    });
    expect(pets.headers.get('location')).toBe(`${EVERY}/apply/contact`);

    const contact = await citizen.get(`${EVERY}/apply/contact`);
    expect(contact.html).toContain('value="citizen@example.com"');
    expect(contact.html).toContain('<select class="govuk-select" id="contactBy"');
    expect(contact.html).toContain('type="tel"');
    const badContact = await citizen.post(`${EVERY}/apply/contact`, {
      actingFor: '',
      contactBy: 'email',
      phone: '12345',
      email: 'not an email',
      nino: 'QQ123456C',
      reasons: ['repair', 'noise', 'damp'],
    });
    expect(badContact.status).toBe(400);
    expect(badContact.html).toContain('Enter a telephone number, like 01632 960 001');
    expect(badContact.html).toContain('Enter an email address in the correct format');
    expect(badContact.html).toContain('Enter a National Insurance number in the correct format');
    expect(badContact.html).toContain('Select no more than 2 answers');
    const goodContact = await citizen.post(`${EVERY}/apply/contact`, {
      actingFor: '',
      contactBy: 'phone',
      phone: '07700 900982',
      email: 'Sam@Example.com',
      nino: 'jg 10 37 59 a',
      reasons: ['damp', 'repair'],
      workPostcode: '',
    });
    expect(goodContact.headers.get('location')).toBe(`${EVERY}/apply/home`);

    // The address: find by postcode, pick one from the register (or type it in by hand).
    const home = await citizen.get(`${EVERY}/apply/home`);
    expect(home.html).toContain('name="home-lookup"');
    expect(home.html).toContain('Enter the address manually');
    const manual = await citizen.get(`${EVERY}/apply/home?manual=home`);
    expect(manual.html).toContain('name="home-line1"');
    const badPostcode = await citizen.post(`${EVERY}/apply/home`, {
      actingFor: '',
      'home-mode': 'find',
      'home-lookup': 'nowhere',
      action: 'find:home',
    });
    expect(badPostcode.status).toBe(400);
    expect(badPostcode.html).toContain('href="#home-lookup"');
    const found = await citizen.post(`${EVERY}/apply/home`, {
      actingFor: '',
      'home-mode': 'find',
      'home-lookup': 'gl5 4ub',
      action: 'find:home',
    });
    expect(found.status).toBe(200);
    expect(found.html).toContain('Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB');
    const notPicked = await citizen.post(`${EVERY}/apply/home`, {
      actingFor: '',
      'home-mode': 'select',
      'home-lookup': 'GL5 4UB',
      'home-uprn': '',
    });
    expect(notPicked.status).toBe(400);
    expect(notPicked.html).toContain('href="#home-uprn"');
    const picked = await citizen.post(`${EVERY}/apply/home`, {
      actingFor: '',
      'home-mode': 'select',
      'home-lookup': 'GL5 4UB',
      'home-uprn': '900000000002',
    });
    expect(picked.headers.get('location')).toBe(`${EVERY}/apply/evidence`);
    // Shown again, the picked address keeps its UPRN unless it is changed.
    const again = await citizen.get(`${EVERY}/apply/home`);
    expect(again.html).toContain('value="Flat 1, Ebley Mill"');
    const unchanged = await citizen.post(`${EVERY}/apply/home`, {
      actingFor: '',
      'home-mode': 'manual',
      'home-line1': 'Flat 1, Ebley Mill',
      'home-line2': 'Westward Road, Ebley',
      'home-town': 'Stroud',
      'home-postcode': 'gl5 4ub',
    });
    expect(unchanged.headers.get('location')).toBe(`${EVERY}/apply/evidence`);

    // Files: the only page sent as multipart; each upload is listed with a way to remove it.
    const evidence = await citizen.get(`${EVERY}/apply/evidence`);
    expect(evidence.html).toContain('enctype="multipart/form-data"');
    expect(evidence.html).toContain('type="file"');
    const disguised = await postFile(citizen, `${EVERY}/apply/evidence`, {
      name: 'letter.pdf',
      type: 'application/pdf',
      content: Buffer.from('<html>not a pdf</html>'),
    });
    expect(disguised.status).toBe(400);
    expect(disguised.html).toContain('govuk-error-summary');
    const uploaded = await postFile(citizen, `${EVERY}/apply/evidence`, {
      name: 'letter.pdf',
      type: 'application/pdf',
      content: PDF,
    });
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.get('location')).toBe(`${EVERY}/apply/evidence`);
    const listed = await citizen.get(`${EVERY}/apply/evidence`);
    expect(listed.html).toContain('letter.pdf');
    expect(listed.html).toContain('Upload another file (optional)');
    const second = await postFile(citizen, `${EVERY}/apply/evidence`, {
      name: 'second.pdf',
      type: 'application/pdf',
      content: PDF,
    });
    expect(second.headers.get('location')).toBe(`${EVERY}/apply/household`);
    const secondId = /name="fileId" value="([^"]+)"/g;
    const ids = [...(await citizen.get(`${EVERY}/apply/evidence`)).html.matchAll(secondId)].map(
      (m) => m[1]!,
    );
    expect(ids).toHaveLength(2);
    const removed = await citizen.post(`${EVERY}/apply/evidence/remove-file`, {
      actingFor: '',
      fileId: ids[1]!,
    });
    expect(removed.headers.get('location')).toBe(`${EVERY}/apply/evidence`);
    expect((await citizen.get(`${EVERY}/apply/evidence`)).html).not.toContain('second.pdf');
    const onwards = await postFile(citizen, `${EVERY}/apply/evidence`, null);
    expect(onwards.headers.get('location')).toBe(`${EVERY}/apply/household`);

    // "Add another": the list, an item page, then "Do you need to add another?".
    const list = await citizen.get(`${EVERY}/apply/household`);
    expect(list.html).toContain('Do you need to add one?');
    const unanswered = await citizen.post(`${EVERY}/apply/household`, { actingFor: '' });
    expect(unanswered.status).toBe(400);
    const add = await citizen.post(`${EVERY}/apply/household`, {
      actingFor: '',
      addAnother: 'yes',
    });
    expect(add.headers.get('location')).toBe(`${EVERY}/apply/household/item/1`);
    const badItem = await answer(citizen, `${EVERY}/apply/household/item/1`, {
      personName: 'Alex',
    });
    expect(badItem.status).toBe(400);
    expect(badItem.html).toContain('href="#personBorn-day"');
    const item = await citizen.post(`${EVERY}/apply/household/item/1`, {
      actingFor: '',
      personName: 'Alex',
      'personBorn-day': '3',
      'personBorn-month': '4',
      'personBorn-year': '2001',
      personStudent: 'yes',
    });
    expect(item.headers.get('location')).toBe(`${EVERY}/apply/household`);
    await answer(citizen, `${EVERY}/apply/household/item/2`, {
      personName: 'Bo',
      'personBorn-day': '31',
      'personBorn-month': '12',
      'personBorn-year': '1999',
      personStudent: 'no',
    });
    const two = await citizen.get(`${EVERY}/apply/household`);
    expect(two.html).toContain('Person 2');
    expect(two.html).toContain('Do you need to add another?');
    const removeBo = await answer(citizen, `${EVERY}/apply/household/item/2/remove`, {
      remove: 'yes',
    });
    expect(removeBo.headers.get('location')).toBe(`${EVERY}/apply/household`);
    expect((await citizen.get(`${EVERY}/apply/household`)).html).not.toContain('Person 2');
    const done = await citizen.post(`${EVERY}/apply/household`, {
      actingFor: '',
      addAnother: 'no',
    });
    expect(done.headers.get('location')).toBe(`${EVERY}/apply/check-answers`);

    // Check answers: every answer in words, each with a Change link that comes back here.
    const check = await citizen.get(`${EVERY}/apply/check-answers`);
    for (const text of [
      'Sam Citizen',
      'A tortoise',
      '£650',
      '07700 900982',
      'JG 10 37 59 A',
      'Flat 1, Ebley Mill',
      'letter.pdf',
      'Person 1',
      'Alex',
      'Sunday 1 September 2019',
    ])
      expect(check.html, text).toContain(text);
    expect(check.html).toContain(`href="${EVERY}/apply/pets"`);
    expect(check.html).toContain(`href="${EVERY}/apply/household/item/1"`);
    const changed = await answer(citizen, `${EVERY}/apply/pets`, { petKind: 'cat' });
    expect(changed.headers.get('location')).toBe(`${EVERY}/apply/check-answers`);
    // No pets after all: the pets page is skipped, and its answers are not shown or sent.
    const noPets = await answer(citizen, `${EVERY}/apply/about`, {
      ...aboutAnswers,
      hasPets: 'no',
    });
    expect(noPets.headers.get('location')).toBe(`${EVERY}/apply/check-answers`);
    const after = await citizen.get(`${EVERY}/apply/check-answers`);
    expect(after.html).not.toContain('What kind of pet?');
    expect((await citizen.get(`${EVERY}/apply/pets`)).headers.get('location')).toBe(
      `${EVERY}/apply/check-answers`,
    );

    // The declaration must be agreed to.
    expect(after.html).toContain(`href="${EVERY}/apply/declaration"`);
    const declaration = await citizen.get(`${EVERY}/apply/declaration`);
    expect(declaration.html).toContain('I confirm the information I have given is true.');
    const draftId = hiddenValue(declaration.html, 'draftId');
    const disagreed = await citizen.post(`${EVERY}/apply/submit`, { actingFor: '', draftId });
    expect(disagreed.status).toBe(400);
    expect(disagreed.html).toContain('href="#agree"');
    const sent = await citizen.post(`${EVERY}/apply/submit`, {
      actingFor: '',
      draftId,
      agree: 'yes',
    });
    expect(sent.headers.get('location')).toMatch(
      /^\/applications\/JU-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation$/,
    );

    const submission = (await findSubmissionByDraftId(db(), draftId))!;
    expect(sent.headers.get('location')).toContain(submission.reference);
    expect(submission.form_version).toBe(1);
    expect(submission.answers.values).toMatchObject({
      fullName: 'Sam Citizen',
      rent: '65000',
      hasPets: 'no',
      phone: '+447700900982',
      email: 'Sam@example.com',
      nino: 'JG 10 37 59 A',
      reasons: ['repair', 'damp'],
      home: {
        uprn: '900000000002',
        line1: 'Flat 1, Ebley Mill',
        line2: 'Westward Road, Ebley',
        town: 'Stroud',
        postcode: 'GL5 4UB',
      },
      evidence: [expect.objectContaining({ name: 'letter.pdf', type: 'application/pdf' })],
      household: [{ personName: 'Alex', personBorn: '2001-04-03', personStudent: 'yes' }],
    });
    expect(submission.answers.values).not.toHaveProperty('petKind');
    // The upload went with the application, to the body's caseworkers.
    const [kept] = submission.answers.values.evidence as { id: string }[];
    const files = await attachmentsByIds(db(), [kept!.id]);
    expect(files.map((f) => [f.name, f.submissionId])).toEqual([['letter.pdf', submission.id]]);
    expect(
      await db()
        .selectFrom('form_drafts')
        .select('id')
        .where('id', '=', draftId)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('does not let anyone reach a page before the ones asked before it', async () => {
    const agent = await signedIn(...AGENT);
    const jump = await agent.get(`${EVERY}/apply/household/item/1`);
    expect(jump.headers.get('location')).toBe(`${EVERY}/apply/name`);
    expect((await agent.get(`${EVERY}/apply/check-answers`)).headers.get('location')).toBe(
      `${EVERY}/apply/name`,
    );
    expect((await agent.get(`${EVERY}/apply/nowhere`)).status).toBe(404);
  });
});

describe('save and come back later, without an account', () => {
  it('keeps the answers in the database, e-mails a link valid for 28 days, and continues on another device', async () => {
    const browser = new Visitor(app.baseUrl);
    const start = await browser.get(`${REPORT}/apply`);
    expect(start.headers.get('location')).toBe(`${REPORT}/apply/problem`);
    const first = await browser.get(`${REPORT}/apply/problem`);
    expect(first.html).toContain('Save and come back later');
    const answered = await browser.post(`${REPORT}/apply/problem`, {
      actingFor: '',
      problem: 'bin',
    });
    expect(answered.headers.get('location')).toBe(`${REPORT}/apply/where`);
    const draft = await db()
      .selectFrom('form_drafts')
      .selectAll()
      .where('answers', '@>', sql<never>`'{"problem":"bin"}'::jsonb`)
      .executeTakeFirstOrThrow();
    expect(draft.user_id).toBeNull();
    expect(draft.token_hash).toMatch(/^[0-9a-f]{64}$/);

    // "Save and come back later" on the next page keeps what is valid there, then asks for an e-mail.
    const saving = await answer(browser, `${REPORT}/apply/where`, {
      'where-line1': '1 High Street',
      'where-town': 'Stroud',
      'where-postcode': 'gl5 4ub',
      action: 'save',
    });
    expect(saving.headers.get('location')).toBe(`${REPORT}/apply/save`);
    const badEmail = await answer(browser, `${REPORT}/apply/save`, { email: 'nope' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.html).toContain('Enter an email address in the correct format');
    const saved = await answer(browser, `${REPORT}/apply/save`, { email: 'reporter@example.com' });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('We have sent a link to reporter@example.com');
    const [mail] = await outboxMailTo('reporter@example.com');
    const link = /http:\/\/[^\s]+\/resume\/[A-Za-z0-9_-]+/.exec(
      String((mail!.payload as { text: string }).text),
    )![0];
    const expires = (
      await db()
        .selectFrom('form_drafts')
        .select('resume_expires_at')
        .where('id', '=', draft.id)
        .executeTakeFirstOrThrow()
    ).resume_expires_at!;
    const days = (expires.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(27.9);
    expect(days).toBeLessThanOrEqual(28);
    // The token is only ever stored hashed.
    expect(
      JSON.stringify(
        await db().selectFrom('form_drafts').selectAll().where('id', '=', draft.id).execute(),
      ),
    ).not.toContain(link.split('/').at(-1)!);

    // Another device: the link restores the answers and carries on where the person stopped.
    const phone = new Visitor(app.baseUrl);
    const resumed = await phone.get(new URL(link).pathname);
    expect(resumed.headers.get('location')).toBe(`${REPORT}/apply`);
    const next = await phone.get(`${REPORT}/apply`);
    expect(next.headers.get('location')).toBe(`${REPORT}/apply/contact`);
    expect((await phone.get(`${REPORT}/apply/where`)).html).toContain('value="1 High Street"');
    await answer(phone, `${REPORT}/apply/contact`, {
      name: 'Rae Porter',
      email: 'reporter@example.com',
    });
    const check = await phone.get(`${REPORT}/apply/check-answers`);
    expect(check.html).toContain('My bin was not collected');
    const declaration = await phone.get(`${REPORT}/apply/declaration`);
    const reportDraftId = hiddenValue(declaration.html, 'draftId');
    const sent = await phone.post(`${REPORT}/apply/submit`, {
      actingFor: '',
      draftId: reportDraftId,
      agree: 'yes',
    });
    const confirmation = sent.headers.get('location')!;
    expect(confirmation).toMatch(
      new RegExp(`^${REPORT}/apply/confirmation/JU-[A-Z0-9]{4}-[A-Z0-9]{4}$`),
    );
    const page = await phone.get(confirmation);
    expect(page.html).toContain('Report sent');
    expect(page.html).toContain('We will come back within 2 working days.');
    const reference = confirmation.split('/').at(-1)!;
    expect(page.html).toContain(reference);
    const submission = (await findSubmissionByDraftId(db(), reportDraftId))!;
    expect(submission.reference).toBe(reference);
    expect(submission.applicant_user_id).toBeNull();
    expect(submission.applicant).toEqual({ name: 'Rae Porter', email: 'reporter@example.com' });
    expect(submission.answers.values).toMatchObject({
      problem: 'bin',
      where: { line1: '1 High Street', town: 'Stroud', postcode: 'GL5 4UB' },
    });

    // Once sent, the link no longer opens anything; someone else's browser never saw the confirmation.
    const used = await new Visitor(app.baseUrl).get(new URL(link).pathname);
    expect(used.status).toBe(404);
    expect(used.html).toContain('This link has expired or does not work');
    expect((await new Visitor(app.baseUrl).get(confirmation)).status).toBe(303);
  });

  it('refuses a link after 28 days, and a made-up one', async () => {
    const browser = new Visitor(app.baseUrl);
    await answer(browser, `${REPORT}/apply/problem`, { problem: 'other' });
    await browser.get(`${REPORT}/apply/save`);
    await answer(browser, `${REPORT}/apply/save`, { email: 'late@example.com' });
    const [mail] = await outboxMailTo('late@example.com');
    const path = new URL(
      /http:\/\/[^\s]+\/resume\/[A-Za-z0-9_-]+/.exec(
        String((mail!.payload as { text: string }).text),
      )![0],
    ).pathname;
    await db()
      .updateTable('form_drafts')
      .set({ resume_expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('answers', '@>', sql<never>`'{"problem":"other"}'::jsonb`)
      .execute();
    expect((await new Visitor(app.baseUrl).get(path)).status).toBe(404);
    expect(
      (await new Visitor(app.baseUrl).get(`${REPORT}/apply/resume/${'x'.repeat(43)}`)).status,
    ).toBe(404);
  });

  it('gives a signed-in person’s draft no "save and come back later": it saves as they go', async () => {
    const citizen = await signedIn(...CITIZEN);
    const page = await citizen.get(`${REPORT}/apply/problem`);
    expect(page.html).not.toContain('Save and come back later');
    expect((await citizen.get(`${REPORT}/apply/save`)).headers.get('location')).toBe(
      `${REPORT}/apply`,
    );
  });
});

describe('versions', () => {
  it('lets a journey in flight finish on the version it began, while new journeys start on the new one', async () => {
    const citizen = await signedIn(...CITIZEN);
    expect((await citizen.get(`${VERSIONED}/apply/name`)).html).toContain('Your name');
    await answer(citizen, `${VERSIONED}/apply/name`, { name: 'Sam' });

    const v2 = await publish(versioned(2));
    expect(v2.version).toBe(2);
    expect((await publishedForm(db(), 'versioned-test'))?.version).toBe(2);

    // The citizen's draft stays on version 1: no new page, no new option.
    const colour = await citizen.get(`${VERSIONED}/apply/colour`);
    expect(colour.status).toBe(200);
    expect(colour.html).not.toContain('Green');
    expect((await citizen.get(`${VERSIONED}/apply/size`)).status).toBe(404);
    const chosen = await citizen.post(`${VERSIONED}/apply/colour`, {
      actingFor: '',
      colour: 'red',
    });
    expect(chosen.headers.get('location')).toBe(`${VERSIONED}/apply/check-answers`);
    const check = await citizen.get(`${VERSIONED}/apply/check-answers`);
    const versionedDraftId = hiddenValue(check.html, 'draftId');
    const sent = await citizen.post(`${VERSIONED}/apply/submit`, {
      actingFor: '',
      draftId: versionedDraftId,
    });
    expect(sent.status).toBe(303);
    const submission = (await findSubmissionByDraftId(db(), versionedDraftId))!;
    expect(submission.form_version).toBe(1);
    expect(submission.answers.values).toEqual({ name: 'Sam', colour: 'red' });

    // Someone starting now gets version 2.
    const agent = await signedIn(...AGENT);
    expect((await agent.get(`${VERSIONED}/apply/name`)).html).toContain('Your full name (v2)');
    await answer(agent, `${VERSIONED}/apply/name`, { name: 'Chris' });
    const next = await agent.get(`${VERSIONED}/apply`);
    expect(next.headers.get('location')).toBe(`${VERSIONED}/apply/size`);
    const drafts = await db()
      .selectFrom('form_drafts')
      .select(['form_key', 'form_version'])
      .where('form_key', '=', 'versioned-test')
      .execute();
    expect(drafts).toEqual([{ form_key: 'versioned-test', form_version: 2 }]);

    // Publishing is audited.
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_type', '=', 'form_definition')
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'form.version_created', details: { key: 'versioned-test', version: 2 } },
        { action: 'form.version_published', details: { key: 'versioned-test', version: 2 } },
      ]),
    );
  });

  it('refuses to store a definition the schema refuses, and stores nothing', async () => {
    const before = await db()
      .selectFrom('form_definitions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const refused = await db()
      .transaction()
      .execute((trx) => publishForm(trx, { ...versioned(1), pages: [], extra: true }, OWNER));
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['pages', '']));
    const after = await db()
      .selectFrom('form_definitions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('publishes the shipped definitions as version 1 at start', async () => {
    expect(await publishedForm(db(), 'bulky-waste')).toMatchObject({
      version: 1,
      definition: { key: 'bulky-waste' },
    });
  });
});
