import type { Db } from '../../../platform/db/database.js';
import { activeEnrolments } from '../../enrolment/index.js';
import { listForApplicant } from '../../submissions/index.js';
import type { RelationshipRow } from '../db/tables.js';

/** A body a person deals with, and the body's own reference for them where one is known. */
export interface Relationship {
  organisationId: string;
  /** The body's reference to give with a change: its record, or the latest application. */
  bodyReference: string | null;
  /** How Joinedup knows: `enrolment`, `application`, `declared` (by the body, through the API). */
  sources: ('enrolment' | 'application' | 'declared')[];
}

/**
 * The bodies a person deals with, from what is exact: records they enrolled into, applications
 * they sent (a case is the application's, so its body is already here) and records bodies
 * declared through the API. A body's declared reference comes first, then the enrolled
 * record's, then the latest application's.
 */
export async function relationshipsOf(db: Db, userId: string): Promise<Relationship[]> {
  const found = new Map<string, Relationship>();
  const add = (
    organisationId: string,
    source: Relationship['sources'][number],
    reference: string,
  ) => {
    const known = found.get(organisationId) ?? { organisationId, bodyReference: null, sources: [] };
    if (!known.sources.includes(source)) known.sources.push(source);
    known.bodyReference ??= reference;
    found.set(organisationId, known);
  };
  for (const declared of await declaredRelationshipsOf(db, userId))
    add(declared.organisation_id, 'declared', declared.body_reference);
  for (const enrolment of await activeEnrolments(db, userId))
    add(enrolment.organisationId, 'enrolment', enrolment.reference);
  // Newest first: the first seen for a body is its latest application.
  for (const submission of await listForApplicant(db, userId))
    add(submission.organisation_id, 'application', submission.reference);
  return [...found.values()];
}

export async function declaredRelationshipsOf(db: Db, userId: string): Promise<RelationshipRow[]> {
  return db
    .selectFrom('sharing_relationships')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function findDeclared(
  db: Db,
  organisationId: string,
  bodyReference: string,
): Promise<RelationshipRow | undefined> {
  return db
    .selectFrom('sharing_relationships')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('body_reference', '=', bodyReference)
    .executeTakeFirst();
}
