import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';

export interface AuditLogTable {
  id: import('kysely').Generated<number>;
  occurred_at: import('kysely').Generated<Date>;
  action: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  actor_role: string | null;
  subject_user_id: string | null;
  resource_type: string;
  resource_id: string;
  request_id: string | null;
  details: import('kysely').ColumnType<Record<string, unknown>, string | undefined, never>;
}

declare module '../db/database.js' {
  interface Database {
    audit_log: AuditLogTable;
  }
}

export type AuditEntry = Selectable<AuditLogTable>;

/** Who did something: a signed-in person, or the platform itself (actorUserId null). */
export interface Actor {
  userId: string | null;
  organisationId: string | null;
  role: string | null;
  requestId?: string | undefined;
}

/**
 * Appends one entry to the audit log, in the caller's transaction so the entry and the change
 * it records stand or fall together. The table refuses updates and deletes.
 */
export async function recordAudit(
  db: Db,
  actor: Actor,
  entry: {
    action: string;
    resourceType: string;
    resourceId: string;
    subjectUserId: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      action: entry.action,
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      actor_role: actor.role,
      subject_user_id: entry.subjectUserId,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      request_id: actor.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Entries about one resource, oldest first: what a person sees of who looked at their record. */
export async function auditForResource(
  db: Db,
  resourceType: string,
  resourceId: string,
): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('resource_type', '=', resourceType)
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute();
}
