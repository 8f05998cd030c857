/**
 * Referral pages: the form's post from the case page (and the form again with its errors), the
 * receiving body's list at `/casework/referrals`, one referral's shared parts with accept and
 * decline, and the referring body's withdrawal. Handlers stay thin: policies are checked by the
 * commands and queries they call.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import { errorView } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { formatDateTime, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import { humanSize, sendSharedAttachment } from '../../attachments/index.js';
import { findPublishedServiceById, findServices } from '../../catalogue/index.js';
import { findUserById, requireSignIn } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import { nameLookup } from '../../submissions/index.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { describeEvents } from '../pages/case/view.js';
import { findCaseById, findCaseByReference } from '../queries/cases.js';
import { loadWorkflow } from '../queries/workflows.js';
import { acceptReferral, declineReferral, offerReferral, withdrawReferral } from './commands.js';
import { readDecline, readReferral, referralFormValues, RESPONSE_MAX } from './form.js';
import { canRefer, canRespond, isReceiver } from './policies.js';
import { incomingReferrals, sharedCaseView, sharedFile, type SharedCaseView } from './queries.js';
import { findReferral } from './store.js';
import { bodiesToReferTo, partsText, referralFormView, statusColour } from './view.js';
import { SHARED_PARTS } from '../db/tables.js';

const REFER = 'modules/casework/referrals/refer.njk';
const LIST = 'modules/casework/referrals/list.njk';
const VIEW = 'modules/casework/referrals/view.njk';

/** Signed in as staff of a body; anyone else gets "not found" (the policies then decide the rest). */
function requireStaff(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (user.kind !== 'staff' || !user.organisationId)
    throw notFound({ reason: 'not staff of a body', userId: user.id });
  return user;
}

function actorOf(request: FastifyRequest, user: CurrentUser): CaseActor {
  return { user, requestId: request.id };
}

function body(request: FastifyRequest): Record<string, unknown> {
  return (request.body ?? {}) as Record<string, unknown>;
}

/** The published services of a body, by title: what a referred case may be opened for. */
async function servicesOf(db: Db, organisationId: string, locale: 'en' | 'cy') {
  const organisation = await findOrganisationById(db, organisationId);
  if (!organisation) return [];
  return (await findServices(db, { locale, body: organisation.slug })).services;
}

/** Where the receiving body downloads a file of the shared case. */
function sharedFilePath(referralId: string, fileId: string): string {
  return `/casework/referrals/${referralId}/files/${fileId}`;
}

/**
 * The shared history in words, as the case page words it. The files sent with events are named
 * only when the attachments are shared too, and then linked to the referral's own download
 * (the file store's own address serves them only to the body the application was sent to).
 */
async function historyOf(db: Db, shared: SharedCaseView, t: Translate, locale: Locale) {
  const described = await describeEvents(
    db,
    shared.history ?? [],
    await loadWorkflow(db, shared.source.workflow_id),
    t,
    locale,
  );
  const withFiles = shared.parts.includes('attachments');
  return described.map((event) => ({
    ...event,
    documents: withFiles
      ? event.documents
          .filter((file) => file.name !== null)
          .map((file) => ({ ...file, href: sharedFilePath(shared.referral.id, file.id) }))
      : [],
  }));
}

export function referralRoutes(app: FastifyInstance, { db }: AppContext): void {
  /** The case's refer-or-share form on its own page, with errors (400) or a stale withdrawal (409). */
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    caseRow: { reference: string; organisation_id: string },
    extra: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
  ) {
    const { errorList, fieldErrors } = errorView(extra.errors ?? [], request.t);
    return reply.view(REFER, {
      errorList,
      referralForm: referralFormView({
        reference: caseRow.reference,
        bodies: await bodiesToReferTo(db, caseRow.organisation_id, request.locale),
        values: referralFormValues(extra.values ?? {}),
        fieldErrors,
        t: request.t,
      }),
      backLink: `/casework/${caseRow.reference}`,
    });
  }

  /** A case the user's body may refer: its own. Anyone else: "not found". */
  async function referableCase(user: CurrentUser, reference: string) {
    const caseRow = await findCaseByReference(db, reference);
    if (!caseRow || !canRefer(user, caseRow))
      throw notFound({ reference, userId: user.id, reason: 'not a case of this body' });
    return caseRow;
  }

  app.get('/casework/:reference/referrals/new', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    return renderForm(request, reply, await referableCase(user, reference));
  });

  app.post('/casework/:reference/referrals', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const caseRow = await referableCase(user, reference);
    const bodies = await bodiesToReferTo(db, caseRow.organisation_id, request.locale);
    const read = readReferral(body(request), new Set(bodies.map((b) => b.id)));
    if (!read.ok)
      return renderForm(request, reply.code(400), caseRow, {
        values: body(request),
        errors: read.errors,
      });
    const outcome = await db
      .transaction()
      .execute((trx) => offerReferral(trx, caseRow, read.request, actorOf(request, user)));
    if (!outcome.ok)
      return renderForm(request, reply.code(outcome.status), caseRow, {
        values: body(request),
        errors: outcome.errors,
      });
    return reply.redirect(`/casework/${caseRow.reference}#referrals-title`, 303);
  });

  /** The receiving body's list: waiting for an answer, or answered. */
  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    errors: FieldError[] = [],
  ) {
    const view = (request.query as { view?: string }).view === 'answered' ? 'answered' : 'offered';
    const names = nameLookup(db, request.locale);
    const referrals = await Promise.all(
      (await incomingReferrals(db, user, view)).map(async (referral) => ({
        ...referral,
        organisationName: await names.organisation(referral.fromOrganisationId),
        tagColour: statusColour(referral.status),
      })),
    );
    return reply.view(LIST, { referrals, view, ...errorView(errors, request.t) });
  }

  app.get('/casework/referrals', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    if (!isReceiver(user, { to_organisation_id: user.organisationId! }))
      throw notFound({ reason: 'does not work cases', userId: user.id });
    return renderList(request, reply, user);
  });

  /** One referral: its facts, the shared parts (audited read), and accept / decline while offered. */
  async function renderReferral(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
  ) {
    const { id } = request.params as { id: string };
    const { t, locale } = request;
    const shared = await sharedCaseView(
      db,
      user,
      id,
      locale,
      actorOf(request, user),
      t('casework.referrals.view.fileWithheld'),
    );
    const { referral, source } = shared;
    const names = nameLookup(db, locale);
    const consent = referral.consent;
    const recorder = await findUserById(db, consent.recordedBy);
    const responding = canRespond(user, referral);
    const services =
      responding && referral.kind === 'refer'
        ? await servicesOf(db, referral.to_organisation_id, locale)
        : [];
    const sourceService = await findPublishedServiceById(db, source.service_id, locale);
    const values = extra.values ?? {};
    const chosen =
      typeof values.serviceId === 'string'
        ? values.serviceId
        : services.find((s) => s.serviceKey && s.serviceKey === sourceService?.serviceKey)?.id;
    const openedCase = referral.referred_case_id
      ? await findCaseById(db, referral.referred_case_id)
      : undefined;
    const { errorList, fieldErrors } = errorView(extra.errors ?? [], t);
    return reply.view(VIEW, {
      errorList,
      fieldErrors,
      referral: {
        id: referral.id,
        kind: referral.kind,
        status: referral.status,
        tagColour: statusColour(referral.status),
      },
      source: { reference: source.reference },
      fromName: await names.organisation(referral.from_organisation_id),
      summaryRows: [
        [
          t('casework.referrals.view.from'),
          await names.organisation(referral.from_organisation_id),
        ],
        [t('casework.referrals.view.kind'), t(`casework.referrals.kindDone.${referral.kind}`)],
        [t('casework.referrals.view.service'), sourceService?.title ?? '—'],
        [t('casework.referrals.view.reason'), referral.reason],
        [
          t('casework.referrals.view.consent'),
          t('casework.referrals.view.consentText', {
            how: t(`casework.referrals.consent.${consent.how}`),
            name: recorder?.display_name ?? '—',
            date: formatDateTime(consent.recordedAt, locale),
          }),
        ],
        [t('casework.referrals.view.status'), t(`casework.referrals.status.${referral.status}`)],
      ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
      consentNote: consent.note ?? null,
      sentAt: referral.created_at,
      parts: shared.parts,
      answers: shared.answers?.map((row) => ({
        key: { text: row.question },
        value: { text: row.answer || '—' },
      })),
      attachments: shared.attachments?.map((file) => ({
        name: file.name,
        type: file.type,
        size: humanSize(file.size),
        href: sharedFilePath(referral.id, file.id),
      })),
      history: shared.history && (await historyOf(db, shared, t, locale)),
      notes: shared.notes,
      notShared: partsText(
        SHARED_PARTS.filter((part) => !shared.parts.includes(part)),
        t,
      ),
      responding,
      serviceItems: [
        { value: '', text: t('casework.referrals.accept.service.choose') },
        ...services.map((s) => ({ value: s.id, text: s.title, selected: s.id === chosen })),
      ],
      hasServices: services.length > 0,
      responseMax: RESPONSE_MAX,
      values,
      openedCase:
        openedCase && isReceiver(user, referral) ? { reference: openedCase.reference } : null,
      backLink: '/casework/referrals',
    });
  }

  app.get('/casework/referrals/:id', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    return renderReferral(request, reply, user);
  });

  /**
   * A file of the shared case, to the receiving body while its attachments are shared: the
   * referral check first (anyone else, and a file not of that case, gets "not found"), then the
   * attachments module serves it and audits the read with the reading body.
   */
  app.get('/casework/referrals/:id/files/:fileId', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { id, fileId } = request.params as { id: string; fileId: string };
    const { file, caseRow, referral } = await sharedFile(db, user, id, fileId);
    return sendSharedAttachment(request, reply, file.id, {
      actor: auditActor(actorOf(request, user)),
      details: {
        reference: caseRow.reference,
        referral_id: referral.id,
        reading_organisation_id: user.organisationId,
      },
    });
  });

  /** A referral answered or withdrawn meanwhile: the list says so (the referral may be gone from view). */
  function tooLate(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    errors: FieldError[],
  ) {
    return renderList(request, reply.code(409), user, errors);
  }

  app.post('/casework/referrals/:id/accept', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const referral = await findReferral(db, id);
    if (!referral || !isReceiver(user, referral))
      throw notFound({ referralId: id, userId: user.id, reason: 'not this body’s referral' });
    let serviceId: string | null = null;
    if (referral.kind === 'refer' && canRespond(user, referral)) {
      const wanted =
        typeof body(request).serviceId === 'string' ? String(body(request).serviceId) : '';
      const services = await servicesOf(db, referral.to_organisation_id, request.locale);
      if (!services.some((s) => s.id === wanted))
        return renderReferral(request, reply.code(400), user, {
          values: body(request),
          errors: [{ field: 'serviceId', message: 'casework.referrals.errors.service' }],
        });
      serviceId = wanted;
    }
    const outcome = await db
      .transaction()
      .execute((trx) => acceptReferral(trx, id, { serviceId }, actorOf(request, user)));
    if (!outcome.ok) return tooLate(request, reply, user, outcome.errors);
    return reply.redirect(
      outcome.openedCase
        ? `/casework/${outcome.openedCase.reference}`
        : `/casework/referrals/${id}`,
      303,
    );
  });

  app.post('/casework/referrals/:id/decline', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const referral = await findReferral(db, id);
    if (!referral || !isReceiver(user, referral))
      throw notFound({ referralId: id, userId: user.id, reason: 'not this body’s referral' });
    const read = readDecline(body(request));
    if (!read.ok)
      return canRespond(user, referral)
        ? renderReferral(request, reply.code(400), user, {
            values: body(request),
            errors: read.errors,
          })
        : tooLate(request, reply, user, [
            { field: 'referral', message: 'casework.referrals.errors.answered' },
          ]);
    const outcome = await db
      .transaction()
      .execute((trx) => declineReferral(trx, id, read.response, actorOf(request, user)));
    if (!outcome.ok) return tooLate(request, reply, user, outcome.errors);
    return reply.redirect('/casework/referrals?view=answered', 303);
  });

  app.post('/casework/referrals/:id/withdraw', async (request, reply) => {
    const user = requireStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const outcome = await db
      .transaction()
      .execute((trx) => withdrawReferral(trx, id, actorOf(request, user)));
    const referral = outcome.ok ? outcome.referral : await findReferral(db, id);
    const caseRow = (await findCaseById(db, referral!.case_id))!;
    if (!outcome.ok)
      return renderForm(request, reply.code(outcome.status), caseRow, { errors: outcome.errors });
    return reply.redirect(`/casework/${caseRow.reference}#referrals-title`, 303);
  });
}
