import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { dateInputFields } from '../../../../test/helpers/dates.js';
import { staffOncePerFile } from '../../../../test/helpers/staff.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { createHubKey } from '../../submissions/index.js';

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
  return {
    title: `A new bus station for Stroud ${++made}`,
    summary: 'Where should the new bus station go?',
    body: 'We have two sites in mind.',
    audience: 'People who use buses in Stroud',
    topic: 'transport',
    ...dateInputFields('opensOn', 0),
    ...dateInputFields('closesOn', 30),
    area: 'country',
    signIn: 'no',
    easyRead: 'We want to build a bus station.',
    'q1-text': 'Do you agree?',
    'q1-kind': 'choice',
    'q1-options': 'Yes\nNo',
    ...fields,
  };
}

async function published(): Promise<string> {
  const owner = await staff('owner');
  await owner.get('/staff/consultations/new');
  const response = await owner.post('/staff/consultations/new', publishForm());
  expect(response.status, response.html).toBe(303);
  return /consultations\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')![1]!;
}

const bilingual = (en: string, cy: string) => ({ en, cy });

/** Questions on two pages: a choice and boxes to tick, then a number and free text. */
const DEFINITION = {
  key: 'bus-station',
  title: bilingual('Bus station', 'Gorsaf fysiau'),
  pages: [
    {
      id: 'sites',
      title: bilingual('The sites', 'Y safleoedd'),
      questions: [
        {
          type: 'radios',
          name: 'site',
          label: bilingual('Which site do you prefer?', 'Pa safle sydd orau gennych?'),
          options: [
            { value: 'merrywalks', label: bilingual('Merrywalks', 'Merrywalks') },
            { value: 'car-park', label: bilingual('The station car park', 'Maes parcio’r orsaf') },
          ],
        },
        {
          type: 'checkboxes',
          name: 'uses',
          label: bilingual(
            'What do you use the buses for?',
            'Ar gyfer beth ydych chi’n defnyddio’r bysiau?',
          ),
          options: [
            { value: 'work', label: bilingual('Work', 'Gwaith') },
            { value: 'shopping', label: bilingual('Shopping', 'Siopa') },
            { value: 'school', label: bilingual('School', 'Ysgol') },
          ],
        },
      ],
    },
    {
      id: 'more',
      title: bilingual('More about you', 'Mwy amdanoch chi'),
      questions: [
        {
          type: 'number',
          name: 'trips',
          label: bilingual(
            'How many bus trips do you make a week?',
            'Sawl taith fws a wnewch chi bob wythnos?',
          ),
          integer: true,
          min: 0,
          max: 100,
        },
        {
          type: 'textarea',
          name: 'comments',
          label: bilingual('Anything else?', 'Unrhyw beth arall?'),
          required: false,
          maxLength: 2000,
        },
      ],
    },
  ],
  confirmation: { body: bilingual('Thank you.', 'Diolch.') },
};

const EASY_READ = 'site: Where should the bus station go?';

async function storedQuestions(id: string): Promise<unknown> {
  const row = await db()
    .selectFrom('consultations')
    .select(['questions', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.questions;
}

/** The service owner saves the definition as the consultation's questions. */
async function withQuestionForm(id: string, definition: unknown = DEFINITION) {
  const owner = await staff('owner');
  await owner.get(`/staff/consultations/${id}/questions`);
  return owner.post(`/staff/consultations/${id}/questions`, {
    questionForm: JSON.stringify(definition, null, 2),
    easyRead: EASY_READ,
  });
}

/** Starts a response as an individual; the visitor is on the first page of questions. */
async function started(id: string, visitor: Visitor, query = '') {
  await visitor.get(`/consultations/${id}/respond${query}`);
  const about = await visitor.post(`/consultations/${id}/respond`, {
    respondentType: 'individual',
  });
  expect(about.headers.get('location')).toBe(`/consultations/${id}/respond/questions/1`);
  return visitor.get(`/consultations/${id}/respond/questions/1`);
}

async function draftAnswers(id: string) {
  return (
    await db()
      .selectFrom('consultation_responses')
      .select('answers')
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is', null)
      .execute()
  ).map((r) => r.answers);
}

/** Responds all the way through the two pages; returns the reference. */
async function responded(
  id: string,
  page1: Record<string, string | string[]>,
  page2: Record<string, string>,
  visitor = new Visitor(app.baseUrl),
) {
  await started(id, visitor);
  const first = await visitor.post(`/consultations/${id}/respond/questions/1`, page1);
  expect(first.status, first.html).toBe(303);
  await visitor.get(`/consultations/${id}/respond/questions/2`);
  const second = await visitor.post(`/consultations/${id}/respond/questions/2`, page2);
  expect(second.headers.get('location'), second.html).toBe(`/consultations/${id}/respond/check`);
  await visitor.get(`/consultations/${id}/respond/check`);
  expect((await visitor.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);
  return /C-[A-Z0-9]{8}/.exec((await visitor.get(`/consultations/${id}/respond/sent`)).html)![0];
}

describe('questions as a form definition', () => {
  it('a service owner sees the questions as a form and saves a new one: stored, audited, kept by the edit form', async () => {
    const id = await published();
    const owner = await staff('owner');
    const page = await owner.get(`/staff/consultations/${id}/questions`);
    expect(page.status).toBe(200);
    // The slot question as its equivalent definition.
    expect(page.html).toContain('&quot;name&quot;: &quot;q1&quot;');
    expect(page.html).toContain('&quot;type&quot;: &quot;radios&quot;');
    const saved = await withQuestionForm(id);
    expect(saved.status, saved.html).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/consultations/${id}?done=questions`);
    const stored = (await storedQuestions(id)) as { form: { key: string }; easyRead: object };
    expect(stored.form.key).toBe('bus-station');
    expect(stored.easyRead).toEqual({ site: 'Where should the bus station go?' });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'consultation.questions-changed')
      .where('resource_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ pages: 2, questions: 4, easyRead: 1, version: null });
    const again = await owner.get(`/staff/consultations/${id}/questions`);
    expect(again.html).toContain('&quot;name&quot;: &quot;trips&quot;');
    expect(again.html).toContain('site: Where should the bus station go?');
    // The edit form leaves the questions to their page, and editing the details keeps them.
    const edit = await owner.get(`/staff/consultations/${id}/edit`);
    expect(edit.html).toContain(`href="/staff/consultations/${id}/questions"`);
    expect(edit.html).not.toContain('id="q1-text"');
    const edited = await owner.post(
      `/staff/consultations/${id}/edit`,
      publishForm({ title: 'A new bus station, revised', 'q1-text': '' }),
    );
    expect(edited.status, edited.html).toBe(303);
    expect(await storedQuestions(id)).toEqual(stored);
  });

  it('a bad definition or easy read wording is refused with the reason in the error summary, and nothing changes', async () => {
    const id = await published();
    const before = await storedQuestions(id);
    const owner = await staff('owner');
    await owner.get(`/staff/consultations/${id}/questions`);
    const cases: [Record<string, string>, string, string][] = [
      [{ questionForm: '{\n  "key": "x",\n  oops\n}' }, '#questionForm', 'Line 3, column 3'],
      [
        { questionForm: JSON.stringify({ ...DEFINITION, title: { en: 'Only English' } }) },
        '#questionForm',
        'title.cy',
      ],
      [
        {
          questionForm: JSON.stringify({
            ...DEFINITION,
            pages: [
              {
                id: 'upload',
                title: bilingual('Upload', 'Uwchlwytho'),
                questions: [{ type: 'file', name: 'plan', label: bilingual('Plan', 'Cynllun') }],
              },
            ],
          }),
        },
        '#questionForm',
        'a consultation cannot ask a file question',
      ],
      [
        { questionForm: JSON.stringify(DEFINITION), easyRead: 'colour: What colour?' },
        '#easyRead',
        '“colour” is not a question of the form',
      ],
    ];
    for (const [fields, href, reason] of cases) {
      const refused = await owner.post(`/staff/consultations/${id}/questions`, {
        easyRead: '',
        ...fields,
      });
      expect(refused.status, reason).toBe(400);
      expect(refused.html).toContain('govuk-error-summary');
      expect(refused.html).toContain(`href="${href}"`);
      expect(refused.html).toContain(reason);
      // What was typed stays on the page to be put right.
      expect(refused.html).toContain('govuk-textarea--error');
    }
    expect(await storedQuestions(id)).toEqual(before);
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'consultation.questions-changed')
      .where('resource_id', '=', id)
      .execute();
    expect(audit).toHaveLength(0);
  });

  it('only the body’s service owners may see or change the questions (others get 404, nothing changes)', async () => {
    const id = await published();
    const before = await storedQuestions(id);
    const citizen = (await aSignedInCitizen(app)).visitor;
    for (const visitor of [await staff('cheltenham'), await staff('caseworker'), citizen]) {
      await visitor.get('/');
      expect((await visitor.get(`/staff/consultations/${id}/questions`)).status).toBe(404);
      const posted = await visitor.post(`/staff/consultations/${id}/questions`, {
        questionForm: JSON.stringify(DEFINITION),
        easyRead: '',
      });
      expect(posted.status).toBe(404);
    }
    const anonymous = new Visitor(app.baseUrl);
    const signIn = await anonymous.get(`/staff/consultations/${id}/questions`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toMatch(/^\/sign-in/);
    expect(await storedQuestions(id)).toEqual(before);
  });
});

describe('answering a consultation’s form', () => {
  it('page by page in Welsh through the forms engine: a bad answer gets the error summary and stores nothing', async () => {
    const id = await published();
    expect((await withQuestionForm(id)).status).toBe(303);
    const visitor = new Visitor(app.baseUrl);
    const first = await started(id, visitor, '?lang=cy');
    expect(first.html).toContain('Tudalen 1 o 2');
    expect(first.html).toContain('Y safleoedd');
    expect(first.html).toContain('Pa safle sydd orau gennych?');
    expect(first.html).toContain('Maes parcio’r orsaf');
    // The same name in both languages is the English, marked as such.
    expect(first.html).not.toContain('<span lang="en">Pa safle');
    const nothing = await visitor.post(`/consultations/${id}/respond/questions/1`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.html).toContain('govuk-error-summary');
    expect(nothing.html).toContain('href="#site"');
    expect(nothing.html).toContain('href="#uses"');
    expect(await draftAnswers(id)).toEqual([{}]);
    // No jumping ahead of the page still to answer.
    expect(
      (await visitor.get(`/consultations/${id}/respond/questions/2`)).headers.get('location'),
    ).toBe(`/consultations/${id}/respond/questions/1`);
    const notAnOption = await visitor.post(`/consultations/${id}/respond/questions/1`, {
      site: 'the-moon',
      uses: ['work'],
    });
    expect(notAnOption.status).toBe(400);
    expect(await draftAnswers(id)).toEqual([{}]);
    const ok = await visitor.post(`/consultations/${id}/respond/questions/1`, {
      site: 'car-park',
      uses: ['work', 'shopping'],
    });
    expect(ok.headers.get('location')).toBe(`/consultations/${id}/respond/questions/2`);
    await visitor.get(`/consultations/${id}/respond/questions/2`);
    for (const trips of ['lots', '500', '2.5']) {
      const bad = await visitor.post(`/consultations/${id}/respond/questions/2`, { trips });
      expect(bad.status, trips).toBe(400);
      expect(bad.html).toContain('href="#trips"');
      expect(bad.html).toContain(`value="${trips}"`);
    }
    expect(await draftAnswers(id)).toEqual([{ site: 'car-park', uses: ['work', 'shopping'] }]);
    const sent = await visitor.post(`/consultations/${id}/respond/questions/2`, {
      trips: '12',
      comments: 'Mwy o feinciau, os gwelwch yn dda.',
    });
    expect(sent.headers.get('location')).toBe(`/consultations/${id}/respond/check`);
    const check = await visitor.get(`/consultations/${id}/respond/check`);
    expect(check.html).toContain('Maes parcio’r orsaf');
    expect(check.html).toContain('Gwaith, Siopa');
    expect(check.html).toContain(`/consultations/${id}/respond/questions/2?change=1`);
    expect((await visitor.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);
    const row = await db()
      .selectFrom('consultation_responses')
      .select(['answers', 'reference'])
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(row.answers).toEqual({
      site: 'car-park',
      uses: ['work', 'shopping'],
      trips: '12',
      comments: 'Mwy o feinciau, os gwelwch yn dda.',
    });
  });

  it('the easy read wording is shown to easy read readers; save and return keeps a page of answers', async () => {
    const id = await published();
    expect((await withQuestionForm(id)).status).toBe(303);
    const easy = new Visitor(app.baseUrl);
    await easy.get(`/consultations/${id}?version=easy-read`);
    const first = await started(id, easy);
    expect(first.html).toContain('Where should the bus station go?');
    expect(first.html).not.toContain('Which site do you prefer?');
    await easy.post(`/consultations/${id}/respond/questions/1`, {
      site: 'merrywalks',
      uses: ['school'],
    });
    await easy.get(`/consultations/${id}/respond/questions/2`);
    // "Save and come back later" keeps a good page, and goes on to ask for an e-mail address.
    const save = await easy.post(`/consultations/${id}/respond/questions/2`, {
      trips: '3',
      action: 'save',
    });
    expect(save.headers.get('location')).toBe(`/consultations/${id}/respond/save`);
    expect(await draftAnswers(id)).toEqual([
      { site: 'merrywalks', uses: ['school'], trips: '3', comments: '' },
    ]);
    const back = await easy.get(`/consultations/${id}/respond/questions/2`);
    expect(back.html).toContain('value="3"');
    // A bad answer is not saved for later either: its page says what is wrong.
    const bad = await easy.post(`/consultations/${id}/respond/questions/2`, {
      trips: 'x',
      action: 'save',
    });
    expect(bad.status).toBe(400);
    expect(await draftAnswers(id)).toEqual([
      { site: 'merrywalks', uses: ['school'], trips: '3', comments: '' },
    ]);
  });
});

describe('analysing a consultation’s form', () => {
  it('counts per option (each box ticked), answers in words, themes, the CSV and the API come from the forms answers', async () => {
    const id = await published();
    expect((await withQuestionForm(id)).status).toBe(303);
    await responded(
      id,
      { site: 'car-park', uses: ['work', 'shopping'] },
      { trips: '12', comments: 'More benches' },
    );
    await responded(id, { site: 'car-park', uses: ['shopping'] }, { trips: '0', comments: '' });
    await responded(
      id,
      { site: 'merrywalks', uses: ['school'] },
      { trips: '5', comments: '=HYPERLINK("x")' },
    );
    const owner = await staff('owner');
    const results = await owner.get(`/staff/consultations/${id}`);
    expect(results.html).toContain('Responses sent: 3');
    const count = (option: string) =>
      new RegExp(`${option}</t[dh]>\\s*<td[^>]*>\\s*(\\d+)\\s*<`).exec(results.html)?.[1];
    expect([count('Merrywalks'), count('The station car park')]).toEqual(['1', '2']);
    expect([count('Work'), count('Shopping'), count('School')]).toEqual(['1', '2', '1']);
    expect(results.html).toContain('More benches');

    // Free text is tagged with themes by its question's number in the form (Q4: index 3).
    const responses = await db()
      .selectFrom('consultation_responses')
      .select(['id', 'reference'])
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .orderBy('submitted_at')
      .execute();
    await owner.get(`/staff/consultations/${id}/themes`);
    await owner.post(`/staff/consultations/${id}/themes`, { name: 'Comfort' });
    const theme = await db()
      .selectFrom('consultation_themes')
      .select('id')
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow();
    const reading = await owner.get(`/staff/consultations/${id}/responses/${responses[0]!.id}`);
    expect(reading.html).toContain('Work, Shopping');
    expect(reading.html).toContain('name="question" value="3"');
    // A number is not free text: it cannot be tagged.
    const notText = await owner.post(
      `/staff/consultations/${id}/responses/${responses[0]!.id}/themes`,
      {
        question: '2',
        themes: theme.id,
      },
    );
    expect(notText.status).toBe(404);
    const tagged = await owner.post(
      `/staff/consultations/${id}/responses/${responses[0]!.id}/themes`,
      {
        question: '3',
        themes: theme.id,
      },
    );
    expect(tagged.status).toBe(303);

    const csv = await owner.get(`/staff/consultations/${id}/responses.csv`);
    const lines = csv.html.trim().split('\r\n');
    expect(lines[0]).toBe(
      'reference,submitted_at,respondent_type,organisation_name,Q1 Which site do you prefer?,Q2 What do you use the buses for?,Q3 How many bus trips do you make a week?,Q4 Anything else?,Q4 themes',
    );
    expect(lines[1]).toContain(',The station car park,"Work, Shopping",12,More benches,Comfort');
    // Formula injection guarded as in every CSV.
    expect(lines[3]).toContain(`"'=HYPERLINK(""x"")"`);
    const themes = await owner.get(`/staff/consultations/${id}/themes.csv`);
    expect(themes.html).toBe('question,theme,answers\r\nQ4 Anything else?,Comfort,1\r\n');

    const stroud = await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    const { key } = await createHubKey(
      db(),
      { organisationId: stroud.id, name: 'question forms', scope: 'receive' },
      { userId: null, organisationId: stroud.id, role: 'test' },
    );
    const api = await fetch(`${app.baseUrl}/api/v1/consultations/${id}/responses`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as {
      questions: { name: string; type: string; kind: string; options: unknown }[];
      form: { key: string };
      responses: { answers: { name: string; answer: string; themes: string[] }[] }[];
    };
    expect(body.form.key).toBe('bus-station');
    expect(body.questions.map((q) => [q.name, q.type, q.kind])).toEqual([
      ['site', 'radios', 'choice'],
      ['uses', 'checkboxes', 'choice'],
      ['trips', 'number', 'text'],
      ['comments', 'textarea', 'text'],
    ]);
    expect(body.questions[0]!.options).toEqual([
      { value: 'merrywalks', en: 'Merrywalks', cy: null },
      { value: 'car-park', en: 'The station car park', cy: 'Maes parcio’r orsaf' },
    ]);
    expect(body.responses[0]!.answers).toEqual([
      { number: 1, name: 'site', answer: 'The station car park', themes: [] },
      { number: 2, name: 'uses', answer: 'Work, Shopping', themes: [] },
      { number: 3, name: 'trips', answer: '12', themes: [] },
      { number: 4, name: 'comments', answer: 'More benches', themes: ['Comfort'] },
    ]);
  });

  it('new questions after responses make a new version; the answers to the old one are still counted against it', async () => {
    const id = await published();
    const owner = await staff('owner');
    const visitor = new Visitor(app.baseUrl);
    await started(id, visitor);
    await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes' });
    await visitor.get(`/consultations/${id}/respond/check`);
    expect((await visitor.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);
    const before = await storedQuestions(id);
    const saved = await withQuestionForm(id);
    expect(saved.headers.get('location')).toBe(`/staff/consultations/${id}?done=versioned`);
    const kept = await db()
      .selectFrom('consultation_versions')
      .select(['version', 'questions'])
      .where('consultation_id', '=', id)
      .execute();
    expect(kept).toEqual([{ version: 1, questions: before }]);
    const old = await owner.get(`/staff/consultations/${id}?version=1`);
    expect(old.html).toMatch(/Yes<\/t[dh]>\s*<td[^>]*>\s*1\s*</);
    const current = await owner.get(`/staff/consultations/${id}`);
    expect(current.html).toContain('Which site do you prefer?');
    // The old version's page lists its questions as they were.
    const page = await new Visitor(app.baseUrl).get(`/consultations/${id}/versions/1`);
    expect(page.html).toContain('Do you agree? (Yes, No)');
  });
});

describe('a consultation from before question forms', () => {
  it('its slot questions and the responses kept by question number are still answered, counted, exported and redacted', async () => {
    const stroud = await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    // As stored before question forms: slot questions, and a response kept by question number.
    const { id } = await db()
      .insertInto('consultations')
      .values({
        organisation_id: stroud.id,
        title: 'Litter bins on the high street',
        summary: 'Do we need more bins?',
        body: 'We propose twenty new bins.',
        audience: 'Everyone in Stroud',
        opens_on: ukToday(),
        closes_on: ukToday(),
        questions: JSON.stringify([
          {
            kind: 'choice',
            text: 'More bins?',
            options: ['Yes please', 'No thanks'],
            optionsCy: ['Os gwelwch yn dda', 'Dim diolch'],
          },
          { kind: 'text', text: 'Where?', textCy: 'Ble?' },
        ]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = await db()
      .insertInto('consultation_responses')
      .values({
        consultation_id: id,
        token_hash: 'old-response',
        respondent_type: 'individual',
        answers: JSON.stringify({ '0': 'No thanks', '1': 'Nowhere, call me on 07700 900123' }),
        reference: 'C-OLDREF23',
        submitted_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Someone answers it now, in Welsh, through the forms engine.
    const visitor = new Visitor(app.baseUrl);
    const first = await started(id, visitor, '?lang=cy');
    expect(first.html).toContain('Cwestiwn 1 o 2');
    expect(first.html).toContain('Os gwelwch yn dda');
    const none = await visitor.post(`/consultations/${id}/respond/questions/1`, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('Dewiswch un o&#39;r atebion');
    await visitor.post(`/consultations/${id}/respond/questions/1`, { q1: 'yes-please' });
    await visitor.get(`/consultations/${id}/respond/questions/2`);
    await visitor.post(`/consultations/${id}/respond/questions/2`, { q2: 'Ger y parc' });
    await visitor.get(`/consultations/${id}/respond/check`);
    expect((await visitor.post(`/consultations/${id}/respond/check`, {})).status).toBe(303);

    const owner = await staff('owner');
    const results = await owner.get(`/staff/consultations/${id}`);
    expect(results.html).toContain('Responses sent: 2');
    expect(results.html).toMatch(/Yes please<\/t[dh]>\s*<td[^>]*>\s*1\s*</);
    expect(results.html).toMatch(/No thanks<\/t[dh]>\s*<td[^>]*>\s*1\s*</);
    const csv = (await owner.get(`/staff/consultations/${id}/responses.csv`)).html.split('\r\n');
    expect(csv[1]).toMatch(/^C-OLDREF23,/);
    expect(csv[1]).toContain(',No thanks,"Nowhere, call me on 07700 900123",');
    expect(csv[2]).toContain(',Yes please,Ger y parc,');
    // Its questions read as the equivalent form on the questions page.
    const questions = await owner.get(`/staff/consultations/${id}/questions`);
    expect(questions.html).toContain('&quot;value&quot;: &quot;no-thanks&quot;');

    // A moderator redacts the old response's free text: kept by name from then on.
    const reading = await owner.get(`/staff/consultations/${id}/responses/${old.id}`);
    expect(reading.html).toContain('No thanks');
    const redacted = await owner.post(`/staff/consultations/${id}/responses/${old.id}/redact`, {
      field: '1',
      reason: 'personal-data',
      passages: '07700 900123',
    });
    expect(redacted.status, redacted.html).toBe(303);
    const row = await db()
      .selectFrom('consultation_responses')
      .select('answers')
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect(row.answers).toEqual({ q1: 'no-thanks', q2: 'Nowhere, call me on [redacted]' });
    const after = await owner.get(`/staff/consultations/${id}`);
    expect(after.html).toMatch(/No thanks<\/t[dh]>\s*<td[^>]*>\s*1\s*</);
  });
});
