import { formatDate, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import type { Resolution, ResolveProblem } from '../../address/index.js';

/** A postcode that gives no body, as `resolveProvider` answers it. */
export type PostcodeFailure = Extract<Resolution, { ok: false }>;

/** The one message for each reason a postcode gives no body, shared by every catalogue page. */
export const POSTCODE_PROBLEM_KEYS: Record<ResolveProblem, string> = {
  required: 'catalogue.postcodeProblem.required',
  malformed: 'catalogue.postcodeProblem.malformed',
  unknown: 'catalogue.postcodeProblem.unknown',
  terminated: 'catalogue.postcodeProblem.terminated',
  'non-geographic': 'catalogue.postcodeProblem.nonGeographic',
  'no-authority': 'catalogue.postcodeProblem.noAuthority',
};

/** ONSPD's 'YYYYMM' as a month and year ('April 2015', 'Ebrill 2015'); anything else as it is. */
function monthOf(yyyymm: string | undefined, locale: Locale): string {
  if (!yyyymm || !/^\d{6}$/.test(yyyymm)) return yyyymm ?? '';
  return formatDate(`${yyyymm.slice(0, 4)}-${yyyymm.slice(4)}-01`, locale).replace(/^1 /, '');
}

/**
 * The GOV.UK error summary and the error on the `postcode` field for a postcode that gives no
 * body, to spread into the view of a page that asked for one (and answers 400). The postcode is
 * shown as the directory writes it when it was read, otherwise as the person typed it.
 *
 * @example
 *   const resolution = await resolveProvider(db, typed, tier);
 *   if (!resolution.ok)
 *     return reply.code(400).view(VIEW, { ...common, ...postcodeProblemView(resolution, typed, request) });
 */
export function postcodeProblemView(
  failure: PostcodeFailure,
  typed: string,
  { t, locale }: { t: Translate; locale: Locale },
) {
  const text = t(POSTCODE_PROBLEM_KEYS[failure.problem], {
    postcode: failure.postcode ?? typed.trim(),
    date: monthOf(failure.terminated, locale),
  });
  return {
    errorList: [{ text, href: '#postcode' }],
    fieldErrors: {
      postcode: { text, visuallyHiddenText: t('layout.errorPrefix').replace(/:$/, '') },
    },
  };
}

/** What {@link postcodeProblemView} gives a page's view. */
export type PostcodeProblemView = ReturnType<typeof postcodeProblemView>;
