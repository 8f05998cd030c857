import { describe, expect, it } from 'vitest';
import { FormDefinitionSchema, type FormDefinitionInput } from './schema.js';
import { everyQuestionForm } from './test/every-question.js';

const b = (en: string) => ({ en, cy: `${en} (cy)` });

/** The smallest valid form, to vary one thing at a time. */
function minimal(): FormDefinitionInput {
  return {
    key: 'minimal',
    title: b('Minimal'),
    pages: [
      {
        id: 'name',
        title: b('Name'),
        questions: [{ type: 'text', name: 'name', label: b('Name') }],
      },
    ],
    confirmation: { body: b('Done') },
  };
}

function problems(input: unknown): string[] {
  const parsed = FormDefinitionSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the form definition schema', () => {
  it('accepts a form using every question type, and fills in the defaults', () => {
    const parsed = FormDefinitionSchema.parse(everyQuestionForm());
    const questions = parsed.pages.flatMap((p) => p.questions);
    expect(new Set(questions.map((q) => q.type))).toEqual(
      new Set([
        'text',
        'textarea',
        'number',
        'money',
        'date',
        'yesNo',
        'radios',
        'select',
        'phone',
        'email',
        'nino',
        'checkboxes',
        'postcode',
        'address',
        'file',
        'repeat',
      ]),
    );
    expect(questions[0]).toMatchObject({ required: true });
    const file = questions.find((q) => q.type === 'file');
    expect(file).toMatchObject({
      maxFiles: 2,
      accept: ['application/pdf', 'image/jpeg', 'image/png'],
    });
    const address = questions.find((q) => q.type === 'address');
    expect(address).toMatchObject({ lookup: true });
  });

  it('refuses unknown keys anywhere: on the form, a page, a question, an option, a message', () => {
    const withTypo = { ...minimal(), titel: b('x') };
    expect(problems(withTypo)).toEqual([expect.stringMatching(/Unrecognized key.*titel/)]);
    const page = minimal();
    (page.pages[0] as Record<string, unknown>).hidden = true;
    expect(problems(page).join()).toMatch(/hidden/);
    const question = minimal();
    (question.pages[0]!.questions[0] as Record<string, unknown>).requried = false;
    expect(problems(question).join()).toMatch(/requried/);
    const message = minimal();
    (message.pages[0]!.questions[0] as Record<string, unknown>).messages = {
      required: b('Enter a name'),
      minPence: b('not a rule of text'),
    };
    expect(problems(message).join()).toMatch(/minPence/);
    const language = minimal();
    language.title = { en: 'Title', cy: 'Teitl', fr: 'Titre' } as never;
    expect(problems(language).join()).toMatch(/fr/);
  });

  it('refuses a rule that belongs to another question type', () => {
    const form = minimal();
    (form.pages[0]!.questions[0] as Record<string, unknown>).maxPence = 100;
    expect(problems(form).join()).toMatch(/maxPence/);
  });

  it('needs both languages, a confirmation and at least one page and question', () => {
    expect(problems({ ...minimal(), title: { en: 'Only English' } }).join()).toMatch(/title\.cy/);
    const { confirmation: _, ...noConfirmation } = minimal();
    expect(problems(noConfirmation).join()).toMatch(/confirmation/);
    expect(problems({ ...minimal(), pages: [] }).join()).toMatch(/pages/);
    const empty = minimal();
    empty.pages[0]!.questions = [];
    expect(problems(empty).join()).toMatch(/questions/);
  });

  it('refuses a name used twice, a page id used twice, and reserved page ids', () => {
    const twice = minimal();
    twice.pages.push({
      id: 'again',
      title: b('Again'),
      questions: [{ type: 'text', name: 'name', label: b('Name') }],
    });
    expect(problems(twice).join()).toMatch(/"name" is used twice/);
    const pages = minimal();
    pages.pages.push({
      ...pages.pages[0]!,
      questions: [{ type: 'text', name: 'other', label: b('Other') }],
    });
    expect(problems(pages).join()).toMatch(/page id "name" is used twice/);
    const reserved = minimal();
    reserved.pages[0]!.id = 'check-answers';
    expect(problems(reserved).join()).toMatch(/reserved/);
  });

  it('says who may apply: anyone unless the form is for businesses, whose details text questions may be filled with', () => {
    expect(FormDefinitionSchema.parse(minimal()).applicant).toBeUndefined();
    const forBusinesses = { ...minimal(), applicant: 'business' as const };
    forBusinesses.pages[0]!.questions = [
      { type: 'text', name: 'name', label: b('Name'), prefill: 'businessName' },
      { type: 'text', name: 'number', label: b('Number'), prefill: 'companiesHouseNumber' },
      { type: 'text', name: 'charity', label: b('Charity'), prefill: 'charityNumber' },
    ];
    expect(problems(forBusinesses)).toEqual([]);
    expect(problems({ ...minimal(), applicant: 'company' }).join()).toMatch(/^applicant/);
    const businessPage = minimal();
    businessPage.pages[0]!.id = 'business';
    expect(problems(businessPage).join()).toMatch(/reserved/);
    const onEmail = minimal();
    onEmail.pages[0]!.questions = [
      { type: 'email', name: 'email', label: b('Email'), prefill: 'businessName' as 'email' },
    ];
    expect(problems(onEmail).join()).toMatch(/prefill/);
  });

  it('refuses names that are not plain identifiers, or would shadow an object’s own', () => {
    for (const name of ['has space', '1st', '__proto__', 'constructor', 'a'.repeat(65)]) {
      const form = minimal();
      form.pages[0]!.questions[0]!.name = name;
      expect(problems(form), name).not.toEqual([]);
    }
  });

  it('refuses a condition on a question not asked before, or on an option that does not exist', () => {
    const later = minimal();
    later.pages[0]!.when = { question: 'name', notEmpty: true };
    expect(problems(later).join()).toMatch(/earlier page|not a question asked before/);
    const missing = everyQuestionForm();
    missing.pages[2]!.when = { question: 'hasPets', equals: 'maybe' };
    expect(problems(missing).join()).toMatch(/"maybe" is not an option of "hasPets"/);
    const unknown = everyQuestionForm();
    unknown.pages[2]!.when = { question: 'nobody', equals: 'yes' };
    expect(problems(unknown).join()).toMatch(/"nobody" is not a question asked before this/);
  });

  it('refuses a condition on an address, a file or an "add another" answer', () => {
    const form = everyQuestionForm();
    form.pages.push({
      id: 'after',
      title: b('After'),
      when: { question: 'home', notEmpty: true },
      questions: [{ type: 'text', name: 'after', label: b('After') }],
    });
    expect(problems(form).join()).toMatch(/cannot test an answer of type address/);
  });

  it('keeps a file or "add another" question alone on its page', () => {
    const form = minimal();
    form.pages[0]!.questions.push({ type: 'file', name: 'proof', label: b('Proof') });
    expect(problems(form).join()).toMatch(/file question must be alone/);
  });

  it('refuses bounds the wrong way round, impossible patterns and requiredWhen on a required question', () => {
    const bounds = minimal();
    bounds.pages[0]!.questions[0] = {
      type: 'text',
      name: 'name',
      label: b('Name'),
      minLength: 10,
      maxLength: 5,
    };
    expect(problems(bounds).join()).toMatch(/lower bound is above/);
    const pattern = minimal();
    pattern.pages[0]!.questions[0] = {
      type: 'text',
      name: 'name',
      label: b('Name'),
      pattern: '([a-z',
    };
    expect(problems(pattern).join()).toMatch(/regular expression/);
    const requiredWhen = minimal();
    requiredWhen.pages[0]!.questions.push({
      type: 'text',
      name: 'why',
      label: b('Why'),
      requiredWhen: { question: 'name', notEmpty: true },
    });
    expect(problems(requiredWhen).join()).toMatch(/requiredWhen needs "required": false/);
  });

  it('takes date bounds as today, an ISO date or days from today, and nothing else', () => {
    for (const before of ['today', '2030-01-31', { daysFromToday: 14 }]) {
      const form = minimal();
      form.pages[0]!.questions[0] = { type: 'date', name: 'when', label: b('When'), before };
      expect(problems(form), JSON.stringify(before)).toEqual([]);
    }
    for (const before of ['tomorrow', '31/01/2030', { days: 3 }, { daysFromToday: 1.5 }]) {
      const form = minimal();
      form.pages[0]!.questions[0] = {
        type: 'date',
        name: 'when',
        label: b('When'),
        before,
      } as never;
      expect(problems(form), JSON.stringify(before)).not.toEqual([]);
    }
  });

  it('says where each problem is', () => {
    const form = minimal();
    form.pages[0]!.questions[0] = {
      type: 'radios',
      name: 'pick',
      label: b('Pick'),
      options: [],
    } as never;
    expect(problems(form)).toEqual([expect.stringMatching(/^pages\.0\.questions\.0\.options: /)]);
  });
});

describe('the guide', () => {
  it('shows an example the schema accepts', async () => {
    const { readFile } = await import('node:fs/promises');
    const { projectPath } = await import('../../platform/paths.js');
    const guide = await readFile(projectPath('docs', 'guides', 'forms.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(guide)![1]!;
    expect(problems(JSON.parse(example))).toEqual([]);
  });
});
