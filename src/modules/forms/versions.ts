/**
 * Versions of form definitions, kept in `form_definitions`. A service owner's change is a new
 * draft version; publishing it makes it the version new journeys start on. A published version
 * never changes, so a draft started on version 3 finishes on version 3 even after version 4 is
 * published (drafts record the version they began on).
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { bundledForms } from './bundled.js';
import { FormDefinitionSchema, type FormDefinition } from './schema.js';

/**
 * Parsed published versions by their row id: a published version never changes, so each is read
 * and parsed once per process (the id, not "key@version", so two databases never mix).
 */
const published = new Map<string, FormDefinition>();
const CACHE_LIMIT = 500;

async function definitionOf(db: Db, id: string): Promise<FormDefinition> {
  const cached = published.get(id);
  if (cached) return cached;
  const row = await db
    .selectFrom('form_definitions')
    .select('definition')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const definition = FormDefinitionSchema.parse(row.definition);
  if (published.size >= CACHE_LIMIT) published.delete(published.keys().next().value!);
  published.set(id, definition);
  return definition;
}

/**
 * The version of a form new journeys and API submissions use: its latest published version,
 * or undefined if it has none.
 *
 * @example const form = await publishedForm(db, service.formKey);
 */
export async function publishedForm(
  db: Db,
  formKey: string,
): Promise<{ definition: FormDefinition; version: number } | undefined> {
  const row = await db
    .selectFrom('form_definitions')
    .select(['id', 'version'])
    .where('key', '=', formKey)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return { definition: await definitionOf(db, row.id), version: row.version };
}

/**
 * One published version of a form: the one a draft began on. Undefined if that version does not
 * exist or was never published.
 */
export async function publishedVersion(
  db: Db,
  formKey: string,
  version: number,
): Promise<FormDefinition | undefined> {
  const row = await db
    .selectFrom('form_definitions')
    .select('id')
    .where('key', '=', formKey)
    .where('version', '=', version)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row ? definitionOf(db, row.id) : undefined;
}

/** What was wrong with a definition: where (a JSON path such as "pages.0.questions.1.name") and why. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

/** A definition checked by the schema, or every problem with it. */
export function checkDefinition(
  input: unknown,
): { ok: true; definition: FormDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const parsed = FormDefinitionSchema.safeParse(input);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  };
}

/**
 * Stores a definition as the next draft version of its form (key from the definition). Checked
 * first: nothing is stored unless the schema accepts it. The caller opens the transaction.
 */
export async function createFormVersion(
  trx: Db,
  input: unknown,
  actor: Actor,
): Promise<
  { ok: true; key: string; version: number } | { ok: false; problems: DefinitionProblem[] }
> {
  const checked = checkDefinition(input);
  if (!checked.ok) return checked;
  const { definition } = checked;
  // One version number at a time per form, on PostgreSQL and PGlite alike.
  await sql`select pg_advisory_xact_lock(hashtext(${`form_definitions:${definition.key}`}))`.execute(
    trx,
  );
  const last = await trx
    .selectFrom('form_definitions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('key', '=', definition.key)
    .executeTakeFirst();
  const version = Number(last?.version ?? 0) + 1;
  const row = await trx
    .insertInto('form_definitions')
    .values({
      key: definition.key,
      version,
      definition: JSON.stringify(definition),
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'form.version_created',
    resourceType: 'form_definition',
    resourceId: row.id,
    subjectUserId: null,
    details: { key: definition.key, version },
  });
  return { ok: true, key: definition.key, version };
}

/**
 * Publishes a draft version: from now on new journeys start on it. Journeys in flight stay on
 * the version they began on. False if there is no such draft (or it is already published).
 */
export async function publishFormVersion(
  trx: Db,
  formKey: string,
  version: number,
  actor: Actor,
): Promise<boolean> {
  const row = await trx
    .updateTable('form_definitions')
    .set({ status: 'published', published_by: actor.userId, published_at: sql<Date>`now()` })
    .where('key', '=', formKey)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(trx, actor, {
    action: 'form.version_published',
    resourceType: 'form_definition',
    resourceId: row.id,
    subjectUserId: null,
    details: { key: formKey, version },
  });
  return true;
}

/**
 * Stores and publishes a definition in one go: the next version of its form. For seeding, tests
 * and service owners who have previewed their draft elsewhere.
 *
 * @example await db.transaction().execute((trx) => publishForm(trx, json, actor));
 */
export async function publishForm(
  trx: Db,
  input: unknown,
  actor: Actor,
): Promise<
  { ok: true; key: string; version: number } | { ok: false; problems: DefinitionProblem[] }
> {
  const created = await createFormVersion(trx, input, actor);
  if (!created.ok) return created;
  await publishFormVersion(trx, created.key, created.version, actor);
  return created;
}

/** The platform itself, as the actor of seeding. */
const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };

/**
 * Publishes each form shipped in src/modules/forms/definitions/*.json as version 1 if the
 * database has no version of it yet. Idempotent; run at start and by the demo seed. A form
 * already in the database is left alone: later changes are published as new versions.
 */
export async function seedBundledForms(db: Db): Promise<string[]> {
  const forms = await bundledForms();
  const existing = new Set(
    forms.length === 0
      ? []
      : (
          await db
            .selectFrom('form_definitions')
            .select('key')
            .distinct()
            .where(
              'key',
              'in',
              forms.map((f) => f.key),
            )
            .execute()
        ).map((r) => r.key),
  );
  const added: string[] = [];
  for (const definition of forms) {
    if (existing.has(definition.key)) continue;
    const inserted = await db
      .insertInto('form_definitions')
      .values({
        key: definition.key,
        version: 1,
        definition: JSON.stringify(definition),
        status: 'published',
        created_by: null,
        published_at: sql<Date>`now()`,
      })
      .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    await recordAudit(db, PLATFORM, {
      action: 'form.version_published',
      resourceType: 'form_definition',
      resourceId: inserted.id,
      subjectUserId: null,
      details: { key: definition.key, version: 1, source: 'bundled' },
    });
    added.push(definition.key);
  }
  return added;
}

/** The problems of a definition in one readable block, for logs and the command line. */
export function describeProblems(problems: DefinitionProblem[]): string {
  return problems.map((p) => `${p.path || '(form)'}: ${p.message}`).join('\n');
}
