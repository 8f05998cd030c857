import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { findSubmissionById, findSubmissionIdOfReference } from '../../submissions/index.js';
import type { LinkKind } from '../db/tables.js';

/** The signed-in person as the audit log records them. */
export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.kind === 'staff' ? user.organisationId : null,
    role: user.kind === 'staff' ? (user.roles[0] ?? 'staff') : user.kind,
    requestId: request.id,
  };
}

/** A date from a GOV.UK date input (`<name>-day`, `-month`, `-year`), or null. */
export function formDate(body: unknown, name: string): string | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const part = (p: string) =>
    typeof b[`${name}-${p}`] === 'string' ? (b[`${name}-${p}`] as string) : '';
  const parsed = parseDateParts(part('day'), part('month'), part('year'));
  return 'date' in parsed ? parsed.date : null;
}

/** A form field that may come once or many times (checkboxes), as a list. */
export function listOf(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/**
 * Whether a record a body links is that body's and about the plan's person, resolved through the
 * submissions module's index: an application, or the casework case keyed by its reference.
 * Tell-us-once changes are not linkable yet (the sharing module exposes no look-up by reference).
 */
export function linkResolver(db: Db, personAccountId: string | null) {
  return async (kind: LinkKind, reference: string, organisationId: string): Promise<boolean> => {
    if (kind === 'change') return false;
    const id = await findSubmissionIdOfReference(db, reference);
    const submission = id ? await findSubmissionById(db, id) : undefined;
    return (
      !!submission &&
      submission.organisation_id === organisationId &&
      (personAccountId === null || submission.applicant_user_id === personAccountId)
    );
  };
}

/** A linked record as shown: its reference and, when it still exists, its status. */
export async function resolveLink(db: Db, reference: string): Promise<{ status: string | null }> {
  const id = await findSubmissionIdOfReference(db, reference);
  const submission = id ? await findSubmissionById(db, id) : undefined;
  return { status: submission?.status ?? null };
}
