import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';
import type { HubCaller } from '../../submissions/index.js';
import type { ConsentState, EvidenceTypeRow } from '../db/tables.js';

/** A body's service owners (and its admins) publish and manage its evidence types; so may the platform admin. */
export function mayManageEvidence(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner') || isPlatformAdmin(user);
}

/** Only the answering body's own system (its hub `receive` key) answers its requests and keeps its tables. */
export function mayAnswerFor(caller: HubCaller | null, organisationId: string): boolean {
  return !!caller && caller.scope === 'receive' && caller.organisationId === organisationId;
}

/** Why a request may not be sent to the answering body. */
export type NotSentReason =
  'no-legal-basis' | 'no-consent' | 'consent-withdrawn' | 'type-withdrawn' | 'no-answer-in-time';

/**
 * The rule every request passes before it is sent, and again at the moment of sending: the type
 * is published with a legal basis (its text and its reference) and, where it needs consent,
 * the person's consent is given and not withdrawn. Null when it may be sent.
 */
export function whyNotSent(
  type: Pick<
    EvidenceTypeRow,
    'status' | 'legal_basis' | 'legal_basis_reference' | 'consent_needed'
  >,
  consent: ConsentState,
): NotSentReason | null {
  if (type.status !== 'published') return 'type-withdrawn';
  if (!type.legal_basis.trim() || !type.legal_basis_reference.trim()) return 'no-legal-basis';
  if (type.consent_needed) {
    if (consent === 'withdrawn') return 'consent-withdrawn';
    if (consent !== 'given') return 'no-consent';
  }
  return null;
}
