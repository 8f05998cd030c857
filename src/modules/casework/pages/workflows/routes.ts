/**
 * The service owner's workflow pages: `/casework/workflows` lists the body's workflows, the
 * platform's, and which one each of the body's services follows; a version's page shows its
 * stages and actions as tables; a draft is written as JSON in a textarea (checked by the engine's
 * `parseWorkflowDefinition`, problems in the GOV.UK error summary) and published as a new
 * version; a service's workflow is chosen on a page of its own. Everything works without
 * JavaScript. Only the body's service owners and admins get past "not found".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import type { Translate } from '../../../../platform/i18n/i18n.js';
import { requireSignIn } from '../../../identity/index.js';
import type { CaseActor } from '../../commands/actor.js';
import {
  publishWorkflow,
  saveWorkflowDraft,
  setServiceWorkflow,
} from '../../commands/workflows.js';
import type { WorkflowDefinition } from '../../workflow/schema.js';
import { readDefinitionText, type DefinitionText } from './json-text.js';
import {
  managedBody,
  publishedChoices,
  serviceOfBody,
  servicesOfBody,
  workflowsOfBody,
  workflowVersion,
  type WorkflowVersion,
} from './service.js';
import { actionRows, stateRows, workflowLines } from './view.js';

const LIST = 'modules/casework/pages/workflows/list.njk';
const VIEW = 'modules/casework/pages/workflows/view.njk';
const EDIT = 'modules/casework/pages/workflows/edit.njk';
const SERVICE = 'modules/casework/pages/workflows/service.njk';

/** The most problems listed in the error summary; the rest are counted. */
const MAX_LISTED = 50;

/** What a new workflow is called until its owner names it: data, so in both languages at once. */
const NEW_WORKFLOW = {
  key: 'new-workflow',
  name: { en: 'New workflow', cy: 'Llif gwaith newydd' },
} as const;

type ErrorItem = { text: string; href: string };

/** Signed in as someone who manages workflows (else the sign-in redirect, or "not found"). */
function owner(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  managedBody(user);
  return user;
}

function actorOf(request: FastifyRequest, user: CurrentUser): CaseActor {
  return { user, requestId: request.id };
}

/** A version number from a query string (`?saved=3`), if it is one. */
function versionParam(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

function textProblem(reading: Extract<DefinitionText, { ok: false }>, t: Translate): string {
  if (reading.line !== undefined)
    return t('casework.workflows.json.at', {
      line: reading.line,
      column: reading.column ?? 1,
    });
  return t(`casework.workflows.json.${reading.problem}`);
}

/** The engine's problems as the error summary: each at its JSON path, all linking to the textarea. */
function problemList(errors: FieldError[], t: Translate): ErrorItem[] {
  const list = errors.slice(0, MAX_LISTED).map((e) => ({
    text: t('casework.workflows.problem.at', { path: e.field, message: t(e.message) }),
    href: '#definition',
  }));
  if (errors.length > MAX_LISTED)
    list.push({
      text: t('casework.workflows.problem.more', { count: errors.length - MAX_LISTED }),
      href: '#definition',
    });
  return list;
}

/** The definition laid out for editing: two-space JSON, as the shipped files are. */
function asText(definition: WorkflowDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

export function workflowRoutes(app: FastifyInstance, { db }: AppContext): void {
  function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { text: string; action: string; backLink: string; errorList?: ErrorItem[] },
  ) {
    const errorList = page.errorList ?? [];
    return reply.view(EDIT, {
      text: page.text,
      action: page.action,
      backLink: page.backLink,
      errorList,
      fieldErrors: errorList.length
        ? {
            definition: {
              text:
                errorList.length === 1
                  ? errorList[0]!.text
                  : request.t('casework.workflows.problem.many', { count: errorList.length }),
            },
          }
        : {},
    });
  }

  function renderVersion(
    request: FastifyRequest,
    reply: FastifyReply,
    version: WorkflowVersion,
    extra: {
      notice?: { kind: 'saved' | 'published'; version: number };
      errorList?: ErrorItem[];
    } = {},
  ) {
    const { locale, t } = request;
    const { summary, definition } = version;
    return reply.view(VIEW, {
      workflow: {
        id: summary.id,
        key: summary.key,
        version: summary.version,
        status: summary.status,
        own: version.own,
        name: definition.name[locale],
        description: definition.description?.[locale] ?? null,
      },
      stateRows: stateRows(definition, locale, t),
      actionRows: actionRows(definition, locale, t),
      nextVersion: version.nextVersion,
      notice: extra.notice ?? null,
      errorList: extra.errorList ?? [],
      backLink: '/casework/workflows',
    });
  }

  /** Saves the text as a draft of the user's body: 303 to the draft, or 400 with the problems. */
  async function saveDraft(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    page: { action: string; backLink: string },
  ) {
    const organisationId = managedBody(user);
    const body = request.body as Record<string, unknown> | undefined;
    const text = typeof body?.definition === 'string' ? body.definition : '';
    const reading = readDefinitionText(text);
    if (!reading.ok) {
      const item = { text: textProblem(reading, request.t), href: '#definition' };
      return renderEdit(request, reply.code(400), { text, ...page, errorList: [item] });
    }
    const outcome = await db
      .transaction()
      .execute((trx) =>
        saveWorkflowDraft(
          trx,
          { organisationId, definition: reading.value },
          actorOf(request, user),
        ),
      );
    if (!outcome.ok)
      return renderEdit(request, reply.code(400), {
        text,
        ...page,
        errorList: problemList(outcome.errors, request.t),
      });
    return reply.redirect(`/casework/workflows/${outcome.id}?saved=${outcome.version}`, 303);
  }

  app.get('/casework/workflows', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { locale } = request;
    const { own, platform } = await workflowsOfBody(db, user);
    const query = request.query as Record<string, unknown>;
    const services = await servicesOfBody(db, user, locale);
    const names = new Map([...platform, ...own].map((w) => [w.key, w.name[locale]] as const));
    const chosen = services.find((s) => s.id === query.chosen);
    return reply.view(LIST, {
      own: workflowLines(own, locale),
      platform: workflowLines(
        platform.filter((w) => w.status === 'published'),
        locale,
      ),
      services: services.map((s) => ({
        ...s,
        workflowName: names.get(s.workflowKey) ?? s.workflowKey,
      })),
      chosen: chosen
        ? { title: chosen.title, workflow: names.get(chosen.workflowKey) ?? chosen.workflowKey }
        : null,
    });
  });

  app.get('/casework/workflows/new', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const from = (request.query as Record<string, unknown>).from;
    let definition: WorkflowDefinition;
    if (typeof from === 'string' && from !== '') {
      definition = (await workflowVersion(db, user, from)).definition;
    } else {
      const { platform } = await workflowsOfBody(db, user);
      const start = platform.find((w) => w.key === 'default' && w.status === 'published');
      if (!start) throw new Error('The platform’s default workflow is not published');
      const base = (await workflowVersion(db, user, start.id)).definition;
      definition = { ...base, key: NEW_WORKFLOW.key, name: { ...NEW_WORKFLOW.name } };
    }
    return renderEdit(request, reply, {
      text: asText(definition),
      action: '/casework/workflows/new',
      backLink: '/casework/workflows',
    });
  });

  app.post('/casework/workflows/new', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    return saveDraft(request, reply, user, {
      action: '/casework/workflows/new',
      backLink: '/casework/workflows',
    });
  });

  app.get('/casework/workflows/services/:serviceId', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { serviceId } = request.params as { serviceId: string };
    const service = await serviceOfBody(db, user, serviceId, request.locale);
    return reply.view(SERVICE, {
      service,
      choices: await publishedChoices(db, user, request.locale),
      selected: service.workflowKey,
      backLink: '/casework/workflows',
    });
  });

  app.post('/casework/workflows/services/:serviceId', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { serviceId } = request.params as { serviceId: string };
    const service = await serviceOfBody(db, user, serviceId, request.locale);
    const key = formText(request.body, 'workflow');
    const outcome = key
      ? await db
          .transaction()
          .execute((trx) => setServiceWorkflow(trx, service.id, key, actorOf(request, user)))
      : {
          ok: false as const,
          errors: [{ field: 'workflow', message: 'casework.workflows.service.required' }],
        };
    if (!outcome.ok) {
      const errorList = outcome.errors.map((e) => ({
        text: request.t(e.message),
        href: '#workflow',
      }));
      return reply.code(400).view(SERVICE, {
        service,
        choices: await publishedChoices(db, user, request.locale),
        selected: key,
        errorList,
        fieldErrors: { workflow: { text: errorList[0]!.text } },
        backLink: '/casework/workflows',
      });
    }
    return reply.redirect(`/casework/workflows?chosen=${service.id}#services`, 303);
  });

  app.get('/casework/workflows/:id', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const query = request.query as Record<string, unknown>;
    const saved = versionParam(query.saved);
    const published = versionParam(query.published);
    return renderVersion(request, reply, await workflowVersion(db, user, id), {
      notice:
        published !== undefined
          ? { kind: 'published', version: published }
          : saved !== undefined
            ? { kind: 'saved', version: saved }
            : undefined,
    });
  });

  app.get('/casework/workflows/:id/edit', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const version = await workflowVersion(db, user, id);
    // The platform's are copied (`/new?from=`), never edited in place.
    if (!version.own) return reply.redirect(`/casework/workflows/new?from=${id}`, 303);
    return renderEdit(request, reply, {
      text: asText(version.definition),
      action: `/casework/workflows/${id}/edit`,
      backLink: `/casework/workflows/${id}`,
    });
  });

  app.post('/casework/workflows/:id/edit', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    await workflowVersion(db, user, id);
    return saveDraft(request, reply, user, {
      action: `/casework/workflows/${id}/edit`,
      backLink: `/casework/workflows/${id}`,
    });
  });

  app.post('/casework/workflows/:id/publish', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const version = await workflowVersion(db, user, id);
    const outcome = await db
      .transaction()
      .execute((trx) => publishWorkflow(trx, version.summary.id, actorOf(request, user)));
    if (!outcome.ok)
      return renderVersion(request, reply.code(409), await workflowVersion(db, user, id), {
        errorList: outcome.errors.map((e) => ({ text: request.t(e.message), href: '#publish' })),
      });
    return reply.redirect(`/casework/workflows/${id}?published=${outcome.version}`, 303);
  });
}
