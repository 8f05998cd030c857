/**
 * Workflow versions: the platform's shipped workflows, and a body's own written by its service
 * owners. A change is a draft; publishing it makes a new version that new cases follow, while
 * cases in flight keep the version they were opened on (`cases.workflow_id`).
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { canManageWorkflows } from '../policies/cases.js';
import { publishedWorkflow } from '../queries/workflows.js';
import { bundledWorkflows } from '../workflow/bundled.js';
import { parseWorkflowDefinition } from '../workflow/schema.js';
import { auditActor, type CaseActor } from './actor.js';

/** The platform itself, as the actor of shipping workflows and seeding. */
const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };

/** JSON with its keys sorted, so a definition read back from jsonb compares equal to its file. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Publishes each shipped workflow (workflow/definitions/*.json) as the platform's: version 1 the
 * first time, and a new version whenever the file has changed since. Idempotent and safe when
 * several nodes start at once (the unique index decides; the loser inserts nothing). Returns the
 * keys it published.
 */
export async function ensurePlatformWorkflows(db: Db): Promise<string[]> {
  const published: string[] = [];
  for (const definition of await bundledWorkflows()) {
    const latest = await db
      .selectFrom('workflow_versions')
      .select(['id', 'version', 'definition'])
      .where('organisation_id', 'is', null)
      .where('key', '=', definition.key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && canonical(latest.definition) === canonical(definition)) continue;
    const version = (latest?.version ?? 0) + 1;
    const inserted = await db
      .insertInto('workflow_versions')
      .values({
        organisation_id: null,
        key: definition.key,
        version,
        definition: JSON.stringify(definition),
        status: 'published',
        published_at: sql<Date>`now()`,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    if (latest)
      await db
        .updateTable('workflow_versions')
        .set({ status: 'retired' })
        .where('id', '=', latest.id)
        .execute();
    await recordAudit(db, PLATFORM, {
      action: 'casework.workflow_published',
      resourceType: 'workflow_version',
      resourceId: inserted.id,
      subjectUserId: null,
      details: { key: definition.key, version, source: 'bundled' },
    });
    published.push(definition.key);
  }
  return published;
}

/**
 * Saves a body's workflow as a draft: over its latest version if that is still a draft, else as
 * the next version. Checked first (`parseWorkflowDefinition`): nothing is stored unless it is a
 * whole, meaningful workflow. Only the body's service owners may; for anyone else it is "not found".
 *
 * @example await saveWorkflowDraft(trx, { organisationId, definition: JSON.parse(text) }, actor)
 */
export async function saveWorkflowDraft(
  trx: Db,
  input: { organisationId: string; definition: unknown },
  actor: CaseActor,
): Promise<
  { ok: true; id: string; key: string; version: number } | { ok: false; errors: FieldError[] }
> {
  if (!canManageWorkflows(actor.user, input.organisationId))
    throw notFound({ reason: 'not a service owner of this body', userId: actor.user.id });
  const checked = parseWorkflowDefinition(input.definition);
  if (!checked.ok) return checked;
  const { definition } = checked;
  // One version number at a time per body and key, on PostgreSQL and PGlite alike.
  await sql`select pg_advisory_xact_lock(hashtext(${`workflow_versions:${input.organisationId}:${definition.key}`}))`.execute(
    trx,
  );
  const latest = await trx
    .selectFrom('workflow_versions')
    .select(['id', 'version', 'status'])
    .where('organisation_id', '=', input.organisationId)
    .where('key', '=', definition.key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  let saved: { id: string; version: number };
  if (latest?.status === 'draft') {
    await trx
      .updateTable('workflow_versions')
      .set({ definition: JSON.stringify(definition), created_by: actor.user.id })
      .where('id', '=', latest.id)
      .execute();
    saved = latest;
  } else {
    const version = (latest?.version ?? 0) + 1;
    const row = await trx
      .insertInto('workflow_versions')
      .values({
        organisation_id: input.organisationId,
        key: definition.key,
        version,
        definition: JSON.stringify(definition),
        status: 'draft',
        created_by: actor.user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    saved = { id: row.id, version };
  }
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.workflow_draft_saved',
    resourceType: 'workflow_version',
    resourceId: saved.id,
    subjectUserId: null,
    details: { key: definition.key, version: saved.version },
  });
  return { ok: true, id: saved.id, key: definition.key, version: saved.version };
}

/**
 * Publishes a body's draft version: new cases follow it from now on, and the version published
 * before it is retired. Cases already open keep theirs. A version that is not a draft (or not
 * this body's) is refused with `casework.workflows.notDraft`.
 */
export async function publishWorkflow(
  trx: Db,
  workflowId: string,
  actor: CaseActor,
): Promise<{ ok: true; key: string; version: number } | { ok: false; errors: FieldError[] }> {
  const row = await trx
    .selectFrom('workflow_versions')
    .select(['id', 'key', 'version', 'status', 'organisation_id'])
    .where('id', '=', workflowId)
    .forUpdate()
    .executeTakeFirst();
  if (!row?.organisation_id || !canManageWorkflows(actor.user, row.organisation_id))
    throw notFound({ reason: 'not a workflow of this body', workflowId, userId: actor.user.id });
  if (row.status !== 'draft')
    return { ok: false, errors: [{ field: 'workflow', message: 'casework.workflows.notDraft' }] };
  await trx
    .updateTable('workflow_versions')
    .set({ status: 'retired' })
    .where('organisation_id', '=', row.organisation_id)
    .where('key', '=', row.key)
    .where('status', '=', 'published')
    .execute();
  await trx
    .updateTable('workflow_versions')
    .set({ status: 'published', published_at: sql<Date>`now()` })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.workflow_published',
    resourceType: 'workflow_version',
    resourceId: row.id,
    subjectUserId: null,
    details: { key: row.key, version: row.version },
  });
  return { ok: true, key: row.key, version: row.version };
}

async function storeServiceWorkflow(
  trx: Db,
  serviceId: string,
  key: string,
  userId: string | null,
) {
  await trx
    .insertInto('service_workflows')
    .values({ service_id: serviceId, workflow_key: key, updated_by: userId })
    .onConflict((oc) =>
      oc.column('service_id').doUpdateSet({
        workflow_key: key,
        updated_by: userId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/**
 * Chooses the workflow a service's new cases follow, by key: one the service's body has
 * published, or the platform's. Only the body's service owners may; a key with no published
 * version is refused (`casework.workflows.unknownKey`), as no case could be opened on it.
 * Must be called with a transaction (`trx`), and reads the catalogue through it.
 */
export async function setServiceWorkflow(
  trx: Db,
  serviceId: string,
  key: string,
  actor: CaseActor,
): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
  const service = await findPublishedServiceById(trx, serviceId, 'en');
  if (!service || !canManageWorkflows(actor.user, service.organisation.id))
    throw notFound({ reason: 'not a service of this body', serviceId, userId: actor.user.id });
  if (!(await publishedWorkflow(trx, service.organisation.id, key)))
    return { ok: false, errors: [{ field: 'workflow', message: 'casework.workflows.unknownKey' }] };
  await storeServiceWorkflow(trx, serviceId, key, actor.user.id);
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.service_workflow_set',
    resourceType: 'service',
    resourceId: serviceId,
    subjectUserId: null,
    details: { workflow: key },
  });
  return { ok: true };
}

/**
 * The demo: the platform's workflows, and the bulky waste service on `bulky-waste` (approval
 * books a collection date). Called by `src/main/seed.ts` in its transaction.
 */
export async function seedDemoWorkflows(trx: Db, bulkyWasteServiceId: string): Promise<void> {
  await ensurePlatformWorkflows(trx);
  await storeServiceWorkflow(trx, bulkyWasteServiceId, 'bulky-waste', null);
  await recordAudit(trx, PLATFORM, {
    action: 'casework.service_workflow_set',
    resourceType: 'service',
    resourceId: bulkyWasteServiceId,
    subjectUserId: null,
    details: { workflow: 'bulky-waste', source: 'demo' },
  });
}
