import type { FieldError } from '../../../platform/errors/errors.js';
import { londonTime } from '../../../platform/time/london.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import type { AwardCriterion, TenderQuestion } from '../db/tables.js';
import { cpvDigits } from '../reference/cpv.js';
import { isRegion } from '../reference/regions.js';

export const MAX_QUESTIONS = 10;
export const MAX_CRITERIA = 8;
export const MAX_CPV = 10;

/** A notice as its form gives it, every field as typed. */
export interface NoticeForm {
  title: string;
  description: string;
  valueMin: string;
  valueMax: string;
  cpvCodes: string;
  region: string;
  smeSuitable: string;
  'clarification-day': string;
  'clarification-month': string;
  'clarification-year': string;
  clarificationTime: string;
  'tender-day': string;
  'tender-month': string;
  'tender-year': string;
  tenderTime: string;
  questions: string;
  criteria: string;
  partners: string[];
}

/** A notice's details once checked. */
export interface NoticeDetails {
  title: string;
  description: string;
  valueMinPence: number;
  valueMaxPence: number;
  cpvCodes: string[];
  region: string;
  smeSuitable: boolean;
  clarificationDeadline: Date;
  tenderDeadline: Date;
  questions: TenderQuestion[];
  criteria: AwardCriterion[];
  partners: string[];
}

const TEXT_FIELDS = [
  'title',
  'description',
  'valueMin',
  'valueMax',
  'cpvCodes',
  'region',
  'smeSuitable',
  'clarification-day',
  'clarification-month',
  'clarification-year',
  'clarificationTime',
  'tender-day',
  'tender-month',
  'tender-year',
  'tenderTime',
  'questions',
  'criteria',
] as const;

/** The form's fields from a request body (missing ones empty). */
export function noticeFormValues(body: unknown): NoticeForm {
  const record = (body ?? {}) as Record<string, unknown>;
  const values = Object.fromEntries(
    TEXT_FIELDS.map((name) => [name, typeof record[name] === 'string' ? record[name].trim() : '']),
  ) as Omit<NoticeForm, 'partners'>;
  const partners = record.partners;
  return {
    ...values,
    partners: (Array.isArray(partners) ? partners : [partners]).filter(
      (p): p is string => typeof p === 'string' && p !== '',
    ),
  };
}

/** The form filled in from a stored notice, for editing it. */
export function formOfNotice(
  notice: Omit<NoticeDetails, 'partners'> & { partners?: string[] },
  london: (instant: Date) => { date: string; time: string },
): NoticeForm {
  const clarification = london(notice.clarificationDeadline);
  const tender = london(notice.tenderDeadline);
  const [cy, cm, cd] = clarification.date.split('-');
  const [ty, tm, td] = tender.date.split('-');
  return {
    title: notice.title,
    description: notice.description,
    valueMin: poundsText(notice.valueMinPence),
    valueMax: poundsText(notice.valueMaxPence),
    cpvCodes: notice.cpvCodes.join(', '),
    region: notice.region,
    smeSuitable: notice.smeSuitable ? 'yes' : 'no',
    'clarification-day': String(Number(cd)),
    'clarification-month': String(Number(cm)),
    'clarification-year': cy!,
    clarificationTime: clarification.time,
    'tender-day': String(Number(td)),
    'tender-month': String(Number(tm)),
    'tender-year': ty!,
    tenderTime: tender.time,
    questions: notice.questions.map((q) => q.text).join('\n'),
    criteria: notice.criteria.map((c) => `${c.name} ${c.weight}`).join('\n'),
    partners: notice.partners ?? [],
  };
}

function poundsText(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}

/**
 * Pounds as people type them ("£1,250,000", "1250000.50") in pence, or null when it is not an
 * amount.
 *
 * @example penceOf('£1,250.50') // 125050
 */
export function penceOf(value: string): number | null {
  const compact = value.replace(/[£,\s]/g, '');
  if (!/^[0-9]{1,11}(\.[0-9]{1,2})?$/.test(compact)) return null;
  const [pounds, pence = ''] = compact.split('.');
  return Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
}

/** "17:00" or "9:30" as hours and minutes, or null. */
function clockOf(value: string): { hour: number; minute: number } | null {
  const match = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/.exec(value.replace(/\s+/g, ''));
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

function deadlineOf(
  form: NoticeForm,
  prefix: 'clarification' | 'tender',
  errors: FieldError[],
): Date | null {
  const date = parseDateParts(
    form[`${prefix}-day`],
    form[`${prefix}-month`],
    form[`${prefix}-year`],
  );
  if ('problem' in date) {
    errors.push({
      field: `${prefix}-day`,
      message: `procurement.notice.${prefix}.${date.problem}`,
    });
    return null;
  }
  const clock = clockOf(form[`${prefix}Time`]);
  if (!clock) {
    errors.push({ field: `${prefix}Time`, message: `procurement.notice.${prefix}.time` });
    return null;
  }
  return londonTime(date.date, clock.hour, clock.minute);
}

/** "Quality 60" or "Social value: 10" as a criterion, or null. */
function criterionOf(line: string): AwardCriterion | null {
  const match = /^(.{1,100}?)[\s:]+([0-9]{1,3})\s*%?$/.exec(line.trim());
  if (!match) return null;
  return { name: match[1]!.trim(), weight: Number(match[2]) };
}

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Checks a notice as typed: every problem in the order of the fields, or the details. Both
 * deadlines must be in the future (London time as typed), the clarification deadline before
 * the tender deadline, the criteria's weights must add up to 100. With `questionsElsewhere` (a
 * notice whose questions are a form definition) the questions one a line are not read.
 */
export function readNoticeForm(
  form: NoticeForm,
  now: Date,
  options: { questionsElsewhere?: boolean } = {},
): { ok: true; details: NoticeDetails } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const need = (field: keyof NoticeForm, max: number) => {
    const value = form[field] as string;
    if (!value) errors.push({ field, message: `procurement.notice.${field}.missing` });
    else if (value.length > max)
      errors.push({ field, message: `procurement.notice.${field}.tooLong` });
  };
  need('title', 200);
  need('description', 20000);
  const valueMin = penceOf(form.valueMin);
  const valueMax = penceOf(form.valueMax);
  if (valueMin === null)
    errors.push({ field: 'valueMin', message: 'procurement.notice.value.invalid' });
  if (valueMax === null)
    errors.push({ field: 'valueMax', message: 'procurement.notice.value.invalid' });
  else if (valueMin !== null && valueMax < valueMin)
    errors.push({ field: 'valueMax', message: 'procurement.notice.value.range' });
  const codes = form.cpvCodes.split(/[\s,;]+/).filter(Boolean);
  const cpvCodes = codes.map(cpvDigits);
  if (codes.length === 0)
    errors.push({ field: 'cpvCodes', message: 'procurement.notice.cpvCodes.missing' });
  else if (cpvCodes.some((c) => c === null))
    errors.push({ field: 'cpvCodes', message: 'procurement.notice.cpvCodes.invalid' });
  else if (codes.length > MAX_CPV)
    errors.push({ field: 'cpvCodes', message: 'procurement.notice.cpvCodes.tooMany' });
  if (!isRegion(form.region))
    errors.push({ field: 'region', message: 'procurement.notice.region.missing' });
  if (form.smeSuitable !== 'yes' && form.smeSuitable !== 'no')
    errors.push({ field: 'smeSuitable', message: 'procurement.notice.smeSuitable.missing' });
  const clarification = deadlineOf(form, 'clarification', errors);
  const tender = deadlineOf(form, 'tender', errors);
  if (clarification && clarification <= now)
    errors.push({ field: 'clarification-day', message: 'procurement.notice.clarification.past' });
  if (tender && tender <= now)
    errors.push({ field: 'tender-day', message: 'procurement.notice.tender.past' });
  else if (clarification && tender && tender <= clarification)
    errors.push({ field: 'tender-day', message: 'procurement.notice.tender.beforeClarification' });
  // A notice whose questions are a forms-engine definition changes them on their own page.
  const questions = options.questionsElsewhere ? [] : linesOf(form.questions);
  if (!options.questionsElsewhere) {
    if (questions.length === 0)
      errors.push({ field: 'questions', message: 'procurement.notice.questions.missing' });
    else if (questions.length > MAX_QUESTIONS || questions.some((q) => q.length > 500))
      errors.push({ field: 'questions', message: 'procurement.notice.questions.tooMany' });
  }
  const criteriaLines = linesOf(form.criteria);
  const criteria = criteriaLines.map(criterionOf);
  if (criteriaLines.length === 0)
    errors.push({ field: 'criteria', message: 'procurement.notice.criteria.missing' });
  else if (criteria.some((c) => c === null) || criteria.length > MAX_CRITERIA)
    errors.push({ field: 'criteria', message: 'procurement.notice.criteria.invalid' });
  else if (criteria.reduce((sum, c) => sum + c!.weight, 0) !== 100)
    errors.push({ field: 'criteria', message: 'procurement.notice.criteria.weights' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    details: {
      title: form.title,
      description: form.description,
      valueMinPence: valueMin!,
      valueMaxPence: valueMax!,
      cpvCodes: [...new Set(cpvCodes as string[])],
      region: form.region,
      smeSuitable: form.smeSuitable === 'yes',
      clarificationDeadline: clarification!,
      tenderDeadline: tender!,
      questions: questions.map((text) => ({ text })),
      criteria: criteria as AwardCriterion[],
      partners: [...new Set(form.partners)],
    },
  };
}
