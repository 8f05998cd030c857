/**
 * Matching a number typed into a business's application to the business account applied for:
 * the form asks for the business's Companies House number (or VAT, UTR, charity number); the
 * reference index says whose it is. A number another business account holds is refused; one
 * this account holds matches; one nobody holds yet is added to this account when the applicant
 * administers it (audited, as at `/account/business-numbers`), and otherwise accepted as typed.
 */
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { membershipOf } from '../../agents/index.js';
import { BUSINESS_PARSERS, type BusinessScheme } from '../validation/identifiers.js';
import { addBusinessNumber, businessWithNumber } from './business-numbers.js';

export type BusinessNumberMatch =
  | {
      ok: true;
      /** The number in its normal form. */
      value: string;
      /** `held`: the account already had it; `added`: added to it now; `unclaimed`: nobody holds it. */
      match: 'held' | 'added' | 'unclaimed';
    }
  | { ok: false; reason: 'invalid' | 'held-elsewhere'; detail?: string };

/**
 * Matches a typed number to the business account an application is for. `applicantUserId` is
 * the person applying (the client, when an agent applies): only an administrator of the business
 * adds a number to it. The caller opens the transaction.
 *
 * @example await matchBusinessNumber(trx, { businessId, scheme: 'companies-house', typed: '4567890', applicantUserId, actor })
 */
export async function matchBusinessNumber(
  db: Db,
  input: {
    businessId: string;
    scheme: BusinessScheme;
    typed: string;
    applicantUserId: string;
    actor: Actor;
  },
): Promise<BusinessNumberMatch> {
  const parsed = BUSINESS_PARSERS[input.scheme](input.typed);
  if (!parsed.ok) return { ok: false, reason: 'invalid', detail: parsed.reason };
  const holder = await businessWithNumber(db, input.scheme, parsed.value);
  if (holder === input.businessId) return { ok: true, value: parsed.value, match: 'held' };
  if (holder) return { ok: false, reason: 'held-elsewhere' };
  const role = await membershipOf(db, input.businessId, input.applicantUserId);
  if (role !== 'administrator') return { ok: true, value: parsed.value, match: 'unclaimed' };
  const added = await addBusinessNumber(
    db,
    input.actor,
    input.businessId,
    input.scheme,
    parsed.value,
  );
  // Another transaction took it first: it is then another account's.
  if (!added.ok) return { ok: false, reason: 'held-elsewhere' };
  return { ok: true, value: added.value, match: 'added' };
}
