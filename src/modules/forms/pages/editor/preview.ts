/**
 * The live preview of a form definition: every page as the journey draws it, through the same
 * view model (`fieldView`) and the same template macro (question/fields.njk), in the language
 * chosen for the preview. Nothing in it can be filled in (the template puts each page in a
 * disabled fieldset); conditional pages and questions are marked with their condition, and a
 * repeat ("add another") page shows its list question and one item's page. The declaration and
 * the confirmation page's text follow.
 */
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { acceptedTypesText, humanSize } from '../../../attachments/index.js';
import type {
  Condition,
  FileQuestion,
  FormDefinition,
  FormPage,
  ItemQuestion,
  Question,
  RepeatQuestion,
} from '../../schema.js';
import { fieldView, type FieldView } from '../question/view-model.js';

/**
 * Ids in the preview start with this, so none clashes with the editor's own (a question named
 * "definition"); the preview's own parts use `preview--…`, which no question name can make.
 */
export const PREVIEW_ID_PREFIX = 'preview-';

export interface PreviewOptions {
  /** The language the form is previewed in. */
  locale: Locale;
  /** The journey's own words (Day, Month, Yes, "Find address") in the preview's language. */
  journeyT: Translate;
  /** The editor's notes ("Only asked when …") in the reader's language. */
  noteT: Translate;
  /** Where the preview's address links go instead of the journey (they lead nowhere). */
  anchor: string;
}

/** One question in the preview: how the journey draws it, and the editor's notes on it. */
export interface PreviewQuestion {
  field: FieldView;
  notes: string[];
}

export interface PreviewPage {
  number: number;
  id: string;
  title: string;
  /** "Only asked when …" for a conditional page. */
  condition: string | null;
  kind: 'questions' | 'file' | 'repeat';
  /** A page with one question shows that question's label as its heading, as the journey does. */
  single: boolean;
  questions: PreviewQuestion[];
  file: { label: string; hint: string | null; upload: FieldView; rules: string } | null;
  repeat: {
    label: string;
    hint: string | null;
    notes: string[];
    list: Record<string, unknown>;
    itemTitle: string;
    itemSingle: boolean;
    items: PreviewQuestion[];
  } | null;
}

export interface FormPreview {
  locale: Locale;
  title: string;
  pages: PreviewPage[];
  declaration: { title: string; text: string; agree: Record<string, unknown> } | null;
  confirmation: { title: string; body: string };
  /** The journey's words the preview's own parts use, in the preview's language. */
  texts: { continue: string; whatHappensNext: string; reference: string };
}

type AnyQuestion = Question | ItemQuestion;

/** The ids and links of a drawn question, moved into the preview's own space. */
function inPreview(field: FieldView, anchor: string): FieldView {
  const prefixed = (id: unknown) => (typeof id === 'string' ? PREVIEW_ID_PREFIX + id : id);
  const demote = (heading: unknown) =>
    heading && typeof heading === 'object' ? { ...heading, isPageHeading: false } : heading;
  if (field.macro === 'address') {
    return {
      ...field,
      name: PREVIEW_ID_PREFIX + field.name,
      legend: { ...field.legend, isPageHeading: false },
      lookup: field.lookup && { ...field.lookup, id: prefixed(field.lookup.id) },
      choose: field.choose && { ...field.choose, id: prefixed(field.choose.id) },
      parts: field.parts.map((part) => ({ ...part, id: prefixed(part.id) })),
      manualHref: anchor,
      findHref: anchor,
    };
  }
  const params: Record<string, unknown> = { ...field.params };
  if ('id' in params) params.id = prefixed(params.id);
  if ('idPrefix' in params) params.idPrefix = prefixed(params.idPrefix);
  if (params.label) params.label = demote(params.label);
  if (params.fieldset && typeof params.fieldset === 'object') {
    const fieldset = params.fieldset as { legend?: unknown };
    params.fieldset = { ...fieldset, legend: demote(fieldset.legend) };
  }
  return { ...field, params } as FieldView;
}

/** Every question by name (items of repeats too), to name what conditions test. */
function questionsByName(definition: FormDefinition): Map<string, AnyQuestion> {
  const all = new Map<string, AnyQuestion>();
  for (const page of definition.pages)
    for (const question of page.questions) {
      all.set(question.name, question);
      if (question.type === 'repeat')
        for (const item of question.questions) all.set(item.name, item);
    }
  return all;
}

/** A condition in words: "the answer to ‘What do you want collected?’ includes ‘Something else’". */
export function describeCondition(
  condition: Condition,
  questions: Map<string, AnyQuestion>,
  options: Pick<PreviewOptions, 'locale' | 'journeyT' | 'noteT'>,
): string {
  const { locale, journeyT, noteT } = options;
  const question = questions.get(condition.question);
  const label = question ? question.label[locale] : condition.question;
  const valueText = (value: string) => {
    if (question?.type === 'yesNo')
      return value === 'yes' ? journeyT('forms.yes') : journeyT('forms.no');
    if (question && 'options' in question)
      return question.options.find((o) => o.value === value)?.label[locale] ?? value;
    return value;
  };
  if ('notEmpty' in condition) return noteT('forms.editor.condition.answered', { question: label });
  if ('in' in condition)
    return noteT('forms.editor.condition.oneOf', {
      question: label,
      values: condition.in.map((v) => `‘${valueText(v)}’`).join(', '),
    });
  return noteT(
    question?.type === 'checkboxes'
      ? 'forms.editor.condition.includes'
      : 'forms.editor.condition.is',
    { question: label, value: valueText(condition.equals) },
  );
}

function notesOf(
  question: AnyQuestion,
  questions: Map<string, AnyQuestion>,
  options: PreviewOptions,
): string[] {
  const { noteT } = options;
  const notes: string[] = [];
  if (question.when)
    notes.push(
      noteT('forms.editor.preview.askedWhen', {
        condition: describeCondition(question.when, questions, options),
      }),
    );
  if (question.requiredWhen)
    notes.push(
      noteT('forms.editor.preview.requiredWhen', {
        condition: describeCondition(question.requiredWhen, questions, options),
      }),
    );
  else if (!question.required) notes.push(noteT('forms.editor.preview.optional'));
  return notes;
}

function drawn(question: AnyQuestion, single: boolean, options: PreviewOptions): FieldView {
  return inPreview(
    fieldView(
      question,
      {},
      {
        locale: options.locale,
        t: options.journeyT,
        errors: {},
        asPageHeading: single,
        path: options.anchor,
      },
    ),
    options.anchor,
  );
}

function filePage(question: FileQuestion, options: PreviewOptions): PreviewPage['file'] {
  const { locale, journeyT, noteT } = options;
  return {
    label: question.label[locale],
    hint: question.hint?.[locale] ?? null,
    // As the journey draws the upload box of a file page with no files yet.
    upload: {
      macro: 'fileUpload',
      params: {
        id: PREVIEW_ID_PREFIX + question.name,
        name: 'file',
        label: { text: journeyT('forms.file.upload'), classes: 'govuk-label--s' },
        attributes: { accept: question.accept.join(',') },
      },
    },
    rules: noteT('forms.editor.preview.fileRules', {
      types: acceptedTypesText(noteT, question.accept),
      size: humanSize(question.maxBytes),
      count: question.maxFiles,
    }),
  };
}

function repeatPage(
  question: RepeatQuestion,
  questions: Map<string, AnyQuestion>,
  options: PreviewOptions,
  pageId: string,
): PreviewPage['repeat'] {
  const { locale, journeyT, noteT } = options;
  const itemSingle = question.questions.length === 1;
  return {
    label: question.label[locale],
    hint: question.hint?.[locale] ?? null,
    notes: [
      ...notesOf(question, questions, options),
      noteT(
        question.required || question.min
          ? 'forms.editor.preview.repeatRules'
          : 'forms.editor.preview.repeatRulesOptional',
        { item: question.itemLabel[locale], min: question.min ?? 1, max: question.max },
      ),
    ],
    // The list page's question, as the journey asks it before anything is added.
    list: {
      idPrefix: `${PREVIEW_ID_PREFIX}-${pageId}-addAnother`,
      name: 'addAnother',
      classes: 'govuk-radios--inline',
      fieldset: {
        legend: { text: journeyT('forms.repeat.addFirst'), classes: 'govuk-fieldset__legend--m' },
      },
      items: [
        { value: 'yes', text: journeyT('forms.yes') },
        { value: 'no', text: journeyT('forms.no') },
      ],
    },
    itemTitle: itemSingle
      ? question.questions[0]!.label[locale]
      : `${question.itemLabel[locale]} 1`,
    itemSingle,
    items: question.questions.map((item) => ({
      field: drawn(item, itemSingle, options),
      notes: notesOf(item, questions, options),
    })),
  };
}

function previewPage(
  page: FormPage,
  index: number,
  questions: Map<string, AnyQuestion>,
  options: PreviewOptions,
): PreviewPage {
  const { locale, noteT } = options;
  const first = page.questions[0]!;
  const kind = first.type === 'file' ? 'file' : first.type === 'repeat' ? 'repeat' : 'questions';
  const single = page.questions.length === 1;
  return {
    number: index + 1,
    id: page.id,
    title: page.title[locale],
    condition: page.when
      ? noteT('forms.editor.preview.pageWhen', {
          condition: describeCondition(page.when, questions, options),
        })
      : null,
    kind,
    single,
    questions:
      kind === 'questions'
        ? page.questions.map((question) => ({
            field: drawn(question, single, options),
            notes: notesOf(question, questions, options),
          }))
        : [],
    file: first.type === 'file' ? filePage(first, options) : null,
    repeat: first.type === 'repeat' ? repeatPage(first, questions, options, page.id) : null,
  };
}

/**
 * A definition as the preview shows it, in one language.
 *
 * @example previewForm(definition, { locale: 'cy', journeyT: welsh, noteT: request.t, anchor: '#preview' })
 */
export function previewForm(definition: FormDefinition, options: PreviewOptions): FormPreview {
  const { locale, journeyT } = options;
  const questions = questionsByName(definition);
  return {
    locale,
    title: definition.title[locale],
    pages: definition.pages.map((page, i) => previewPage(page, i, questions, options)),
    declaration: definition.declaration
      ? {
          title: journeyT('forms.declaration.title'),
          text: definition.declaration[locale],
          agree: {
            idPrefix: `${PREVIEW_ID_PREFIX}-agree`,
            name: 'agree',
            items: [{ value: 'yes', text: journeyT('forms.declaration.agree') }],
          },
        }
      : null,
    confirmation: {
      title: definition.confirmation.title?.[locale] ?? journeyT('forms.confirmation.title'),
      body: definition.confirmation.body[locale],
    },
    texts: {
      continue: journeyT('forms.continue'),
      whatHappensNext: journeyT('forms.confirmation.next'),
      reference: journeyT('forms.confirmation.reference'),
    },
  };
}
