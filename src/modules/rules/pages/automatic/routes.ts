/**
 * Deciding by rules, its two pages: the service owner's setting
 * (`/rules/staff/<service>/automatic-decisions`: let the rules decide, and the sample a caseworker
 * checks), and the applicant's request for a person to review an automatic decision
 * (`/applications/<reference>/automatic-decision/review`). Server-rendered, no JavaScript.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';
import { ownedService, type OwnedServiceSummary } from '../../../catalogue/index.js';
import { getForApplicant } from '../../../submissions/index.js';
import { automationOf, setAutomation } from '../../automatic/settings.js';
import { automaticDecisionOf, MAX_REASON, requestAutomaticReview } from '../../automatic/review.js';
import { canSetAutomation, mayAskForReview } from '../../policies/automatic.js';
import { ruleSetInForce } from '../../queries/versions.js';

const SETTINGS = 'modules/rules/pages/automatic/settings.njk';
const REVIEW = 'modules/rules/pages/automatic/review.njk';

function staffActor(request: FastifyRequest, user: CurrentUser): Actor {
  const role = isPlatformAdmin(user)
    ? 'platform-admin'
    : user.roles.includes('admin')
      ? 'admin'
      : 'service-owner';
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

export function automaticRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext): void {
  /** The service, when the user may set how it decides; otherwise "Page not found". */
  async function serviceFor(user: CurrentUser, serviceId: string): Promise<OwnedServiceSummary> {
    const service = await ownedService(db, serviceId);
    if (!service || !canSetAutomation(user, service)) throw notFound({ serviceId });
    return service;
  }

  async function settingsView(request: FastifyRequest, service: OwnedServiceSummary) {
    const title = request.locale === 'cy' ? (service.titleCy ?? service.title) : service.title;
    const inForce = await ruleSetInForce(db, service.id, 'eligibility');
    return { service: { ...service, title }, inForce: inForce?.version ?? null };
  }

  app.get('/rules/staff/:serviceId/automatic-decisions', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { serviceId } = request.params as { serviceId: string };
    const service = await serviceFor(user, serviceId);
    const automation = await automationOf(db, service.id);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return reply.view(SETTINGS, {
      ...(await settingsView(request, service)),
      decide: automation.decide,
      samplePercent: String(automation.samplePercent),
      saved,
    });
  });

  app.post('/rules/staff/:serviceId/automatic-decisions', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { serviceId } = request.params as { serviceId: string };
    const service = await serviceFor(user, serviceId);
    const decideText = formText(request.body, 'decide');
    const samplePercent = formText(request.body, 'samplePercent');
    const errors: { text: string; href: string }[] = [];
    if (decideText !== 'yes' && decideText !== 'no')
      errors.push({ text: request.t('rules.automatic.settings.error.decide'), href: '#decide' });
    const outcome = errors.length
      ? undefined
      : await db
          .transaction()
          .execute((trx) =>
            setAutomation(
              trx,
              user,
              service,
              { decide: decideText === 'yes', samplePercent },
              staffActor(request, user),
            ),
          );
    if (outcome && !outcome.ok && outcome.errors.some((e) => e.message === 'forbidden'))
      throw notFound({ serviceId });
    if (outcome && !outcome.ok)
      errors.push({
        text: request.t('rules.automatic.settings.error.sample'),
        href: '#samplePercent',
      });
    if (errors.length)
      return reply.code(400).view(SETTINGS, {
        ...(await settingsView(request, service)),
        decide: decideText === 'yes' ? true : decideText === 'no' ? false : null,
        samplePercent,
        errorList: errors,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), { text: e.text }])),
      });
    return reply.redirect(`/rules/staff/${service.id}/automatic-decisions?saved=1`, 303);
  });

  /** The applicant's automatic decision, or "Page not found" (not theirs, or not automatic). */
  async function decisionFor(request: FastifyRequest, user: CurrentUser) {
    const { reference } = request.params as { reference: string };
    const { submission, asAgent } = await getForApplicant(db, user, reference);
    if (!mayAskForReview(user, submission, asAgent)) throw notFound({ reference });
    const decision = await automaticDecisionOf(db, submission.id);
    if (!decision) throw notFound({ reference });
    return { submission, decision };
  }

  function reviewView(
    request: FastifyRequest,
    found: Awaited<ReturnType<typeof decisionFor>>,
    extra: Record<string, unknown> = {},
  ) {
    const { submission, decision } = found;
    return {
      reference: submission.reference,
      explanation: decision.explanation[request.locale],
      decidedAt: formatDateTime(decision.decided_at, request.locale),
      requestedAt: decision.review_requested_at
        ? formatDateTime(decision.review_requested_at, request.locale)
        : null,
      reason: decision.review_reason ?? '',
      maxReason: MAX_REASON,
      backLink: `/applications/${submission.reference}`,
      ...extra,
    };
  }

  app.get('/applications/:reference/automatic-decision/review', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const found = await decisionFor(request, user);
    return reply.view(REVIEW, reviewView(request, found));
  });

  app.post('/applications/:reference/automatic-decision/review', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const found = await decisionFor(request, user);
    const reason = formText(request.body, 'reason');
    const outcome = await db.transaction().execute((trx) =>
      requestAutomaticReview(
        trx,
        found.decision,
        {
          reason,
          applicantUserId: found.submission.applicant_user_id,
          reference: found.submission.reference,
        },
        {
          userId: user.id,
          organisationId: null,
          role: user.actingFor ? 'agent' : 'applicant',
          requestId: request.id,
        },
      ),
    );
    if (!outcome.ok) {
      const text = request.t('rules.automatic.review.error.reason', { max: MAX_REASON });
      return reply.code(400).view(
        REVIEW,
        reviewView(request, found, {
          reason,
          errorList: [{ text, href: '#reason' }],
          reasonError: { text },
        }),
      );
    }
    wakeOutbox();
    return reply.redirect(
      `/applications/${found.submission.reference}/automatic-decision/review`,
      303,
    );
  });
}
