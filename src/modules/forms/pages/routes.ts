import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { actingAuditDetails, actingEntryOf, canActFor } from '../../agents/index.js';
import { findPublishedService, type PublicService } from '../../catalogue/index.js';
import { findUserById, requireLevel } from '../../identity/index.js';
import { createSubmission, findSubmissionByDraftId } from '../../submissions/index.js';
import type { FormDefinition } from '../definition.js';
import { deleteDraft, findDraft, findDraftByAgent, lockDraft, saveAnswers } from '../drafts.js';
import { firstIncompletePage, pageAfter, summariseAnswers, validatePage } from '../engine.js';
import { formFor } from '../registry.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { pageView, valuesFromAnswers } from './view-model.js';

const QUESTION = 'modules/forms/pages/question/question.njk';
const CHECK = 'modules/forms/pages/check-answers/check-answers.njk';
const REFUSED = 'modules/forms/pages/not-authorised/not-authorised.njk';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.actingFor ? 'agent' : user.kind,
    requestId: request.id,
  };
}

/** The hidden field that says whom a journey page was shown for: the client's id, or empty. */
const ACTING_FIELD = 'actingFor';

/**
 * The application journey of a service's form: its pages in order, "Check your answers",
 * then submit. A state machine with one guard: nobody reaches a page (or the check page)
 * before answering every page before it.
 *
 * An agent acting for a client (`user.actingFor`, set by the agents module) applies for the
 * client: every request checks `canActFor` for this service, the draft is the client's, and
 * the submission's applicant is the client. Each page's form carries whom it was shown for, so
 * a page answered after the acting ended (the client revoked the authority) is refused rather
 * than saved to the agent's own application.
 */
export function journeyRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext): void {
  /** "You cannot act for Sam Citizen in this service": 403, with a way to stop acting. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    service: PublicService,
    user: CurrentUser,
    clientName: string | null,
  ) {
    request.log.info(
      { userId: user.id, actingFor: user.actingFor?.userId ?? null, serviceId: service.id },
      'agent refused: no authority for this client in this service',
    );
    return reply.code(403).view(REFUSED, { service, clientName });
  }

  async function load(request: FastifyRequest, reply: FastifyReply) {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    const form = formFor(service?.formKey ?? null);
    if (!service || !form) throw notFound({ slug });
    // Applying always needs an account (requireLevel signs in first, even for level 0); a
    // service may need more, and a lower session is stepped up in place and brought back here.
    const user = requireLevel(request, reply, service.requiredLevel);
    if (!user) return undefined;
    const client = user.actingFor ?? null;
    if (client && !(await canActFor(db, user, client.userId, service.id))) {
      await refuse(request, reply, service, user, client.displayName);
      return undefined;
    }
    const entry = client ? actingEntryOf(user) : null;
    // Acting for a client, the draft is the client's: the agent continues it, and so can they.
    const applicantId = client?.userId ?? user.id;
    const draft = await findDraft(db, applicantId, service.id);
    return {
      user,
      service,
      form,
      draft,
      applicantId,
      agent: entry ? { userId: user.id, businessId: entry.agentBusinessId } : null,
      acting: entry ? { client: entry.clientName, business: entry.agentBusinessName } : null,
      answers: draft?.answers ?? {},
      base: `/services/${service.slug}/apply`,
    };
  }

  /**
   * True when the posted page was shown for whom the user now acts for. When it was shown for a
   * client the user no longer acts for, replies 403 (naming the client only if this agent
   * worked on that client's draft); when it was shown for the user themselves and they now act
   * for a client, sends them to the client's journey.
   */
  async function samePerson(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: NonNullable<Awaited<ReturnType<typeof load>>>,
  ): Promise<boolean> {
    const shownFor = formText(request.body, ACTING_FIELD);
    const now = loaded.user.actingFor?.userId ?? '';
    if (shownFor === now) return true;
    if (!shownFor) {
      reply.redirect(loaded.base, 303);
      return false;
    }
    const draft = UUID.test(shownFor)
      ? await findDraftByAgent(db, loaded.user.id, shownFor, loaded.service.id)
      : undefined;
    const client = draft ? await findUserById(db, shownFor) : undefined;
    await refuse(request, reply, loaded.service, loaded.user, client?.display_name ?? null);
    return false;
  }

  function guard(
    form: FormDefinition,
    answers: Record<string, string | string[]>,
    pageIndex: number,
  ) {
    const first = firstIncompletePage(form, answers, ukToday());
    const firstIndex = first ? form.pages.indexOf(first) : form.pages.length;
    return pageIndex > firstIndex ? first : undefined;
  }

  function renderPage(
    reply: FastifyReply,
    request: FastifyRequest,
    service: PublicService,
    base: string,
    page: FormDefinition['pages'][number],
    values: Record<string, unknown>,
    errors: { field: string; message: string }[],
    backLink: string,
  ) {
    const errorFields = new Set(errors.map((e) => e.field));
    return reply.view(QUESTION, {
      service,
      actingFor: request.user?.actingFor?.userId ?? '',
      actingClient: request.user?.actingFor?.displayName ?? null,
      page: pageView(page, values, request.locale, errorFields),
      action: `${base}/${page.id}`,
      backLink,
      ...(errors.length ? errorView(errors, request.t) : { fieldErrors: {} }),
    });
  }

  app.get('/services/:slug/apply', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const next = firstIncompletePage(loaded.form, loaded.answers, ukToday());
    return reply.redirect(next ? `${loaded.base}/${next.id}` : `${loaded.base}/check-answers`, 303);
  });

  app.get('/services/:slug/apply/check-answers', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { form, answers, base, service, draft, acting } = loaded;
    const missing = firstIncompletePage(form, answers, ukToday());
    if (missing || !draft)
      return reply.redirect(`${base}/${missing?.id ?? form.pages[0]!.id}`, 303);
    const rows = summariseAnswers(form, answers, request.locale).map((row) => ({
      key: { text: row.question },
      value: { text: row.answer || '—' },
      actions: {
        items: [
          {
            href: `${base}/${row.pageId}`,
            text: request.t('forms.check.change'),
            visuallyHiddenText: row.question,
          },
        ],
      },
    }));
    const lastPage = form.pages[form.pages.length - 1]!;
    return reply.view(CHECK, {
      service,
      rows,
      draftId: draft.id,
      actingFor: loaded.user.actingFor?.userId ?? '',
      acting,
      backLink: `${base}/${lastPage.id}`,
    });
  });

  app.get('/services/:slug/apply/:pageId', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { form, answers, base, service } = loaded;
    const index = form.pages.findIndex(
      (p) => p.id === (request.params as { pageId: string }).pageId,
    );
    if (index < 0) throw notFound();
    const earlier = guard(form, answers, index);
    if (earlier) return reply.redirect(`${base}/${earlier.id}`, 303);
    const page = form.pages[index]!;
    const back = index === 0 ? `/services/${service.slug}` : `${base}/${form.pages[index - 1]!.id}`;
    return renderPage(
      reply,
      request,
      service,
      base,
      page,
      valuesFromAnswers(page, answers),
      [],
      back,
    );
  });

  app.post('/services/:slug/apply/:pageId', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { form, answers, base, service } = loaded;
    if (!(await samePerson(request, reply, loaded))) return reply;
    const pageId = (request.params as { pageId: string }).pageId;
    if (pageId === 'submit') return submit(request, reply, loaded);
    const index = form.pages.findIndex((p) => p.id === pageId);
    if (index < 0) throw notFound();
    const earlier = guard(form, answers, index);
    if (earlier) return reply.redirect(`${base}/${earlier.id}`, 303);
    const page = form.pages[index]!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const result = validatePage(page, body, answers, ukToday());
    if (!result.ok) {
      const back =
        index === 0 ? `/services/${service.slug}` : `${base}/${form.pages[index - 1]!.id}`;
      return renderPage(reply.code(400), request, service, base, page, body, result.errors, back);
    }
    await saveAnswers(db, loaded.applicantId, service.id, result.answers, loaded.agent);
    const merged = { ...answers, ...result.answers };
    const next = pageAfter(form, page.id);
    const complete = !firstIncompletePage(form, merged, ukToday());
    return reply.redirect(complete || !next ? `${base}/check-answers` : `${base}/${next.id}`, 303);
  });

  /**
   * Sends the application. The draft is locked, turned into a submission with its outbox
   * message, and deleted, in one transaction; a second click finds the submission made by
   * the first and shows the same confirmation. An agent's authority is checked again inside
   * the transaction, so a revocation just before the click creates nothing.
   */
  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: NonNullable<Awaited<ReturnType<typeof load>>>,
  ) {
    const { service, user, base, applicantId } = loaded;
    const draftId = formText(request.body, 'draftId');
    const form = formFor(service.formKey)!;
    if (!UUID.test(draftId)) return reply.redirect(`${base}/check-answers`, 303);
    const entry = actingEntryOf(user);
    const outcome = await db.transaction().execute(async (trx) => {
      if (user.actingFor && !(await canActFor(trx, user, applicantId, service.id)))
        return { refused: true as const };
      const draft = await lockDraft(trx, draftId, applicantId);
      if (!draft) {
        const earlier = await findSubmissionByDraftId(trx, draftId);
        return earlier && earlier.applicant_user_id === applicantId
          ? { reference: earlier.reference }
          : { incomplete: true as const };
      }
      if (draft.service_id !== service.id || firstIncompletePage(form, draft.answers, ukToday()))
        return { incomplete: true as const };
      const submission = await createSubmission(
        trx,
        {
          draftId: draft.id,
          serviceId: service.id,
          organisationId: service.organisation.id,
          applicantUserId: applicantId,
          answers: {
            values: draft.answers,
            summary: {
              en: summariseAnswers(form, draft.answers, 'en'),
              cy: summariseAnswers(form, draft.answers, 'cy'),
            },
          },
          agent: entry
            ? {
                userId: user.id,
                name: user.displayName,
                businessId: entry.agentBusinessId,
                businessName: entry.agentBusinessName,
              }
            : null,
        },
        actorOf(request, user),
        actingAuditDetails(user),
      );
      await deleteDraft(trx, draft.id);
      return { reference: submission.reference };
    });
    if ('refused' in outcome)
      return refuse(request, reply, service, user, user.actingFor?.displayName ?? null);
    if ('incomplete' in outcome) return reply.redirect(`${base}/check-answers`, 303);
    wakeOutbox();
    return reply.redirect(`/applications/${outcome.reference}/confirmation`, 303);
  }
}
