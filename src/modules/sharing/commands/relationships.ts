import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { findEnrolledPerson } from '../../enrolment/index.js';
import { findSubmissionForOrganisation } from '../../submissions/index.js';
import type { RelationshipRow } from '../db/tables.js';
import { findDeclared } from '../queries/relationships.js';

/**
 * How a body ties its record to a person: by something exact it already has from Joinedup —
 * the reference of its record the person enrolled into (and activated with the letter's code),
 * or of an application the person sent it. Never a name or a date of birth.
 */
export type RelationshipMatch = { enrolmentReference: string } | { submissionReference: string };

export type DeclareOutcome =
  | { ok: true; relationship: RelationshipRow; created: boolean }
  | { ok: false; code: 'person_not_found' | 'reference_in_use' };

/**
 * A body declares that its record `reference` is the person's. Unknown (no active enrolment,
 * no application of the person to this body with that reference) is `person_not_found`; the
 * reference already tied to someone else is `reference_in_use`. Declaring again is a no-op.
 */
export async function declareRelationship(
  trx: Db,
  organisationId: string,
  input: { reference: string; match: RelationshipMatch; keyId: string | null },
  actor: Actor,
): Promise<DeclareOutcome> {
  const person =
    'enrolmentReference' in input.match
      ? (await findEnrolledPerson(trx, organisationId, input.match.enrolmentReference))?.userId
      : (await findSubmissionForOrganisation(trx, input.match.submissionReference, organisationId))
          ?.applicant_user_id;
  if (!person) return { ok: false, code: 'person_not_found' };
  const existing = await findDeclared(trx, organisationId, input.reference);
  if (existing)
    return existing.user_id === person
      ? { ok: true, relationship: existing, created: false }
      : { ok: false, code: 'reference_in_use' };
  const matchedBy = 'enrolmentReference' in input.match ? 'enrolment' : 'submission';
  const matchedReference =
    'enrolmentReference' in input.match
      ? input.match.enrolmentReference
      : input.match.submissionReference;
  const relationship = await trx
    .insertInto('sharing_relationships')
    .values({
      organisation_id: organisationId,
      user_id: person,
      body_reference: input.reference,
      matched_by: matchedBy,
      matched_reference: matchedReference,
      declared_by_key_id: input.keyId,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'body_reference']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!relationship) return { ok: false, code: 'reference_in_use' };
  await recordAudit(trx, actor, {
    action: 'sharing.relationship.declared',
    resourceType: 'sharing_relationship',
    resourceId: relationship.id,
    subjectUserId: person,
    details: { organisationId, reference: input.reference, matchedBy, matchedReference },
  });
  return { ok: true, relationship, created: true };
}

/** The body ends its declared relationship with its record `reference`; false if there was none. */
export async function endRelationship(
  trx: Db,
  organisationId: string,
  reference: string,
  actor: Actor,
): Promise<boolean> {
  const ended = await trx
    .deleteFrom('sharing_relationships')
    .where('organisation_id', '=', organisationId)
    .where('body_reference', '=', reference)
    .returningAll()
    .executeTakeFirst();
  if (!ended) return false;
  await recordAudit(trx, actor, {
    action: 'sharing.relationship.ended',
    resourceType: 'sharing_relationship',
    resourceId: ended.id,
    subjectUserId: ended.user_id,
    details: { organisationId, reference },
  });
  return true;
}
