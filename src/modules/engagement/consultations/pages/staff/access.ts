import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../../../platform/audit/audit.js';
import type { Db } from '../../../../../platform/db/database.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../../../platform/http/types.js';
import type { ConsultationRow } from '../../../db/consultation-tables.js';
import { isConsultationStaff, mayReadResponses } from '../../policies/consultations.js';
import { findConsultation } from '../../queries/consultations.js';

export type StaffUser = CurrentUser & { organisationId: string };

/** A member of a body's consultation staff, or "Page not found". */
export function staffUser(user: CurrentUser): StaffUser {
  if (!isConsultationStaff(user) || !user.organisationId) throw notFound();
  return user as StaffUser;
}

export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/**
 * The consultation in the path when it is the staff member's body's and `may` lets them act on
 * it; otherwise "Page not found" (another body's staff learn nothing of it).
 */
export async function ownConsultation(
  db: Db,
  request: FastifyRequest,
  user: CurrentUser,
  may: (user: CurrentUser | null, organisationId: string) => boolean = mayReadResponses,
): Promise<ConsultationRow> {
  const { id } = request.params as { id: string };
  const consultation = await findConsultation(db, id);
  if (!consultation || !may(user, consultation.organisation_id))
    throw notFound({ consultation: id });
  return consultation;
}
