/**
 * The form editor's queries and commands. Each asks the policy first (policy.ts): someone who may
 * not edit a form gets a 404, as if it did not exist. A service owner's saved change is the form's
 * next version as a draft (saved again, the same draft changes); publishing makes it the version
 * new journeys start on, while journeys in flight finish on the version they began (versions.ts).
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import { findUserById } from '../../../identity/index.js';
import { servicesWithForms, type ServiceWithForm } from '../../../catalogue/index.js';
import { FormDefinitionSchema, type Bilingual, type FormDefinition } from '../../schema.js';
import { createFormVersion, publishFormVersion, type DefinitionProblem } from '../../versions.js';
import { canEditForm, canUseFormEditor } from './policy.js';

const FORM_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A problem with an edited definition: the schema's, or the editor's own (a changed key). */
export interface EditProblem extends DefinitionProblem {
  code?: 'key-changed';
  /** Where in the text to point: the path, or for a misspelt key the key itself. */
  at: (string | number)[];
}

/** One form in the editor's list. */
export interface FormSummary {
  key: string;
  /** The title of its latest version. */
  title: Bilingual;
  services: ServiceWithForm[];
  /** The latest published version, if any. */
  published: number | null;
  /** The draft version waiting to be published, if any. */
  draft: number | null;
}

/** A form open in the editor. */
export interface FormForEditing {
  key: string;
  services: ServiceWithForm[];
  /** What the editor starts from: the draft if there is one, otherwise the latest published version. */
  working: { definition: FormDefinition; version: number; status: 'draft' | 'published' };
  published: number | null;
  draft: number | null;
  /** The version "Publish" makes: the draft's number, or the one after the latest. */
  nextVersion: number;
}

/** One entry of a form's history: who saved or published which version, when. */
export interface HistoryEntry {
  version: number;
  action: 'created' | 'updated' | 'published';
  at: Date;
  /** The person's name; null for the platform (a shipped form published at start). */
  by: string | null;
}

export type EditOutcome =
  | { ok: true; version: number }
  | { ok: false; problems: EditProblem[] }
  /** Someone else saved or published a version since the editor was opened. */
  | { ok: false; stale: true; nextVersion: number };

function refuse(user: CurrentUser | null, key: string): never {
  throw notFound({ reason: 'not an editor of this form', formKey: key, userId: user?.id ?? null });
}

function versionsOf(rows: { version: number; status: 'draft' | 'published' }[]) {
  const published = rows.filter((r) => r.status === 'published').map((r) => r.version);
  const latest = rows.reduce((max, r) => Math.max(max, r.version), 0);
  const latestRow = rows.find((r) => r.version === latest);
  return {
    published: published.length ? Math.max(...published) : null,
    draft: latestRow?.status === 'draft' ? latest : null,
    nextVersion: latestRow?.status === 'draft' ? latest : latest + 1,
  };
}

/**
 * The forms the user may edit, with the services using each, the published version and any
 * draft. A platform admin sees every form, also those no service uses yet.
 */
export async function editableForms(db: Db, user: CurrentUser | null): Promise<FormSummary[]> {
  if (!canUseFormEditor(user)) refuse(user, '*');
  const byKey = new Map<string, ServiceWithForm[]>();
  for (const service of await servicesWithForms(db))
    byKey.set(service.formKey, [...(byKey.get(service.formKey) ?? []), service]);
  const rows = await db
    .selectFrom('form_definitions')
    .select(['key', 'version', 'status', sql<Bilingual>`definition -> 'title'`.as('title')])
    .orderBy('key')
    .orderBy('version')
    .execute();
  const versions = new Map<string, typeof rows>();
  for (const row of rows) versions.set(row.key, [...(versions.get(row.key) ?? []), row]);
  const forms: FormSummary[] = [];
  for (const [key, list] of versions) {
    const services = byKey.get(key) ?? [];
    if (!canEditForm(user, services)) continue;
    const { published, draft } = versionsOf(list);
    forms.push({ key, title: list.at(-1)!.title, services, published, draft });
  }
  return forms.sort((a, b) => a.title.en.localeCompare(b.title.en, 'en-GB'));
}

/** A form for the editor, or a 404 when there is no such form or the user may not edit it. */
export async function formForEditing(
  db: Db,
  user: CurrentUser | null,
  key: string,
): Promise<FormForEditing> {
  if (!canUseFormEditor(user) || !FORM_KEY.test(key)) refuse(user, key);
  const services = await servicesWithForms(db, { formKey: key });
  if (!canEditForm(user, services)) refuse(user, key);
  const rows = await db
    .selectFrom('form_definitions')
    .select(['version', 'status'])
    .where('key', '=', key)
    .execute();
  if (rows.length === 0) refuse(user, key);
  const { published, draft, nextVersion } = versionsOf(rows);
  const workingVersion = draft ?? published!;
  const working = await db
    .selectFrom('form_definitions')
    .select(['definition', 'status'])
    .where('key', '=', key)
    .where('version', '=', workingVersion)
    .executeTakeFirstOrThrow();
  return {
    key,
    services,
    working: { definition: working.definition, version: workingVersion, status: working.status },
    published,
    draft,
    nextVersion,
  };
}

/**
 * Checks an edited definition for the form `key`: the schema's problems, and a key that is not
 * the form's (a form's key names it for good: a changed key would be another form).
 */
export function checkEdit(
  key: string,
  input: unknown,
): { ok: true; definition: FormDefinition } | { ok: false; problems: EditProblem[] } {
  const parsed = FormDefinitionSchema.safeParse(input);
  const given =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as { key?: unknown }).key
      : undefined;
  const keyChanged = given !== undefined && given !== key;
  if (parsed.success && !keyChanged) return { ok: true, definition: parsed.data };
  const problems: EditProblem[] = parsed.success
    ? []
    : parsed.error.issues
        .filter((issue) => !(keyChanged && issue.path.join('.') === 'key'))
        .map((issue) => {
          const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
          return {
            path: path.join('.'),
            message: issue.message,
            at: issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path,
          };
        });
  if (keyChanged)
    problems.unshift({ path: 'key', message: 'key changed', code: 'key-changed', at: ['key'] });
  return { ok: false, problems };
}

/** Saves the definition as the next draft version (or into the waiting draft): its number. */
async function saveInto(
  trx: Db,
  key: string,
  definition: FormDefinition,
  actor: Actor,
): Promise<number> {
  // One writer of a form's versions at a time (createFormVersion takes the same lock).
  await sql`select pg_advisory_xact_lock(hashtext(${`form_definitions:${key}`}))`.execute(trx);
  const latest = await trx
    .selectFrom('form_definitions')
    .select(['id', 'version', 'status'])
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest?.status === 'draft') {
    await trx
      .updateTable('form_definitions')
      .set({ definition: JSON.stringify(definition) })
      .where('id', '=', latest.id)
      .where('status', '=', 'draft')
      .execute();
    await recordAudit(trx, actor, {
      action: 'form.draft_updated',
      resourceType: 'form_definition',
      resourceId: latest.id,
      subjectUserId: null,
      details: { key, version: latest.version },
    });
    return latest.version;
  }
  const created = await createFormVersion(trx, definition, actor);
  if (!created.ok)
    throw new Error(`A checked definition was refused: ${created.problems[0]?.path}`);
  return created.version;
}

/** Whether the version the editor was opened to publish is still the next one. */
async function stillNext(trx: Db, user: CurrentUser, key: string, expected: number) {
  const form = await formForEditing(trx, user, key);
  return form.nextVersion === expected ? null : form.nextVersion;
}

/**
 * Saves an edited definition as the form's draft: the next version, not yet used by anyone. The
 * caller opens the transaction. `expected` is the version number the editor showed.
 */
export async function saveFormDraft(
  trx: Db,
  user: CurrentUser,
  key: string,
  input: unknown,
  expected: number,
  actor: Actor,
): Promise<EditOutcome> {
  const stale = await stillNext(trx, user, key, expected);
  const checked = checkEdit(key, input);
  if (!checked.ok) return checked;
  if (stale !== null) return { ok: false, stale: true, nextVersion: stale };
  return { ok: true, version: await saveInto(trx, key, checked.definition, actor) };
}

/**
 * Publishes an edited definition as the form's next version: new journeys start on it; journeys
 * already begun keep the version they started on. Audited as the draft saved, then published.
 */
export async function publishFormEdit(
  trx: Db,
  user: CurrentUser,
  key: string,
  input: unknown,
  expected: number,
  actor: Actor,
): Promise<EditOutcome> {
  const saved = await saveFormDraft(trx, user, key, input, expected, actor);
  if (!saved.ok) return saved;
  await publishFormVersion(trx, key, saved.version, actor);
  return saved;
}

/** Who saved and published which version of a form, newest first (from the audit log). */
export async function formHistory(db: Db, key: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('form_definitions')
    .select(['id', 'version'])
    .where('key', '=', key)
    .execute();
  if (rows.length === 0) return [];
  const versionOf = new Map(rows.map((r) => [r.id, r.version]));
  const entries = await db
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'occurred_at', 'resource_id', 'details'])
    .where('resource_type', '=', 'form_definition')
    .where(
      'resource_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id', 'desc')
    .execute();
  const names = new Map<string, string | null>();
  for (const id of new Set(entries.map((e) => e.actor_user_id)))
    if (id) names.set(id, (await findUserById(db, id))?.display_name ?? null);
  const ACTIONS: Record<string, HistoryEntry['action']> = {
    'form.version_created': 'created',
    'form.draft_updated': 'updated',
    'form.version_published': 'published',
  };
  return entries
    .filter((e) => ACTIONS[e.action])
    .map((e) => ({
      version: versionOf.get(e.resource_id) ?? Number(e.details.version),
      action: ACTIONS[e.action]!,
      at: e.occurred_at,
      by: e.actor_user_id ? (names.get(e.actor_user_id) ?? null) : null,
    }));
}
