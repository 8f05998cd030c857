/**
 * The first page of a form for businesses (`applicant: "business"`) when the applicant has more
 * than one business or charity account: "Which business is this application for?". The choice is
 * kept on the draft and can be changed from "Check your answers". Someone with none is shown how
 * to make one instead (support.ts, `noBusiness`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import { chooseBusiness } from '../../drafts.js';
import { firstIncompletePage } from '../../journey.js';
import {
  BUSINESS_ROUTE,
  errorsView,
  pageError,
  type Journey,
  type JourneySupport,
} from '../support.js';

const VIEW = 'modules/forms/pages/business/business.njk';

const CHOOSE = {
  en: 'Select the business or charity this application is for',
  cy: 'Dewiswch y busnes neu’r elusen y mae’r cais hwn ar ei gyfer',
};

export function businessRoutes(
  app: FastifyInstance,
  support: JourneySupport,
  { db }: AppContext,
): void {
  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    chosen: string,
    error = false,
  ) {
    const { t } = request;
    const view = errorsView(error ? [pageError('business', CHOOSE)] : [], request.locale);
    return reply.view(VIEW, {
      service: journey.service,
      action: `${journey.base}/business`,
      actingFor: journey.user?.actingFor?.userId ?? '',
      actingClient: journey.user?.actingFor?.displayName ?? null,
      radios: {
        idPrefix: 'business',
        name: 'business',
        fieldset: {
          legend: {
            text: t('forms.business.question'),
            isPageHeading: true,
            classes: 'govuk-fieldset__legend--l',
          },
        },
        hint: { text: t('forms.business.hint') },
        errorMessage: view.fieldErrors.business,
        items: journey.businesses.map((business) => ({
          value: business.id,
          text: business.name,
          checked: business.id === chosen,
          hint: {
            text: [
              t(`forms.business.type.${business.type}`),
              business.companiesHouseNumber &&
                t('forms.business.companyNumber', { number: business.companiesHouseNumber }),
              business.charityNumber &&
                t('forms.business.charityNumber', { number: business.charityNumber }),
            ]
              .filter(Boolean)
              .join(', '),
          },
        })),
      },
      backLink: `/services/${journey.service.slug}`,
      ...view,
    });
  }

  app.get(BUSINESS_ROUTE, async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    // A form for anyone, or only one business to apply for: nothing to ask.
    if (journey.businesses.length < 2) return reply.redirect(journey.base, 303);
    return render(request, reply, journey, journey.business?.id ?? '');
  });

  app.post(BUSINESS_ROUTE, async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    if (journey.businesses.length < 2) return reply.redirect(journey.base, 303);
    const chosen = journey.businesses.find((b) => b.id === formText(request.body, 'business'));
    if (!chosen) return render(request, reply.code(400), journey, '', true);
    await chooseBusiness(
      db,
      journey.applicantId!,
      journey.service.id,
      journey.version,
      chosen.id,
      journey.agent,
    );
    const next = firstIncompletePage(journey.form, journey.answers, ukToday());
    return reply.redirect(
      next ? `${journey.base}/${next.id}` : `${journey.base}/check-answers`,
      303,
    );
  });
}
