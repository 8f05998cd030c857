import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  csrfToken,
  hiddenValue,
  startTestApp,
  Visitor,
  weekdayAhead,
  type TestApp,
} from '../../../../../test/helpers/app.js';
import type { Actor } from '../../../../platform/audit/audit.js';
import { publishService } from '../../../catalogue/index.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { findSubmissionByDraftId } from '../../../submissions/index.js';
import { FormDefinitionSchema, type FormDefinitionInput } from '../../schema.js';
import { everyQuestionForm } from '../../test/every-question.js';
import { publishedForm, publishForm } from '../../versions.js';
import { definitionText } from './definition-text.js';

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const STROUD_CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const PLATFORM_ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const CHELTENHAM_OWNER = [
  'owner@cheltenham.example.gov.uk',
  'cheltenham-owner-password-1',
] as const;
const BULKY = '/services/request-a-bulky-waste-collection';
const PREVIEW_KEY = 'editor-preview-test';
const CHELTENHAM_KEY = 'cheltenham-garden-waste';
const SEEDER: Actor = { userId: null, organisationId: null, role: 'test' };
const b = (en: string, cy: string) => ({ en, cy });

let app: TestApp;
const db = () => app.platform.database.db;

/** Cheltenham's own form, which no Stroud service owner may open. */
const cheltenhamForm: FormDefinitionInput = {
  key: CHELTENHAM_KEY,
  title: b('Subscribe to garden waste collections', 'Tanysgrifio i gasgliadau gwastraff gardd'),
  pages: [
    {
      id: 'bins',
      title: b('How many bins?', 'Sawl bin?'),
      questions: [
        { type: 'number', name: 'bins', label: b('How many bins?', 'Sawl bin?'), integer: true },
      ],
    },
  ],
  confirmation: { body: b('We will send your bin stickers.', 'Byddwn yn anfon eich sticeri bin.') },
};

async function serviceUsing(organisationSlug: string, slug: string, formKey: string) {
  const organisation = (await findOrganisationBySlug(db(), organisationSlug))!;
  const made = await publishService(db(), {
    organisationId: organisation.id,
    slug,
    title: `Editor test ${slug}`,
    titleCy: `Prawf golygydd ${slug}`,
    summary: 'A service for the form editor tests.',
    summaryCy: 'Gwasanaeth ar gyfer profion y golygydd ffurflenni.',
    body: 'Apply online.',
    bodyCy: 'Gwnewch gais ar-lein.',
    formKey,
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  return made.service;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const form of [cheltenhamForm, everyQuestionForm(PREVIEW_KEY)]) {
    const published = await db()
      .transaction()
      .execute((trx) => publishForm(trx, form, SEEDER));
    if (!published.ok) throw new Error(JSON.stringify(published.problems));
  }
  await serviceUsing('cheltenham', 'editor-test-garden-waste', CHELTENHAM_KEY);
  await serviceUsing('stroud', 'editor-test-every-question', PREVIEW_KEY);
  const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!;
  const owner = await createStaffUser(db(), {
    email: CHELTENHAM_OWNER[0],
    password: CHELTENHAM_OWNER[1],
    displayName: 'Kim Owner',
    organisationId: cheltenham.id,
    roles: ['service-owner'],
  });
  if (!owner.ok) throw new Error(JSON.stringify(owner.errors));
});

afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** The text as the HTML shows it (autoescaped). */
function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The editor's textarea, as the browser would send it back. */
function textareaOf(page: string): string {
  const match = /<textarea[^>]*id="definition"[^>]*>([\s\S]*?)<\/textarea>/.exec(page);
  if (!match) throw new Error('no editor on the page');
  return match[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function errorSummaryOf(page: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page);
  return match ? match[0] : '';
}

/** Sets the value at a dotted path ("pages.0.questions.1.name") of parsed JSON. */
function setAt(json: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = json;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

/** The stored bulky waste form with some changes, as the owner would type it. */
async function bulkyWasteWith(change: (form: Record<string, unknown>) => void): Promise<string> {
  const current = await publishedForm(db(), 'bulky-waste');
  const form = JSON.parse(definitionText(current!.definition)) as Record<string, unknown>;
  change(form);
  return JSON.stringify(form, null, 2);
}

async function versionsOf(key: string) {
  return db()
    .selectFrom('form_definitions')
    .select(['version', 'status'])
    .where('key', '=', key)
    .orderBy('version')
    .execute();
}

async function auditOf(key: string) {
  const rows = await db()
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'actor_role', 'details'])
    .where('resource_type', '=', 'form_definition')
    .orderBy('id')
    .execute();
  return rows.filter((r) => (r.details as { key?: string }).key === key);
}

describe('the list of forms', () => {
  it('shows a Stroud service owner the forms of Stroud’s services with their versions, and not Cheltenham’s', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/forms/staff');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/forms/staff/bulky-waste"');
    expect(page.html).toContain('Request a bulky waste collection');
    expect(page.html).toContain(`href="/forms/staff/${PREVIEW_KEY}"`);
    expect(page.html).toMatch(/Version 1/);
    expect(page.html).not.toContain(CHELTENHAM_KEY);
    // The navigation takes service owners there.
    expect(page.html).toMatch(/<a class="govuk-link govuk-link--inverse" href="\/forms\/staff"/);
  });

  it('is linked from the catalogue’s edit page of a service that has a form', async () => {
    const owner = await signedIn(OWNER);
    const service = await db()
      .selectFrom('services')
      .select('id')
      .where('slug', '=', 'request-a-bulky-waste-collection')
      .executeTakeFirstOrThrow();
    const edit = await owner.get(`/catalogue/staff/services/${service.id}`);
    expect(edit.html).toContain('href="/forms/staff/bulky-waste"');
    expect(edit.html).toContain('Edit the application form');
  });

  it('shows a platform admin every body’s forms', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    const page = await admin.get('/forms/staff');
    expect(page.html).toContain('href="/forms/staff/bulky-waste"');
    expect(page.html).toContain(`href="/forms/staff/${CHELTENHAM_KEY}"`);
  });
});

describe('checking and previewing a form', () => {
  it('opens the published definition as pretty-printed JSON, with a preview and the version to publish next', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/forms/staff/bulky-waste');
    expect(page.status).toBe(200);
    const text = textareaOf(page.html);
    expect(text.startsWith('{\n  "key": "bulky-waste",\n  "title": {\n    "en": ')).toBe(true);
    expect(FormDefinitionSchema.parse(JSON.parse(text))).toEqual(
      (await publishedForm(db(), 'bulky-waste'))!.definition,
    );
    expect(page.html).toContain('Publish as version 2');
    expect(page.html).toContain('What do you want collected?');
    // The history names the shipped version.
    expect(page.html).toContain('Joinedup (the form shipped with the service)');
  });

  it('shows a JSON syntax error with its line and column in the error summary, linking to the textarea, and keeps the text', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/forms/staff/bulky-waste');
    const text = textareaOf(page.html);
    // Remove the comma after the key: line 2 ends without it, so line 3 is unexpected.
    const broken = text.replace('"key": "bulky-waste",', '"key": "bulky-waste"');
    const response = await owner.post('/forms/staff/bulky-waste', {
      definition: broken,
      action: 'check',
      version: '2',
    });
    expect(response.status).toBe(400);
    const summary = errorSummaryOf(response.html);
    expect(summary).toContain('Line 3, column 3: expected a comma (,) or a closing }');
    expect(summary).toContain('href="#definition"');
    expect(textareaOf(response.html)).toBe(broken);
    expect(response.html).toContain('Fix the problems listed at the top of the page');
  });

  it('lists every problem the schema finds with its JSON path and line, and a changed key', async () => {
    const owner = await signedIn(OWNER);
    await owner.get('/forms/staff/bulky-waste');
    const text = await bulkyWasteWith((form) => {
      setAt(form, 'key', 'bulky-rubbish');
      setAt(form, 'pages.0.questions.1.requried', true);
      setAt(form, 'pages.2.questions.0.type', 'calendar');
    });
    const response = await owner.post('/forms/staff/bulky-waste', {
      definition: text,
      action: 'save',
      version: '2',
    });
    expect(response.status).toBe(400);
    const summary = errorSummaryOf(response.html);
    const lineOf = (snippet: string) => text.split('\n').findIndex((l) => l.includes(snippet)) + 1;
    expect(summary).toContain(
      'key (line 2): the key cannot be changed: it must stay “bulky-waste”',
    );
    expect(summary).toContain(
      `pages.0.questions.1 (line ${lineOf('"requried"')}): Unrecognized key: &quot;requried&quot;`,
    );
    expect(summary).toContain(`pages.2.questions.0.type (line ${lineOf('"calendar"')}):`);
    expect(response.html).toContain('There are 3 problems with the form');
    expect(await versionsOf('bulky-waste')).toEqual([{ version: 1, status: 'published' }]);
  });

  it('previews every page title and question label of a form, in English and with the toggle in Welsh', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get(`/forms/staff/${PREVIEW_KEY}`);
    const text = textareaOf(page.html);
    const definition = FormDefinitionSchema.parse(everyQuestionForm(PREVIEW_KEY));
    const english = await owner.post(`/forms/staff/${PREVIEW_KEY}`, {
      definition: text,
      action: 'check',
      version: '2',
      previewLang: 'en',
    });
    expect(english.status).toBe(200);
    expect(english.html).toContain('No problems found');
    const welsh = await owner.post(`/forms/staff/${PREVIEW_KEY}`, {
      definition: text,
      version: '2',
      previewLang: 'en',
      switchPreview: 'cy',
    });
    expect(welsh.status).toBe(200);
    expect(welsh.html).toContain('<div class="app-form-preview" lang="cy">');
    expect(welsh.html).toContain('Show the preview in English');

    for (const [locale, response] of [
      ['en', english],
      ['cy', welsh],
    ] as const) {
      const preview = response.html.slice(response.html.indexOf('id="form-preview"'));
      for (const p of definition.pages) {
        expect(preview, `${locale} page ${p.id}`).toContain(html(p.title[locale]));
        for (const q of p.questions) {
          expect(preview, `${locale} ${q.name}`).toContain(html(q.label[locale]));
          if (q.type === 'repeat')
            for (const item of q.questions)
              expect(preview, `${locale} ${item.name}`).toContain(html(item.label[locale]));
        }
      }
      expect(preview).toContain(html(definition.declaration![locale]));
      expect(preview).toContain(html(definition.confirmation.body[locale]));
      // Read-only: each page sits in a disabled fieldset, and nothing posts anywhere.
      expect(
        preview.match(/<fieldset class="govuk-fieldset app-form-preview__inert" disabled>/g),
      ).toHaveLength(definition.pages.length);
      expect(preview.slice(0, preview.indexOf('id="history"'))).not.toContain('<form');
      // Every id on the page once: the preview's never clash with the editor's or each other.
      const ids = [...response.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    }
    // Conditional pages and questions say when they are asked; "add another" is marked.
    expect(english.html).toContain('Conditional page');
    expect(english.html).toContain('Only asked when the answer to ‘Do you have pets?’ is ‘Yes’.');
    expect(english.html).toContain('Add another');
    // The notes are in the reader's language, the form's words in the preview's.
    expect(welsh.html).toContain('Only asked when the answer to ‘Do you have pets? (cy)’ is ‘Ie’.');
  });

  it('re-previews for the script as the owner types: the preview alone, or what stops it', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/forms/staff/bulky-waste');
    const text = textareaOf(page.html);
    const fine = await owner.post('/forms/staff/bulky-waste/preview', {
      definition: text,
      previewLang: 'cy',
    });
    expect(fine.status).toBe(200);
    expect(fine.html).toContain('Beth ydych chi eisiau i ni ei gasglu?');
    expect(fine.html).not.toContain('<html');
    const broken = await owner.post(
      '/forms/staff/bulky-waste/preview',
      { definition: text.slice(0, 40), previewLang: 'en' },
      csrfToken(page.html),
    );
    expect(broken.status).toBe(400);
    expect(broken.html).toContain('The preview is not up to date');
  });
});

describe('saving and publishing', () => {
  let citizen: Visitor;

  it('saves a draft as version 2 that journeys do not use yet, and saving again changes the same draft', async () => {
    // A journey begins on version 1 before anything changes.
    citizen = await signedIn(CITIZEN);
    await citizen.get(`${BULKY}/apply/items`);
    const answered = await citizen.post(`${BULKY}/apply/items`, {
      actingFor: '',
      items: ['sofa'],
      itemDetails: '',
    });
    expect(answered.status).toBe(303);

    const owner = await signedIn(OWNER);
    await owner.get('/forms/staff/bulky-waste');
    const first = await bulkyWasteWith((form) => {
      setAt(form, 'pages.0.questions.0.label.en', 'Which items do you want collected?');
    });
    const saved = await owner.post('/forms/staff/bulky-waste', {
      definition: first,
      action: 'save',
      version: '2',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/forms/staff/bulky-waste?saved=2');
    const after = await owner.get(saved.headers.get('location')!);
    expect(after.html).toContain('Saved as the draft of version 2');
    expect(textareaOf(after.html)).toContain('Which items do you want collected?');
    expect(after.html).toContain('Publish as version 2');
    expect((await owner.get('/forms/staff')).html).toContain('Version 2 draft');
    expect((await publishedForm(db(), 'bulky-waste'))?.version).toBe(1);

    const second = await owner.post('/forms/staff/bulky-waste', {
      definition: first.replace('Which items do you', 'What items do you'),
      action: 'save',
      version: '2',
    });
    expect(second.headers.get('location')).toBe('/forms/staff/bulky-waste?saved=2');
    expect(await versionsOf('bulky-waste')).toEqual([
      { version: 1, status: 'published' },
      { version: 2, status: 'draft' },
    ]);
    const priya = (await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', OWNER[0])
      .executeTakeFirstOrThrow())!.id;
    expect(await auditOf('bulky-waste')).toEqual(
      expect.arrayContaining([
        {
          action: 'form.version_created',
          actor_user_id: priya,
          actor_role: 'service-owner',
          details: { key: 'bulky-waste', version: 2 },
        },
        {
          action: 'form.draft_updated',
          actor_user_id: priya,
          actor_role: 'service-owner',
          details: { key: 'bulky-waste', version: 2 },
        },
      ]),
    );
  });

  it('publishes version 2 through the editor, while the draft begun on version 1 is sent with version 1’s questions', async () => {
    const owner = await signedIn(OWNER);
    await owner.get('/forms/staff/bulky-waste');
    const v2 = await bulkyWasteWith((form) => {
      setAt(form, 'pages.0.questions.0.label.en', 'Which items do you want collected?');
      (form.pages as unknown[]).splice(1, 0, {
        id: 'access',
        title: { en: 'Can we reach the items?', cy: 'Allwn ni gyrraedd yr eitemau?' },
        questions: [
          {
            type: 'yesNo',
            name: 'stepFree',
            label: { en: 'Can we reach the items?', cy: 'Allwn ni gyrraedd yr eitemau?' },
          },
        ],
      });
    });
    const published = await owner.post('/forms/staff/bulky-waste', {
      definition: v2,
      action: 'publish',
      version: '2',
    });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe('/forms/staff/bulky-waste?published=2');
    expect((await publishedForm(db(), 'bulky-waste'))?.version).toBe(2);
    const page = await owner.get('/forms/staff/bulky-waste?published=2');
    expect(page.html).toContain('Version 2 is published');
    expect(page.html).toContain('Publish as version 3');
    const history = page.html.slice(page.html.indexOf('id="history"'));
    expect(history).toMatch(
      /<td[^>]*>\s*2\s*<\/td>\s*<td[^>]*>\s*Published\s*<\/td>\s*<td[^>]*>\s*Priya Owner/,
    );

    // The citizen carries on with version 1: no new page, and the old label.
    const next = await citizen.get(`${BULKY}/apply`);
    expect(next.headers.get('location')).toBe(`${BULKY}/apply/address`);
    expect((await citizen.get(`${BULKY}/apply/items`)).html).toContain(
      'What do you want collected?',
    );
    expect((await citizen.get(`${BULKY}/apply/access`)).status).toBe(404);
    await citizen.get(`${BULKY}/apply/address`);
    await citizen.post(`${BULKY}/apply/address`, {
      actingFor: '',
      addressLine1: '1 High Street',
      addressLine2: '',
      town: 'Stroud',
      postcode: 'GL5 4UB',
    });
    const [d, m, y] = weekdayAhead(7);
    await citizen.get(`${BULKY}/apply/date`);
    const dated = await citizen.post(`${BULKY}/apply/date`, {
      actingFor: '',
      'preferredDate-day': d,
      'preferredDate-month': m,
      'preferredDate-year': y,
    });
    expect(dated.headers.get('location')).toBe(`${BULKY}/apply/check-answers`);
    const check = await citizen.get(`${BULKY}/apply/check-answers`);
    const draftId = hiddenValue(check.html, 'draftId');
    const sent = await citizen.post(`${BULKY}/apply/submit`, { actingFor: '', draftId });
    expect(sent.status).toBe(303);
    const submission = (await findSubmissionByDraftId(db(), draftId))!;
    expect(submission.form_version).toBe(1);
    expect(Object.keys(submission.answers.values).sort()).toEqual([
      'addressLine1',
      'addressLine2',
      'itemDetails',
      'items',
      'postcode',
      'preferredDate',
      'town',
    ]);

    // Someone starting now is asked version 2's questions.
    const another = await signedIn([
      'agent@cotswold-accountants.example.com',
      'demo-agent-password',
    ]);
    expect((await another.get(`${BULKY}/apply/items`)).html).toContain(
      'Which items do you want collected?',
    );
    expect(await auditOf('bulky-waste')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'form.version_published',
          actor_role: 'service-owner',
          details: { key: 'bulky-waste', version: 2 },
        }),
      ]),
    );
  });

  it('refuses to publish over a version someone else published meanwhile, keeping the text', async () => {
    const owner = await signedIn(OWNER);
    await owner.get('/forms/staff/bulky-waste');
    const text = await bulkyWasteWith((form) => {
      setAt(form, 'confirmation.body.en', 'We will be in touch.');
    });
    const stale = await owner.post('/forms/staff/bulky-waste', {
      definition: text,
      action: 'publish',
      version: '2',
    });
    expect(stale.status).toBe(409);
    expect(errorSummaryOf(stale.html)).toContain('Someone else saved or published this form');
    expect(textareaOf(stale.html)).toBe(text);
    expect(stale.html).toContain('Publish as version 3');
    expect((await publishedForm(db(), 'bulky-waste'))?.version).toBe(2);
  });
});

describe('who may edit which form', () => {
  it('a Stroud service owner gets 404 for Cheltenham’s form, to open it or post to it', async () => {
    const owner = await signedIn(OWNER);
    const list = await owner.get('/forms/staff');
    const token = csrfToken(list.html);
    expect((await owner.get(`/forms/staff/${CHELTENHAM_KEY}`)).status).toBe(404);
    const text = definitionText(FormDefinitionSchema.parse(cheltenhamForm));
    for (const action of ['check', 'save', 'publish'])
      expect(
        (
          await owner.post(
            `/forms/staff/${CHELTENHAM_KEY}`,
            { definition: text, action, version: '2' },
            token,
          )
        ).status,
      ).toBe(404);
    expect(
      (await owner.post(`/forms/staff/${CHELTENHAM_KEY}/preview`, { definition: text }, token))
        .status,
    ).toBe(404);
    expect(await versionsOf(CHELTENHAM_KEY)).toEqual([{ version: 1, status: 'published' }]);
  });

  it('Cheltenham’s service owner opens Cheltenham’s form, and not Stroud’s', async () => {
    const owner = await signedIn(CHELTENHAM_OWNER);
    expect((await owner.get(`/forms/staff/${CHELTENHAM_KEY}`)).status).toBe(200);
    expect((await owner.get('/forms/staff/bulky-waste')).status).toBe(404);
    const list = await owner.get('/forms/staff');
    expect(list.html).toContain(CHELTENHAM_KEY);
    expect(list.html).not.toContain('href="/forms/staff/bulky-waste"');
  });

  it('a caseworker without the service-owner role gets 404 for the list, the editor and a post', async () => {
    const caseworker = await signedIn(STROUD_CASEWORKER);
    const home = await caseworker.get('/');
    expect(home.html).not.toContain('href="/forms/staff"');
    expect((await caseworker.get('/forms/staff')).status).toBe(404);
    expect((await caseworker.get('/forms/staff/bulky-waste')).status).toBe(404);
    const posted = await caseworker.post(
      '/forms/staff/bulky-waste',
      { definition: '{}', action: 'publish', version: '3' },
      csrfToken(home.html),
    );
    expect(posted.status).toBe(404);
  });

  it('someone not signed in is sent to sign in', async () => {
    const visitor = new Visitor(app.baseUrl);
    const response = await visitor.get('/forms/staff/bulky-waste');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/sign-in?returnTo=%2Fforms%2Fstaff%2Fbulky-waste',
    );
  });

  it('a platform admin opens and publishes another body’s form, audited as a platform admin', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    const page = await admin.get(`/forms/staff/${CHELTENHAM_KEY}`);
    expect(page.status).toBe(200);
    const text = textareaOf(page.html).replace('How many bins?', 'How many garden waste bins?');
    const published = await admin.post(`/forms/staff/${CHELTENHAM_KEY}`, {
      definition: text,
      action: 'publish',
      version: '2',
    });
    expect(published.status).toBe(303);
    expect((await publishedForm(db(), CHELTENHAM_KEY))?.definition.pages[0]!.title.en).toBe(
      'How many garden waste bins?',
    );
    expect(await auditOf(CHELTENHAM_KEY)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'form.version_published',
          actor_role: 'platform-admin',
          details: { key: CHELTENHAM_KEY, version: 2 },
        }),
      ]),
    );
  });
});
