/**
 * The end of the journey: "Check your answers" (each with Change, which comes back here once
 * the page is answered again), the declaration when the form has one ("I agree"), sending —
 * the draft becomes a submission in one transaction — and, for someone without an account,
 * the confirmation page with the form's "what happens next".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import {
  actingAuditDetails,
  actingEntryOf,
  canActFor,
  type ApplyingBusiness,
} from '../../../agents/index.js';
import { linkAttachments } from '../../../attachments/index.js';
import { chargeFormFee, formatFee, heldApplicationPath } from '../../../fees/index.js';
import { createSubmission, findSubmissionByDraftId } from '../../../submissions/index.js';
import { decideByRules, ruleSetInForce } from '../../../rules/index.js';
import { deleteDraft, lockDraft } from '../../drafts.js';
import { pagesAsked } from '../../conditions.js';
import { firstIncompletePage } from '../../journey.js';
import { evidenceAnswersVerify, fallbackFiles } from '../evidence/routes.js';
import { formFee, type FormFee } from './fee.js';
import type { Answers, FormDefinition } from '../../schema.js';
import { summariseAnswers } from '../../summary.js';
import { answersToInput, validateAnswers } from '../../validate.js';
import { publishedVersion } from '../../versions.js';
import { actorOf, errorsView, pageError, type Journey, type JourneySupport } from '../support.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const CHECK = 'modules/forms/pages/check-answers/check-answers.njk';
const DECLARATION = 'modules/forms/pages/check-answers/declaration.njk';
const CONFIRMATION = 'modules/forms/pages/check-answers/confirmation.njk';
const REFERENCE = /^JU-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

const AGREE_REQUIRED = {
  en: 'Select ‘I agree’ if you agree with the declaration',
  cy: 'Dewiswch ‘Rwy’n cytuno’ os ydych yn cytuno â’r datganiad',
};

/** A fee from the service's rules that cannot be worked out: nothing is charged or sent. */
const FEE_UNAVAILABLE = {
  en: 'The fee for this service cannot be worked out at the moment, so your application cannot be sent yet. Your answers are saved. Try again later or contact the council.',
  cy: 'Ni ellir cyfrifo’r ffi ar gyfer y gwasanaeth hwn ar hyn o bryd, felly ni ellir anfon eich cais eto. Mae eich atebion wedi’u cadw. Rhowch gynnig arall arni yn nes ymlaen neu cysylltwch â’r cyngor.',
};

/** The fee as "Check your answers" and the declaration show it: the amount and, from rules, why. */
function feeView(form: FormDefinition, fee: FormFee, locale: 'en' | 'cy') {
  if (!fee.ok || fee.pence === 0) return null;
  return {
    amount: formatFee(fee.pence),
    description: form.fee!.description[locale],
    explanation: fee.explanation?.[locale] ?? null,
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The cookie that lets someone without an account see the confirmation of what they sent. */
function sentCookieName(slug: string): string {
  return `ju_sent_${slug}`;
}

/**
 * Who applied, from the answers, for an application sent without an account: the questions
 * marked to prefill a name, an e-mail address or a phone number say who the person is.
 */
function applicantFrom(form: FormDefinition, answers: Answers) {
  const details: { name?: string; email?: string; phone?: string } = {};
  for (const page of form.pages)
    for (const question of page.questions) {
      const value = answers[question.name];
      if (!('prefill' in question) || typeof value !== 'string' || !value) continue;
      if (question.prefill === 'fullName') details.name ??= value;
      if (question.prefill === 'email') details.email ??= value;
      if (question.prefill === 'phone') details.phone ??= value;
    }
  return Object.keys(details).length ? details : null;
}

/** The business or charity applied for, first on "Check your answers"; changed on its own page if there is a choice. */
function businessRow(request: FastifyRequest, journey: Journey) {
  const business = journey.business!;
  const label = request.t('forms.business.row');
  const numbers = [
    business.companiesHouseNumber &&
      request.t('forms.business.companyNumber', { number: business.companiesHouseNumber }),
    business.charityNumber &&
      request.t('forms.business.charityNumber', { number: business.charityNumber }),
  ].filter(Boolean);
  return {
    key: { text: label },
    value: {
      html: [escapeHtml(business.name), ...numbers.map((n) => escapeHtml(String(n)))].join('<br>'),
    },
    ...(journey.businesses.length > 1
      ? {
          actions: {
            items: [
              {
                href: `${journey.base}/business`,
                text: request.t('forms.check.change'),
                visuallyHiddenText: label,
              },
            ],
          },
        }
      : {}),
  };
}

/** The business as the submission keeps it: its account, and what it was called when sent. */
function businessRecord(business: ApplyingBusiness) {
  return {
    id: business.id,
    name: business.name,
    type: business.type,
    ...(business.companiesHouseNumber
      ? { companiesHouseNumber: business.companiesHouseNumber }
      : {}),
    ...(business.charityNumber ? { charityNumber: business.charityNumber } : {}),
  };
}

export function checkAnswersRoutes(
  app: FastifyInstance,
  support: JourneySupport,
  { db, wakeOutbox, config }: AppContext,
): void {
  /** The journey when every page asked has a valid answer; otherwise redirects to the first gap. */
  async function complete(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Journey | undefined> {
    const journey = await support.load(request, reply);
    if (!journey) return undefined;
    const { form, answers, base, draft } = journey;
    const missing = firstIncompletePage(form, answers, ukToday());
    if (missing || !draft) {
      reply.redirect(`${base}/${missing?.id ?? form.pages[0]!.id}`, 303);
      return undefined;
    }
    return journey;
  }

  app.get('/services/:slug/apply/check-answers', async (request, reply) => {
    const journey = await complete(request, reply);
    if (!journey) return reply;
    const { form, answers, base, service, draft, acting } = journey;
    const rows = summariseAnswers(form, answers, request.locale).map((row) => ({
      key: { text: row.question },
      value: { html: row.answer ? escapeHtml(row.answer).replaceAll('\n', '<br>') : '—' },
      actions: {
        items: [
          {
            href: row.item ? `${base}/${row.pageId}/item/${row.item}` : `${base}/${row.pageId}`,
            text: request.t('forms.check.change'),
            visuallyHiddenText: row.question,
          },
        ],
      },
    }));
    const lastPage = pagesAsked(form, answers).at(-1) ?? form.pages.at(-1)!;
    const fee = await formFee(db, service.id, form.fee, answers);
    if (!fee.ok)
      request.log.warn({ serviceId: service.id, reason: fee.reason }, 'form fee unavailable');
    return reply.view(CHECK, {
      fee: feeView(form, fee, request.locale),
      // The fee rules version that priced what is shown (even £0), sent back with the application.
      feeRules: fee.ok ? (fee.ruleSetVersionId ?? '') : '',
      feeUnavailable: !fee.ok,
      ...errorsView(fee.ok ? [] : [pageError('fee', FEE_UNAVAILABLE)], request.locale),
      service,
      rows: journey.business ? [businessRow(request, journey), ...rows] : rows,
      draftId: draft!.id,
      actingFor: journey.user?.actingFor?.userId ?? '',
      acting,
      declaration: Boolean(form.declaration),
      declarationHref: `${base}/declaration`,
      backLink: `${base}/${lastPage.id}`,
    });
  });

  async function renderDeclaration(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    error = false,
  ) {
    const fee = await formFee(db, journey.service.id, journey.form.fee, journey.answers);
    // A fee that cannot be worked out is explained on "Check your answers", which sends nothing.
    if (!fee.ok) return reply.redirect(`${journey.base}/check-answers`, 303);
    const view = errorsView(error ? [pageError('agree', AGREE_REQUIRED)] : [], request.locale);
    return reply.view(DECLARATION, {
      fee: feeView(journey.form, fee, request.locale),
      feeRules: fee.ruleSetVersionId ?? '',
      service: journey.service,
      text: journey.form.declaration?.[request.locale] ?? '',
      draftId: journey.draft!.id,
      actingFor: journey.user?.actingFor?.userId ?? '',
      acting: journey.acting,
      agree: {
        idPrefix: 'agree',
        name: 'agree',
        errorMessage: view.fieldErrors.agree,
        items: [{ value: 'yes', text: request.t('forms.declaration.agree') }],
      },
      backLink: `${journey.base}/check-answers`,
      ...view,
    });
  }

  app.get('/services/:slug/apply/declaration', async (request, reply) => {
    const journey = await complete(request, reply);
    if (!journey) return reply;
    if (!journey.form.declaration) return reply.redirect(`${journey.base}/check-answers`, 303);
    return renderDeclaration(request, reply, journey);
  });

  /**
   * Sends the application. The draft is locked, checked as a whole against its form version,
   * turned into a submission with its outbox message, and deleted, in one transaction; a second
   * click finds the submission made by the first and shows the same confirmation. An agent's
   * authority is checked again inside the transaction, so a revocation just before the click
   * creates nothing.
   */
  app.post('/services/:slug/apply/submit', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    const { service, user, base, applicantId, form, token } = journey;
    const draftId = formText(request.body, 'draftId');
    if (!isUuid(draftId)) return reply.redirect(`${base}/check-answers`, 303);
    if (form.declaration && formText(request.body, 'agree') !== 'yes') {
      if (!journey.draft || journey.draft.id !== draftId)
        return reply.redirect(`${base}/check-answers`, 303);
      return renderDeclaration(request, reply.code(400), journey, true);
    }
    const owner = applicantId ? { userId: applicantId } : token ? { token } : undefined;
    if (!owner) return reply.redirect(`${base}/check-answers`, 303);
    const entry = actingEntryOf(user);
    const today = ukToday();
    const outcome = await db.transaction().execute(async (trx) => {
      if (
        user?.actingFor &&
        !user.assisting &&
        applicantId &&
        !(await canActFor(trx, user, applicantId, service.id))
      )
        return { refused: true as const };
      const draft = await lockDraft(trx, draftId, owner);
      if (!draft) {
        const earlier = await findSubmissionByDraftId(trx, draftId);
        // The first click sent it (the draft id is only ever on the applicant's own page).
        if (!earlier || earlier.applicant_user_id !== applicantId)
          return { incomplete: true as const };
        // Still waiting for its fee: back to the page that lets them pay it.
        const held =
          earlier.status === 'awaiting-payment'
            ? await heldApplicationPath(trx, config.SESSION_SECRET, earlier.id)
            : null;
        return { reference: earlier.reference, version: earlier.form_version, nextUrl: held };
      }
      // The version the draft began on, even if a newer one has been published since.
      const definition =
        draft.form_key && draft.form_version
          ? await publishedVersion(trx, draft.form_key, draft.form_version)
          : form;
      if (
        !definition ||
        draft.service_id !== service.id ||
        firstIncompletePage(definition, draft.answers, today)
      )
        return { incomplete: true as const };
      const checked = validateAnswers(definition, answersToInput(definition, draft.answers), {
        today,
      });
      if (!checked.ok) return { incomplete: true as const };
      // An evidence check's answer must be exactly what Joinedup signed, asked by this body.
      if (!evidenceAnswersVerify(config, definition, checked.answers, service.organisation.id))
        return { incomplete: true as const };
      // A form with a fee: the application is kept, not sent on, until the fee is paid. A fee from
      // rules is priced by the fee rules in force now; none in force, or answers they cannot
      // price, send nothing and charge nothing ("Check your answers" says so).
      const priced = await formFee(trx, service.id, definition.fee, checked.answers);
      if (!priced.ok) return { incomplete: true as const };
      // The person saw an amount priced by one version; a newer one in force since shows them the new amount first.
      const seen = formText(request.body, 'feeRules');
      if (priced.ruleSetVersionId && seen && seen !== priced.ruleSetVersionId)
        return { incomplete: true as const };
      const fee = priced.pence;
      // It is decided under the eligibility rules in force now, even after newer ones take effect.
      const rules = await ruleSetInForce(trx, service.id, 'eligibility');
      const submission = await createSubmission(
        trx,
        {
          draftId: draft.id,
          serviceId: service.id,
          organisationId: service.organisation.id,
          applicantUserId: applicantId,
          answers: {
            values: checked.answers,
            summary: {
              en: summariseAnswers(definition, checked.answers, 'en'),
              cy: summariseAnswers(definition, checked.answers, 'cy'),
            },
            nextSteps: definition.confirmation.body,
          },
          agent:
            entry && user
              ? {
                  userId: user.id,
                  name: user.displayName,
                  businessId: entry.agentBusinessId,
                  businessName: entry.agentBusinessName,
                }
              : null,
          applicant: applicantId ? null : applicantFrom(definition, checked.answers),
          formVersion: draft.form_version ?? journey.version.version,
          business: journey.business ? businessRecord(journey.business) : null,
          awaitingPayment: fee > 0,
          ruleSetVersionId: rules?.id ?? null,
          // Assisted digital: the adviser filled it in with the customer on the phone or at a counter.
          ...(user?.assisting ? { channel: user.assisting.channel, assistedBy: user.id } : {}),
        },
        actorOf(request, user),
        user?.assisting
          ? { on_behalf_of: applicantId, assisted_by: user.id, channel: user.assisting.channel }
          : actingAuditDetails(user),
      );
      // The files uploaded with it go with it: the body's caseworkers may read them from now on.
      const fileIds = definition.pages
        .flatMap((page) => page.questions)
        .filter((question) => question.type === 'file' || question.type === 'evidence')
        .flatMap((question) => fallbackFiles(checked.answers, question.name))
        .map((file) => file.id);
      await linkAttachments(trx, submission.id, service.organisation.id, fileIds, {
        ownerUserId: applicantId,
      });
      await deleteDraft(trx, draft.id);
      // Where the service lets its rules decide: approved at once, or to a caseworker as before.
      if (fee === 0)
        await decideByRules(trx, config, {
          submission,
          answers: checked.answers,
          evidenceQuestions: definition.pages
            .flatMap((page) => page.questions)
            .filter((question) => question.type === 'evidence')
            .map((question) => question.name),
        });
      const payment =
        fee > 0
          ? await chargeFormFee(trx, config.SESSION_SECRET, {
              application: {
                id: submission.id,
                reference: submission.reference,
                organisationId: service.organisation.id,
                applicantUserId: applicantId,
              },
              amount: fee,
              description: definition.fee!.description[request.locale],
              email:
                (user && !user.assisting ? user.email : null) ??
                applicantFrom(definition, checked.answers)?.email ??
                null,
              language: request.locale,
              ruleSetVersionId: priced.ruleSetVersionId,
            })
          : null;
      return {
        reference: submission.reference,
        version: draft.form_version ?? journey.version.version,
        nextUrl: payment?.nextUrl ?? null,
      };
    });
    if ('refused' in outcome)
      return support.refuse(request, reply, service, user!, user?.actingFor?.displayName ?? null);
    if ('incomplete' in outcome) return reply.redirect(`${base}/check-answers`, 303);
    wakeOutbox();
    // An adviser goes back to the customer's record; a fee stays due there for the customer.
    if (user?.assisting)
      return reply.redirect(`${user.assisting.returnTo}?sent=${outcome.reference}`, 303);
    if (outcome.nextUrl) {
      // To the payment pages; the fees module shows how it went and sends the application on.
      if (!user) support.clearDraftCookie(reply, service.slug);
      return reply.redirect(outcome.nextUrl, 303);
    }
    if (user) return reply.redirect(`/applications/${outcome.reference}/confirmation`, 303);
    // Without an account there is no "your applications": the confirmation is the journey's own.
    support.clearDraftCookie(reply, service.slug);
    reply.setCookie(sentCookieName(service.slug), `${outcome.reference}.${outcome.version ?? ''}`, {
      path: base,
      httpOnly: true,
      sameSite: 'lax',
      secure: support.secure,
      maxAge: 24 * 60 * 60,
    });
    return reply.redirect(`${base}/confirmation/${outcome.reference}`, 303);
  });

  /** The confirmation for someone without an account: shown to the browser that sent it. */
  app.get('/services/:slug/apply/confirmation/:reference', async (request, reply) => {
    const { slug, reference } = request.params as { slug: string; reference: string };
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    const [sent, version] = (request.cookies[sentCookieName(slug)] ?? '').split('.');
    if (!REFERENCE.test(reference) || sent !== reference)
      return reply.redirect(`/services/${journey.service.slug}`, 303);
    const form =
      (version && /^\d+$/.test(version)
        ? await publishedVersion(db, journey.version.key, Number(version))
        : undefined) ?? journey.form;
    const { locale, t } = request;
    return reply.view(CONFIRMATION, {
      service: journey.service,
      title: form.confirmation.title?.[locale] ?? t('forms.confirmation.title'),
      reference,
      body: form.confirmation.body[locale],
      organisationName: journey.service.organisation.name,
    });
  });
}
