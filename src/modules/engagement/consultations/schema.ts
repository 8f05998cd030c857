/**
 * What a consultation is, as data: the zod schema every published consultation passes, the
 * reading of the staff form into that data, and the pure rules of when one takes responses.
 * No database here, so each rule is tested on its own.
 */
import { z } from 'zod';
import type { FieldError } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { parseDateParts, ukToday } from '../../../platform/validation/validators.js';
import { hasQuestionForm, type StoredQuestions } from './questions.js';
import { CONSULTATION_TOPICS, isConsultationTopic } from './topics.js';

/** Message keys are the zod messages, so an issue becomes a GOV.UK error as it stands. */
const M = 'consultations.publish.';

/** The most questions one consultation asks, and so the question slots on the staff form. */
export const MAX_QUESTIONS = 5;
export const MAX_OPTIONS = 10;

const questionText = z.string().min(1, `${M}question.missing`).max(300, `${M}question.tooLong`);

/** The question in Welsh, when the body gives it (shown to people reading in Welsh). */
const questionTextCy = z
  .string()
  .min(1, `${M}questionCy.missing`)
  .max(300, `${M}questionCy.tooLong`)
  .optional();

/** The question in easy read, when the body gives it (shown to people reading the easy read). */
const questionTextEasy = z
  .string()
  .min(1, `${M}questionEasy.missing`)
  .max(300, `${M}questionEasy.tooLong`)
  .optional();

/**
 * A question: free text, or one choice from 2–10 options. Optionally in Welsh: the question's
 * text and, for a choice, the options in the same order (all of them, or none). An answer is
 * always stored as the English option, so counts do not depend on the language answered in.
 */
export const questionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: questionText,
    textCy: questionTextCy,
    textEasy: questionTextEasy,
  }),
  z
    .object({
      kind: z.literal('choice'),
      text: questionText,
      textCy: questionTextCy,
      textEasy: questionTextEasy,
      options: z
        .array(z.string().min(1).max(100, `${M}options.tooLong`))
        .min(2, `${M}options.tooFew`)
        .max(MAX_OPTIONS, `${M}options.tooMany`)
        .refine((o) => new Set(o).size === o.length, `${M}options.duplicate`),
      optionsCy: z.array(z.string().min(1).max(100, `${M}optionsCy.tooLong`)).optional(),
    })
    .refine((q) => !q.optionsCy || q.optionsCy.length === q.options.length, {
      message: `${M}optionsCy.count`,
      path: ['optionsCy'],
    }),
]);
export type Question = z.infer<typeof questionSchema>;

/** The most pages a consultation document (or its Welsh or easy read version) has. */
export const MAX_PAGES = 20;
export const PAGE_TITLE_LIMIT = 120;

/** A line starting a page: `# ` then the page's title. */
const PAGE_HEADING = /^#[ \t]+(\S.*)$/;

/** One page of a consultation document: its title (null for text before any title) and text. */
export interface DocumentPage {
  title: string | null;
  body: string;
}

/**
 * A document's pages. A line `# Title` starts a page; a document with no such line is one
 * page without a title (as every consultation published before pages existed). Text before
 * the first title, if any, is an untitled first page.
 *
 * @example documentPages('# Why\nBecause.\n\n# What\nThis.') // two pages, "Why" and "What"
 */
export function documentPages(text: string): DocumentPage[] {
  const pages: DocumentPage[] = [];
  let current: { title: string | null; lines: string[] } = { title: null, lines: [] };
  const close = () => {
    const body = current.lines.join('\n').trim();
    if (current.title !== null || body) pages.push({ title: current.title, body });
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = PAGE_HEADING.exec(line);
    if (heading) {
      close();
      current = { title: heading[1]!.trim(), lines: [] };
    } else current.lines.push(line);
  }
  close();
  return pages.length > 0 ? pages : [{ title: null, body: '' }];
}

/** What is wrong with a document's pages (a message key's last part), or null. */
export function pagesProblem(text: string): string | null {
  const pages = documentPages(text);
  if (pages.length > MAX_PAGES) return 'tooMany';
  if (pages.length > 1 && pages[0]!.title === null) return 'beforeFirst';
  if (pages.some((p) => p.title !== null && p.title.length > PAGE_TITLE_LIMIT))
    return 'titleTooLong';
  if (pages.some((p) => p.body === '')) return 'empty';
  return null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A postcode district (outward code), e.g. GL5 or SW1A. */
const DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** A consultation as a body publishes it. */
export const consultationSchema = z
  .object({
    title: z.string().min(1, `${M}title.missing`).max(150, `${M}title.tooLong`),
    summary: z.string().min(1, `${M}summary.missing`).max(600, `${M}summary.tooLong`),
    body: z.string().min(1, `${M}body.missing`).max(20000, `${M}body.tooLong`),
    audience: z.string().min(1, `${M}audience.missing`).max(500, `${M}audience.tooLong`),
    topic: z.enum(CONSULTATION_TOPICS, { message: `${M}topic.missing` }),
    opensOn: z.string().regex(DAY, `${M}opensOn.invalid`),
    closesOn: z.string().regex(DAY, `${M}closesOn.invalid`),
    districts: z
      .array(z.string().regex(DISTRICT, `${M}districts.invalid`))
      .max(200, `${M}districts.tooMany`),
    signInRequired: z.boolean(),
    /** Null when editing a consultation whose questions are a form of their own: they stay. */
    questions: z
      .array(questionSchema)
      .min(1, `${M}questions.missing`)
      .max(MAX_QUESTIONS)
      .nullable(),
    // The optional versions: in Welsh (all three or none) and easy read.
    titleCy: z.string().max(150, `${M}titleCy.tooLong`).nullish(),
    summaryCy: z.string().max(600, `${M}summaryCy.tooLong`).nullish(),
    bodyCy: z.string().max(20000, `${M}bodyCy.tooLong`).nullish(),
    easyRead: z.string().max(20000, `${M}easyRead.tooLong`).nullish(),
  })
  .refine((c) => c.closesOn >= c.opensOn, {
    message: `${M}closesOn.beforeOpens`,
    path: ['closesOn'],
  })
  .superRefine((c, ctx) => {
    for (const field of ['body', 'bodyCy', 'easyRead'] as const) {
      const text = c[field];
      const problem = text ? pagesProblem(text) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: `${M}pages.${problem}`, path: [field] });
    }
    if (c.bodyCy && documentPages(c.bodyCy).length !== documentPages(c.body).length)
      ctx.addIssue({ code: 'custom', message: `${M}pages.welshCount`, path: ['bodyCy'] });
  })
  .superRefine((c, ctx) => {
    const welsh = [c.titleCy, c.summaryCy, c.bodyCy];
    if (welsh.every((v) => v == null) || welsh.every((v) => v != null)) return;
    for (const [field, value] of [
      ['titleCy', c.titleCy],
      ['summaryCy', c.summaryCy],
      ['bodyCy', c.bodyCy],
    ] as const)
      if (value == null)
        ctx.addIssue({ code: 'custom', message: `${M}${field}.missing`, path: [field] });
  });
export type ConsultationInput = z.infer<typeof consultationSchema>;

/** The staff form as typed, for showing it again. */
export type PublishForm = Record<string, string>;

export function publishFormValues(body: unknown): PublishForm {
  const names = [
    'title',
    'summary',
    'body',
    'audience',
    'topic',
    'area',
    'districts',
    'signIn',
    'titleCy',
    'summaryCy',
    'bodyCy',
    'easyRead',
    ...['opensOn', 'closesOn'].flatMap((d) => [`${d}-day`, `${d}-month`, `${d}-year`]),
  ];
  for (let i = 1; i <= MAX_QUESTIONS; i++)
    names.push(
      `q${i}-text`,
      `q${i}-kind`,
      `q${i}-options`,
      `q${i}-textCy`,
      `q${i}-optionsCy`,
      `q${i}-textEasy`,
    );
  return Object.fromEntries(names.map((n) => [n, formText(body, n)]));
}

/** The field a zod issue belongs to on the staff form (its id, for the error summary's link). */
function fieldOf(path: readonly PropertyKey[], questionSlots: number[]): string {
  const [first, index, second] = path;
  if (first === 'opensOn' || first === 'closesOn') return `${first}-day`;
  if (first === 'districts') return 'districts';
  if (first === 'questions' && typeof index === 'number') {
    const slot = questionSlots[index] ?? 1;
    if (
      second === 'options' ||
      second === 'optionsCy' ||
      second === 'textCy' ||
      second === 'textEasy'
    )
      return `q${slot}-${second}`;
    return `q${slot}-text`;
  }
  if (first === 'questions') return 'q1-text';
  return String(first);
}

/**
 * Reads the staff form into a consultation and validates it with {@link consultationSchema}.
 * Question slots left wholly blank are skipped; options are one a line; districts are
 * separated by commas, spaces or lines. The opening day may not be in the past.
 */
export function readPublishForm(
  values: PublishForm,
  now = new Date(),
  /** When editing: the opening day already set, which may stay even once it is past. */
  keepOpensOn?: string,
  /** When editing a consultation whose questions are a form of their own (not on this form). */
  questionsElsewhere = false,
): { ok: true; consultation: ConsultationInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const day = (name: 'opensOn' | 'closesOn'): string => {
    const parsed = parseDateParts(
      values[`${name}-day`]!,
      values[`${name}-month`]!,
      values[`${name}-year`]!,
    );
    if ('problem' in parsed) {
      errors.push({ field: `${name}-day`, message: `${M}${name}.${parsed.problem}` });
      return '';
    }
    return parsed.date;
  };
  const opensOn = day('opensOn');
  const closesOn = day('closesOn');
  if (opensOn && opensOn < ukToday(now) && opensOn !== keepOpensOn)
    errors.push({ field: 'opensOn-day', message: `${M}opensOn.past` });
  if (values.area !== 'country' && values.area !== 'districts')
    errors.push({ field: 'area', message: `${M}area.missing` });
  const districts =
    values.area === 'districts'
      ? [
          ...new Set(
            values
              .districts!.toUpperCase()
              .split(/[\s,]+/)
              .filter(Boolean),
          ),
        ]
      : [];
  if (values.area === 'districts' && districts.length === 0)
    errors.push({ field: 'districts', message: `${M}districts.missing` });
  if (values.signIn !== 'yes' && values.signIn !== 'no')
    errors.push({ field: 'signIn', message: `${M}signIn.missing` });
  // Checked here, not only by the schema: a value off the list would stop zod's other checks.
  const topic = isConsultationTopic(values.topic!) ? values.topic : null;
  if (!topic) errors.push({ field: 'topic', message: `${M}topic.missing` });
  const slots: number[] = [];
  const questions: unknown[] = [];
  for (let i = 1; i <= (questionsElsewhere ? 0 : MAX_QUESTIONS); i++) {
    const text = values[`q${i}-text`]!;
    const kind = values[`q${i}-kind`]!;
    const lines = (name: string) =>
      (values[name] ?? '')
        .split(/\r?\n/)
        .map((o) => o.trim())
        .filter(Boolean);
    const options = lines(`q${i}-options`);
    const textCy = (values[`q${i}-textCy`] ?? '').trim() || undefined;
    const optionsCy = lines(`q${i}-optionsCy`);
    const textEasy = (values[`q${i}-textEasy`] ?? '').trim() || undefined;
    if (!text && !kind && options.length === 0 && !textCy && optionsCy.length === 0 && !textEasy)
      continue;
    if (kind !== 'text' && kind !== 'choice') {
      errors.push({ field: `q${i}-kind`, message: `${M}kind.missing` });
      continue;
    }
    slots.push(i);
    questions.push(
      kind === 'text'
        ? { kind, text, ...(textCy ? { textCy } : {}), ...(textEasy ? { textEasy } : {}) }
        : {
            kind,
            text,
            options,
            ...(textCy ? { textCy } : {}),
            ...(textEasy ? { textEasy } : {}),
            ...(optionsCy.length > 0 ? { optionsCy } : {}),
          },
    );
  }
  const parsed = consultationSchema.safeParse({
    title: values.title,
    summary: values.summary,
    body: values.body,
    audience: values.audience,
    topic: topic ?? 'other',
    opensOn: opensOn || '0000-00-00',
    closesOn: closesOn || '9999-99-99',
    districts,
    signInRequired: values.signIn === 'yes',
    questions: questionsElsewhere ? null : questions,
    titleCy: values.titleCy || null,
    summaryCy: values.summaryCy || null,
    bodyCy: values.bodyCy || null,
    easyRead: values.easyRead || null,
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path, slots);
      // A date already reported as unreadable is not reported again.
      if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
    }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, consultation: parsed.data };
}

/**
 * Where a consultation stands on a day: taking responses from its first to its last London day,
 * unless its body withdrew it.
 */
export type ConsultationStatus = 'upcoming' | 'open' | 'closed' | 'withdrawn';

export function consultationStatus(
  consultation: { opens_on: string; closes_on: string; withdrawn_at?: Date | null },
  now: Date,
): ConsultationStatus {
  if (consultation.withdrawn_at) return 'withdrawn';
  const today = ukToday(now);
  if (today < consultation.opens_on) return 'upcoming';
  return today > consultation.closes_on ? 'closed' : 'open';
}

/** A published consultation as the staff form's values, for editing it. */
export function formValuesOf(consultation: {
  title: string;
  summary: string;
  body: string;
  audience: string;
  topic: string;
  opens_on: string;
  closes_on: string;
  area_districts: string[];
  sign_in_required: boolean;
  questions: StoredQuestions;
  title_cy: string | null;
  summary_cy: string | null;
  body_cy: string | null;
  easy_read: string | null;
}): PublishForm {
  const values: PublishForm = {
    title: consultation.title,
    summary: consultation.summary,
    body: consultation.body,
    audience: consultation.audience,
    topic: consultation.topic,
    area: consultation.area_districts.length > 0 ? 'districts' : 'country',
    districts: consultation.area_districts.join(', '),
    signIn: consultation.sign_in_required ? 'yes' : 'no',
    titleCy: consultation.title_cy ?? '',
    summaryCy: consultation.summary_cy ?? '',
    bodyCy: consultation.body_cy ?? '',
    easyRead: consultation.easy_read ?? '',
  };
  for (const [name, date] of [
    ['opensOn', consultation.opens_on],
    ['closesOn', consultation.closes_on],
  ] as const) {
    const [year, month, day] = date.split('-');
    values[`${name}-day`] = String(Number(day));
    values[`${name}-month`] = String(Number(month));
    values[`${name}-year`] = year!;
  }
  // A form of its own is edited on the questions page, not in the slots.
  if (hasQuestionForm(consultation.questions)) return values;
  consultation.questions.forEach((q, i) => {
    values[`q${i + 1}-text`] = q.text;
    values[`q${i + 1}-kind`] = q.kind;
    values[`q${i + 1}-options`] = q.kind === 'choice' ? q.options.join('\n') : '';
    values[`q${i + 1}-textCy`] = q.textCy ?? '';
    values[`q${i + 1}-textEasy`] = q.textEasy ?? '';
    values[`q${i + 1}-optionsCy`] = q.kind === 'choice' ? (q.optionsCy ?? []).join('\n') : '';
  });
  return values;
}
