/**
 * What the workflow pages read, each behind the policy: only a service owner (or admin) of a
 * body sees its workflows and its services' choices; anyone else is told the page is not found.
 * Writes are the engine's commands (`saveWorkflowDraft`, `publishWorkflow`, `setServiceWorkflow`),
 * which check the same policy themselves.
 */
import type { Db } from '../../../../platform/db/database.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { findPublishedServiceById, servicesWithForms } from '../../../catalogue/index.js';
import { canManageWorkflows } from '../../policies/cases.js';
import {
  listWorkflows,
  loadWorkflow,
  workflowKeyOfService,
  type WorkflowSummary,
} from '../../queries/workflows.js';
import type { WorkflowDefinition } from '../../workflow/schema.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** The body whose workflows the user manages; "not found" for anyone who manages none. */
export function managedBody(user: CurrentUser): string {
  if (!user.organisationId || !canManageWorkflows(user, user.organisationId))
    throw notFound({ reason: 'not a service owner', userId: user.id });
  return user.organisationId;
}

/** A service of the body that takes applications, with the workflow its cases follow. */
export interface ServiceChoice {
  id: string;
  title: string;
  workflowKey: string;
}

/** The body's services that take applications (published), each with its workflow's key. */
export async function servicesOfBody(
  db: Db,
  user: CurrentUser,
  locale: Locale,
): Promise<ServiceChoice[]> {
  const organisationId = managedBody(user);
  const services = await servicesWithForms(db, { organisationId });
  const published = services.filter((s) => s.status === 'published');
  return Promise.all(
    published.map(async (s) => ({
      id: s.id,
      title: (locale === 'cy' && s.titleCy) || s.title,
      workflowKey: await workflowKeyOfService(db, s.id),
    })),
  );
}

/** The body's own workflow versions and the platform's, split. */
export async function workflowsOfBody(
  db: Db,
  user: CurrentUser,
): Promise<{ own: WorkflowSummary[]; platform: WorkflowSummary[] }> {
  const organisationId = managedBody(user);
  const all = await listWorkflows(db, organisationId);
  return {
    own: all.filter((w) => w.organisationId === organisationId),
    platform: all.filter((w) => w.organisationId === null),
  };
}

/** One version the user may read (the body's own or the platform's), with its definition. */
export interface WorkflowVersion {
  summary: WorkflowSummary;
  definition: WorkflowDefinition;
  /** The body's own: its owners may edit it and publish its drafts. */
  own: boolean;
  /** The version number a draft saved from this one would get. */
  nextVersion: number;
}

/** A version by id; "not found" unless it is the user's body's or the platform's. */
export async function workflowVersion(
  db: Db,
  user: CurrentUser,
  id: string,
): Promise<WorkflowVersion> {
  const organisationId = managedBody(user);
  if (!isUuid(id)) throw notFound({ reason: 'not a workflow id', id });
  const all = await listWorkflows(db, organisationId);
  const summary = all.find((w) => w.id === id);
  if (!summary)
    throw notFound({ reason: 'not a workflow this body may read', id, userId: user.id });
  const own = summary.organisationId === organisationId;
  const latest = Math.max(
    ...all
      .filter((w) => w.key === summary.key && w.organisationId === organisationId)
      .map((w) => w.version),
    0,
  );
  const latestIsDraft = all.some(
    (w) =>
      w.key === summary.key &&
      w.organisationId === organisationId &&
      w.version === latest &&
      w.status === 'draft',
  );
  return {
    summary,
    definition: await loadWorkflow(db, id),
    own,
    nextVersion: latestIsDraft ? latest : latest + 1,
  };
}

/** A service of the user's body, for choosing its workflow; "not found" for any other. */
export async function serviceOfBody(
  db: Db,
  user: CurrentUser,
  serviceId: string,
  locale: Locale,
): Promise<ServiceChoice> {
  const organisationId = managedBody(user);
  if (!isUuid(serviceId)) throw notFound({ reason: 'not a service id', serviceId });
  const service = await findPublishedServiceById(db, serviceId, locale);
  if (!service || service.organisation.id !== organisationId)
    throw notFound({ reason: 'not a service of this body', serviceId, userId: user.id });
  return {
    id: service.id,
    title: service.title,
    workflowKey: await workflowKeyOfService(db, service.id),
  };
}

/** The keys a service may follow: every workflow with a published version, the body's first. */
export async function publishedChoices(
  db: Db,
  user: CurrentUser,
  locale: Locale,
): Promise<{ key: string; name: string; own: boolean }[]> {
  const { own, platform } = await workflowsOfBody(db, user);
  const choices = new Map<string, { key: string; name: string; own: boolean }>();
  for (const w of [...own, ...platform])
    if (w.status === 'published' && !choices.has(w.key))
      choices.set(w.key, { key: w.key, name: w.name[locale], own: w.organisationId !== null });
  return [...choices.values()];
}
