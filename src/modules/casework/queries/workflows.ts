/**
 * Reading workflow versions. A case keeps the exact version it was opened on (its `workflow_id`),
 * so a version once published never changes and is parsed once per process.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { WorkflowStatus, WorkflowVersionRow } from '../db/tables.js';
import { DEFAULT_WORKFLOW } from '../workflow/bundled.js';
import {
  parseWorkflowDefinition,
  type Bilingual,
  type WorkflowDefinition,
} from '../workflow/schema.js';

/** Parsed published or retired versions by row id (drafts change, so they are never kept). */
const parsed = new Map<string, WorkflowDefinition>();
const CACHE_LIMIT = 500;

function definitionOf(row: Pick<WorkflowVersionRow, 'id' | 'definition' | 'status'>) {
  const cached = parsed.get(row.id);
  if (cached) return cached;
  const checked = parseWorkflowDefinition(row.definition);
  // Only checked definitions are ever stored: one that fails now is a bug, not bad input.
  if (!checked.ok)
    throw new Error(
      `Workflow version ${row.id} is not valid: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    );
  if (row.status !== 'draft') {
    if (parsed.size >= CACHE_LIMIT) parsed.delete(parsed.keys().next().value!);
    parsed.set(row.id, checked.definition);
  }
  return checked.definition;
}

/**
 * One workflow version's definition, by its id (a case's `workflow_id`).
 *
 * @example const definition = await loadWorkflow(db, caseRow.workflow_id);
 */
export async function loadWorkflow(db: Db, workflowId: string): Promise<WorkflowDefinition> {
  const cached = parsed.get(workflowId);
  if (cached) return cached;
  const row = await db
    .selectFrom('workflow_versions')
    .select(['id', 'definition', 'status'])
    .where('id', '=', workflowId)
    .executeTakeFirstOrThrow();
  return definitionOf(row);
}

/** A workflow version as the service owner's pages list it. */
export interface WorkflowSummary {
  id: string;
  key: string;
  version: number;
  status: WorkflowStatus;
  /** Null for the platform's own, which every body may use but not change. */
  organisationId: string | null;
  name: Bilingual;
  createdAt: Date;
  publishedAt: Date | null;
}

/**
 * The workflows a body may use: the platform's and its own, every version, by key then newest
 * version first.
 */
export async function listWorkflows(db: Db, organisationId: string): Promise<WorkflowSummary[]> {
  const rows = await db
    .selectFrom('workflow_versions')
    .select([
      'id',
      'key',
      'version',
      'status',
      'organisation_id',
      'created_at',
      'published_at',
      sql<Bilingual>`definition -> 'name'`.as('name'),
    ])
    .where((eb) =>
      eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]),
    )
    .orderBy('key')
    .orderBy(sql`organisation_id is null`)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    version: row.version,
    status: row.status,
    organisationId: row.organisation_id,
    name: row.name,
    createdAt: row.created_at,
    publishedAt: row.published_at,
  }));
}

/** The key of the workflow a service's cases follow (`default` unless its owner chose). */
export async function workflowKeyOfService(db: Db, serviceId: string): Promise<string> {
  const row = await db
    .selectFrom('service_workflows')
    .select('workflow_key')
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return row?.workflow_key ?? DEFAULT_WORKFLOW;
}

/**
 * The version a new case of this body follows for a key: the body's own latest published one,
 * else the platform's; undefined when neither has published it.
 */
export async function publishedWorkflow(
  db: Db,
  organisationId: string,
  key: string,
): Promise<{ id: string; definition: WorkflowDefinition } | undefined> {
  const row = await db
    .selectFrom('workflow_versions')
    .select(['id', 'definition', 'status'])
    .where('key', '=', key)
    .where('status', '=', 'published')
    .where((eb) =>
      eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]),
    )
    .orderBy(sql`organisation_id is null`)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, definition: definitionOf(row) } : undefined;
}
