/**
 * "Save and come back later" for someone without an account (a signed-in person's answers are
 * saved as they go): they give an e-mail address and get a link that opens their answers on any
 * device for 28 days. The link carries the draft's secret; only its hash is stored.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { MAIL_TOPIC } from '../../../../platform/mail/mailer.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';
import { allowResume, findDraftByResumeToken, RESUME_DAYS } from '../../drafts.js';
import { parseEmail } from '../../parsers.js';
import { errorsView, pageError, type JourneySupport } from '../support.js';

const SAVE = 'modules/forms/pages/save/save.njk';
const SAVED = 'modules/forms/pages/save/saved.njk';
const EXPIRED = 'modules/forms/pages/save/expired.njk';

const EMAIL_MESSAGES = {
  required: { en: 'Enter your email address', cy: 'Rhowch eich cyfeiriad e-bost' },
  invalid: {
    en: 'Enter an email address in the correct format, like name@example.com',
    cy: 'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
  },
};

/** At most 5 links a quarter of an hour from one address: the form is not a way to send mail. */
const SENDING_LIMIT = {
  max: 5,
  timeWindow: 15 * 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `forms-resume:${request.ip}`,
};

export function saveRoutes(
  app: FastifyInstance,
  support: JourneySupport,
  { db, config, wakeOutbox }: AppContext,
): void {
  app.get('/services/:slug/apply/save', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    // Signed in, every answer is already kept; without a draft there is nothing to keep yet.
    if (journey.user || !journey.draft) return reply.redirect(journey.base, 303);
    return reply.view(SAVE, {
      service: journey.service,
      days: RESUME_DAYS,
      email: { id: 'email', name: 'email', value: '' },
      backLink: journey.base,
    });
  });

  app.post(
    '/services/:slug/apply/save',
    { config: { rateLimit: SENDING_LIMIT } },
    async (request, reply) => {
      const journey = await support.load(request, reply);
      if (!journey) return reply;
      if (journey.user || !journey.draft || !journey.token)
        return reply.redirect(journey.base, 303);
      const typed = formText(request.body, 'email');
      const email = typed ? parseEmail(typed) : undefined;
      if (!email) {
        const errors = [
          pageError('email', typed ? EMAIL_MESSAGES.invalid : EMAIL_MESSAGES.required),
        ];
        const view = errorsView(errors, request.locale);
        return reply.code(400).view(SAVE, {
          service: journey.service,
          days: RESUME_DAYS,
          email: {
            id: 'email',
            name: 'email',
            value: typed.slice(0, 300),
            errorMessage: view.fieldErrors.email,
          },
          backLink: journey.base,
          ...view,
        });
      }
      const { service, draft, token, base } = journey;
      const link = `${config.baseUrl}${base}/resume/${token}`;
      const expires = await db.transaction().execute(async (trx) => {
        const until = await allowResume(trx, draft.id);
        const date = formatDate(until, request.locale);
        await enqueue(trx, {
          topic: MAIL_TOPIC,
          payload: {
            to: email,
            subject: request.t('forms.save.mailSubject', { service: service.title }),
            text: request.t('forms.save.mailText', { service: service.title, link, date }),
          },
          idempotencyKey: `forms.resume-link:${draft.id}:${randomUUID()}`,
        });
        return date;
      });
      wakeOutbox();
      return reply.view(SAVED, {
        service,
        email,
        date: expires,
        continueHref: base,
      });
    },
  );

  /**
   * The e-mailed link: puts the draft's secret in this browser's cookie and carries on where the
   * person stopped. An expired or unknown link says so, and offers to start again.
   */
  app.get('/services/:slug/apply/resume/:token', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    const { token } = request.params as { token: string };
    const draft = /^[A-Za-z0-9_-]{20,100}$/.test(token)
      ? await findDraftByResumeToken(db, token, journey.service.id)
      : undefined;
    if (!draft)
      return reply.code(404).view(EXPIRED, { service: journey.service, startHref: journey.base });
    support.setDraftCookie(reply, journey.service.slug, token);
    return reply.redirect(journey.base, 303);
  });
}
