import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { findSubmissionById, findSubmissionIdOfReference } from '../../submissions/index.js';
import { changeForBody, type ChangeForBody } from '../../sharing/index.js';
import type { CasePlanLinkRow, LinkKind } from '../db/tables.js';

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
 * owning module's index: an application, or the casework case keyed by its reference
 * (submissions); a tell-us-once change the person told and the body received (sharing). A change
 * needs the person's account: without one nothing shows it is about them, so it is refused.
 */
export function linkResolver(db: Db, personAccountId: string | null) {
  return async (kind: LinkKind, reference: string, organisationId: string): Promise<boolean> => {
    if (kind === 'change')
      return (
        personAccountId !== null &&
        !!(await changeForBody(db, { reference, organisationId, userId: personAccountId }))
      );
    const id = await findSubmissionIdOfReference(db, reference);
    const submission = id ? await findSubmissionById(db, id) : undefined;
    return (
      !!submission &&
      submission.organisation_id === organisationId &&
      (personAccountId === null || submission.applicant_user_id === personAccountId)
    );
  };
}

/**
 * A linked record as shown, resolved afresh each time (never copied): an application's or
 * case's status; a change's kind, when it was reported and where the linking body's copy stands.
 * `available: false` when it resolves to nothing any more (deleted, or no longer the body's).
 */
export type ResolvedLink =
  | { available: false }
  | { available: true; kind: 'submission' | 'case'; status: string }
  | {
      available: true;
      kind: 'change';
      changeKind: ChangeForBody['kind'];
      reportedAt: Date;
      status: ChangeForBody['status'];
    };

/** Resolves a link of the plan of the person with that account (null if the plan has none). */
export async function resolveLink(
  db: Db,
  link: Pick<CasePlanLinkRow, 'kind' | 'reference' | 'organisation_id'>,
  personAccountId: string | null,
): Promise<ResolvedLink> {
  if (link.kind === 'change') {
    const change = personAccountId
      ? await changeForBody(db, {
          reference: link.reference,
          organisationId: link.organisation_id,
          userId: personAccountId,
        })
      : undefined;
    return change
      ? {
          available: true,
          kind: 'change',
          changeKind: change.kind,
          reportedAt: change.reportedAt,
          status: change.status,
        }
      : { available: false };
  }
  const id = await findSubmissionIdOfReference(db, link.reference);
  const submission = id ? await findSubmissionById(db, id) : undefined;
  return submission
    ? { available: true, kind: link.kind, status: submission.status }
    : { available: false };
}
