import { z } from 'zod';
import type { Db } from '../../../platform/db/database.js';
import { businessesToApplyFor } from '../../agents/index.js';
import type { ApplicantBusiness } from '../db/tables.js';
import { isPersonCaller, type ApiCaller } from './auth.js';
import type { HubProblem } from './errors.js';

/**
 * `business` in a submission's body, for a service whose form is for businesses. A body's or an
 * intermediary's key names the business (as it names the applicant); a person's access token
 * says which of the person's own business accounts, by `id` (or leaves it out when they have one).
 */
export const BusinessInBody = z
  .object({
    id: z.uuid().optional(),
    name: z.string().trim().min(1).max(160).optional(),
    type: z.enum(['business', 'charity']).optional(),
    companiesHouseNumber: z
      .string()
      .trim()
      .regex(/^([0-9]{8}|[A-Za-z]{2}[0-9]{6})$/, 'like 01234567 or SC123456')
      .optional(),
    charityNumber: z.string().trim().min(1).max(20).optional(),
  })
  .strict();
export type BusinessInBody = z.infer<typeof BusinessInBody>;

export type BusinessOutcome =
  { ok: true; business: ApplicantBusiness | null } | { ok: false; problems: HubProblem[] };

const FIELD = 'body.business';

/** Who a published form says may apply (`applicant`): a definition is data, read with care. */
export function formApplicant(definition: unknown): 'anyone' | 'business' {
  const applicant = (definition as { applicant?: unknown } | null)?.applicant;
  return applicant === 'business' ? 'business' : 'anyone';
}

function problem(message: string, field = FIELD): BusinessOutcome {
  return { ok: false, problems: [{ field, message }] };
}

/**
 * The business an API submission is for. A form for anyone takes none. A form for businesses
 * needs one: with a key, the business the caller names (recorded as told, like `applicant`);
 * with a person's access token, one of the business or charity accounts the person belongs to
 * (the agents module's rule), which the submission records by its account.
 *
 * @example const business = await businessForSubmission(db, caller, form.definition.applicant, body.business);
 */
export async function businessForSubmission(
  db: Db,
  caller: ApiCaller,
  applicant: 'anyone' | 'business',
  given: BusinessInBody | undefined,
): Promise<BusinessOutcome> {
  if (applicant !== 'business')
    return given === undefined
      ? { ok: true, business: null }
      : problem('Leave out: this service is not only for businesses');
  if (!isPersonCaller(caller)) {
    if (!given?.name)
      return problem(
        'Required: the business or charity this application is for, at least its name',
        given ? `${FIELD}.name` : FIELD,
      );
    if (given.id) return problem('Leave out: name the business instead', `${FIELD}.id`);
    const { name, type, companiesHouseNumber, charityNumber } = given;
    return {
      ok: true,
      business: {
        name,
        ...(type ? { type } : {}),
        ...(companiesHouseNumber
          ? { companiesHouseNumber: companiesHouseNumber.toUpperCase() }
          : {}),
        ...(charityNumber ? { charityNumber } : {}),
      },
    };
  }
  if (given && Object.keys(given).some((key) => key !== 'id'))
    return problem('Give only the id of one of the person’s business accounts');
  const theirs = await businessesToApplyFor(db, caller.userId, { throughAgent: false });
  if (theirs.length === 0)
    return problem(
      'The person has no business or charity account on Joinedup: this service is only for businesses, so they must create one (or be invited to one) first',
    );
  const wanted = given?.id?.toLowerCase();
  const chosen = wanted
    ? theirs.find((b) => b.id === wanted)
    : theirs.length === 1
      ? theirs[0]
      : undefined;
  if (!chosen)
    return problem(
      wanted
        ? 'Not one of the person’s business or charity accounts'
        : 'Required: the id of the person’s business or charity account this is for (they have several)',
      wanted ? `${FIELD}.id` : FIELD,
    );
  return {
    ok: true,
    business: {
      id: chosen.id,
      name: chosen.name,
      type: chosen.type,
      ...(chosen.companiesHouseNumber ? { companiesHouseNumber: chosen.companiesHouseNumber } : {}),
      ...(chosen.charityNumber ? { charityNumber: chosen.charityNumber } : {}),
    },
  };
}
