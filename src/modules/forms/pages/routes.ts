import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { findPublishedService, type PublicService } from '../../catalogue/index.js';
import { requireLevel } from '../../identity/index.js';
import { createSubmission, findSubmissionByDraftId } from '../../submissions/index.js';
import type { FormDefinition } from '../definition.js';
import { deleteDraft, findDraft, lockDraft, saveAnswers } from '../drafts.js';
import { firstIncompletePage, pageAfter, summariseAnswers, validatePage } from '../engine.js';
import { formFor } from '../registry.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { pageView, valuesFromAnswers } from './view-model.js';

const QUESTION = 'modules/forms/pages/question/question.njk';
const CHECK = 'modules/forms/pages/check-answers/check-answers.njk';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/**
 * The application journey of a service's form: its pages in order, "Check your answers",
 * then submit. A state machine with one guard: nobody reaches a page (or the check page)
 * before answering every page before it.
 */
export function journeyRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext): void {
  async function load(request: FastifyRequest, reply: FastifyReply) {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    const form = formFor(service?.formKey ?? null);
    if (!service || !form) throw notFound({ slug });
    // Applying always needs an account (requireLevel signs in first, even for level 0); a
    // service may need more, and a lower session is stepped up in place and brought back here.
    const user = requireLevel(request, reply, service.requiredLevel);
    if (!user) return undefined;
    const draft = await findDraft(db, user.id, service.id);
    return {
      user,
      service,
      form,
      draft,
      answers: draft?.answers ?? {},
      base: `/services/${service.slug}/apply`,
    };
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
    const { form, answers, base, service, draft } = loaded;
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
    const { form, answers, base, service, user } = loaded;
    const pageId = (request.params as { pageId: string }).pageId;
    if (pageId === 'submit') return submit(request, reply, loaded.service, user, base);
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
    await saveAnswers(db, user.id, service.id, result.answers);
    const merged = { ...answers, ...result.answers };
    const next = pageAfter(form, page.id);
    const complete = !firstIncompletePage(form, merged, ukToday());
    return reply.redirect(complete || !next ? `${base}/check-answers` : `${base}/${next.id}`, 303);
  });

  /**
   * Sends the application. The draft is locked, turned into a submission with its outbox
   * message, and deleted, in one transaction; a second click finds the submission made by
   * the first and shows the same confirmation.
   */
  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    service: PublicService,
    user: CurrentUser,
    base: string,
  ) {
    const draftId = formText(request.body, 'draftId');
    const form = formFor(service.formKey)!;
    if (!UUID.test(draftId)) return reply.redirect(`${base}/check-answers`, 303);
    const outcome = await db.transaction().execute(async (trx) => {
      const draft = await lockDraft(trx, draftId, user.id);
      if (!draft) {
        const earlier = await findSubmissionByDraftId(trx, draftId);
        return earlier && earlier.applicant_user_id === user.id
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
          applicantUserId: user.id,
          answers: {
            values: draft.answers,
            summary: {
              en: summariseAnswers(form, draft.answers, 'en'),
              cy: summariseAnswers(form, draft.answers, 'cy'),
            },
          },
        },
        actorOf(request, user),
      );
      await deleteDraft(trx, draft.id);
      return { reference: submission.reference };
    });
    if ('incomplete' in outcome) return reply.redirect(`${base}/check-answers`, 303);
    wakeOutbox();
    return reply.redirect(`/applications/${outcome.reference}/confirmation`, 303);
  }
}
