import { londonDate } from '../../../platform/time/london.js';
import type { NoticeForm } from '../notices/form.js';

/** When a notice's deadlines fall, in days after the moment the form is filled in. */
export interface NoticeDeadlines {
  clarification: number;
  tender: number;
}

/**
 * The staff form of a notice (grounds maintenance of Stroud parks, £100,000 to £250,000, two
 * questions, quality 60 and price 40) as a buyer fills it in at `now`, with its clarification and
 * tender deadlines (17:00 and 12:00, London time) the given days later; `fields` replaces any.
 */
export function noticeForm(
  now: Date,
  fields: Partial<NoticeForm> = {},
  deadlines: NoticeDeadlines = { clarification: 5, tender: 10 },
): NoticeForm {
  const day = (days: number) => {
    const [y, m, d] = londonDate(new Date(now.getTime() + days * 86_400_000)).split('-');
    return { day: String(Number(d)), month: String(Number(m)), year: y! };
  };
  const c = day(deadlines.clarification);
  const t = day(deadlines.tender);
  return {
    title: 'Grounds maintenance of Stroud parks',
    description: 'Mowing, planting and litter picking in the district’s parks.',
    valueMin: '100,000',
    valueMax: '250,000',
    cpvCodes: '90911200, 77313000',
    region: 'E12000009',
    smeSuitable: 'yes',
    'clarification-day': c.day,
    'clarification-month': c.month,
    'clarification-year': c.year,
    clarificationTime: '17:00',
    'tender-day': t.day,
    'tender-month': t.month,
    'tender-year': t.year,
    tenderTime: '12:00',
    questions: 'How will you staff the work?\nHow will you reduce emissions?',
    criteria: 'Quality 60\nPrice 40',
    partners: [],
    ...fields,
  };
}
