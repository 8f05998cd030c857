import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../../platform/audit/audit.js';
import {
  formatDate,
  formatDateTime,
  type Locale,
  type Translate,
} from '../../../platform/i18n/i18n.js';
import type { AppContext } from '../../../platform/http/types.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { actingEntryOf } from '../../agents/index.js';
import { findUserById, requireSignIn } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { Db } from '../../../platform/db/database.js';
import { detailText, type SubmissionEventRow, type SubmissionRow } from '../db/tables.js';
import { getForApplicant, listForActingAgent, listForApplicant } from '../queries/submissions.js';
import { automaticDecisionIn } from '../commands/automatic-decision.js';

const LIST = 'modules/submissions/pages/applications/applications.njk';
const DETAIL = 'modules/submissions/pages/application/application.njk';
const CONFIRMATION = 'modules/submissions/pages/confirmation/confirmation.njk';

/** Names of services and organisations in the reader's language, looked up once per page. */
export function nameLookup(db: Db, locale: Locale) {
  const services = new Map<string, Promise<string>>();
  const organisations = new Map<string, Promise<string>>();
  return {
    service(id: string) {
      if (!services.has(id))
        services.set(
          id,
          findPublishedServiceById(db, id, locale).then((s) => s?.title ?? '—'),
        );
      return services.get(id)!;
    },
    organisation(id: string) {
      if (!organisations.has(id)) {
        organisations.set(
          id,
          findOrganisationById(db, id).then(
            (o) => (locale === 'cy' ? o?.name_cy : null) ?? o?.name ?? '—',
          ),
        );
      }
      return organisations.get(id)!;
    },
  };
}

/**
 * Who sent it, in words. To the applicant: "You sent your application", or "Sent by Chris Agent
 * (Cotswold Accountants LLP) on behalf of you". To anyone else (a caseworker, the agent), pass
 * `applicantName`: "Sent by Sam Citizen", or "Sent by Chris Agent (…) on behalf of Sam Citizen".
 */
function describeSending(
  event: SubmissionEventRow,
  t: Translate,
  applicantName: string | undefined,
): string {
  const agent = detailText(event.details, 'agent_name');
  const business = detailText(event.details, 'agent_business_name');
  if (applicantName === undefined)
    return agent
      ? t('submissions.history.submittedByAgent', { agent, business })
      : t('submissions.history.submitted');
  return agent
    ? t('submissions.history.submittedByAgentFor', { agent, business, applicant: applicantName })
    : t('submissions.history.submittedBy', { applicant: applicantName });
}

/**
 * The status history in words: "Received by Stroud District Council", "Approved: collection
 * on …". Written to the applicant unless `options.applicantName` is given (staff, an agent).
 */
export async function describeHistory(
  events: SubmissionEventRow[],
  names: ReturnType<typeof nameLookup>,
  t: Translate,
  locale: Locale,
  options: { applicantName?: string } = {},
) {
  return Promise.all(
    events.map(async (event) => {
      const organisation = event.actor_organisation_id
        ? await names.organisation(event.actor_organisation_id)
        : '';
      const text = (key: string) => detailText(event.details, key);
      let detail = '';
      if (event.status === 'approved' && text('collectionDate')) {
        detail = t('submissions.history.collectionDate', {
          date: formatDate(text('collectionDate'), locale),
        });
      } else if (event.status === 'rejected' && text('reason')) {
        detail = t('submissions.history.reason', { reason: text('reason') });
      } else if (event.status === 'rejected' && Array.isArray(event.details.reasons)) {
        detail = t('submissions.history.reason', { reason: event.details.reasons.join('; ') });
      } else if (event.status === 'decided' && text('decision_outcome')) {
        detail = t(`submissions.history.outcome.${text('decision_outcome')}`, {
          summary: text('decision_summary'),
        });
      }
      return {
        title:
          event.status === 'submitted'
            ? describeSending(event, t, options.applicantName)
            : t(`submissions.history.${event.status}`, { organisation }),
        detail,
        occurredAt: event.occurred_at,
      };
    }),
  );
}

async function describeViews(
  views: AuditEntry[],
  names: ReturnType<typeof nameLookup>,
  t: Translate,
  locale: Locale,
) {
  return Promise.all(
    views.map(async (view) =>
      t('submissions.detail.viewedBy', {
        organisation: view.actor_organisation_id
          ? await names.organisation(view.actor_organisation_id)
          : '—',
        role: t(`roles.${view.actor_role ?? 'caseworker'}`),
        when: formatDateTime(view.occurred_at, locale),
      }),
    ),
  );
}

export function answerRows(submission: SubmissionRow, locale: Locale) {
  const rows = submission.answers.summary[locale].map((row) => ({
    key: { text: row.question },
    value: { text: row.answer || '—' },
  }));
  // A service for businesses: the business or charity it is for, first.
  const business = submission.applicant_business;
  if (!business) return rows;
  const numbers = [
    business.companiesHouseNumber &&
      `${BUSINESS_WORDS.company[locale]} ${business.companiesHouseNumber}`,
    business.charityNumber && `${BUSINESS_WORDS.charity[locale]} ${business.charityNumber}`,
  ].filter(Boolean);
  return [
    {
      key: { text: BUSINESS_WORDS.row[locale] },
      value: { text: [business.name, ...numbers].join(', ') },
    },
    ...rows,
  ];
}

const BUSINESS_WORDS = {
  row: { en: 'Business or charity', cy: 'Busnes neu elusen' },
  company: { en: 'Companies House number', cy: 'Rhif Tŷ’r Cwmnïau' },
  charity: { en: 'charity number', cy: 'rhif elusen' },
} as const;

/**
 * "Your applications": a person's own submissions, each with its history and who has looked at
 * it. An agent acting for a client sees the client's, in the services the authority covers.
 */
export function submissionRoutes(
  app: FastifyInstance,
  { db, applicationSections }: AppContext,
): void {
  app.get('/applications', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const names = nameLookup(db, request.locale);
    const rows = user.actingFor
      ? await listForActingAgent(db, user)
      : await listForApplicant(db, user.id);
    const applications = await Promise.all(
      rows.map(async (s) => ({
        reference: s.reference,
        status: s.status,
        submittedAt: s.submitted_at,
        serviceTitle: await names.service(s.service_id),
        organisationName: await names.organisation(s.organisation_id),
      })),
    );
    return reply.view(LIST, { applications, client: user.actingFor?.displayName ?? null });
  });

  app.get('/applications/:reference', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const { submission, events, views, asAgent } = await getForApplicant(db, user, reference, {
      userId: user.id,
      organisationId: null,
      role: 'agent',
      requestId: request.id,
    });
    const names = nameLookup(db, request.locale);
    return reply.view(DETAIL, {
      submission,
      serviceTitle: await names.service(submission.service_id),
      client: asAgent ? user.actingFor!.displayName : null,
      history: await describeHistory(
        events,
        names,
        request.t,
        request.locale,
        asAgent ? { applicantName: user.actingFor!.displayName } : {},
      ),
      views: await describeViews(views, names, request.t, request.locale),
      answerRows: answerRows(submission, request.locale),
      sections: await applicationSections(request, {
        id: submission.id,
        reference: submission.reference,
      }),
      backLink: '/applications',
    });
  });

  app.get('/applications/:reference/confirmation', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const { submission, events, asAgent } = await getForApplicant(db, user, reference);
    const names = nameLookup(db, request.locale);
    // Decided at once by the service's rules: said, with why, and how to ask a person to review it.
    const automatic = automaticDecisionIn(events, request.locale);
    // The receipt goes to the applicant: the client, when an agent sent it for them.
    const applicant =
      asAgent && submission.applicant_user_id
        ? await findUserById(db, submission.applicant_user_id)
        : null;
    const entry = asAgent ? actingEntryOf(user) : null;
    return reply.view(CONFIRMATION, {
      submission,
      organisationName: await names.organisation(submission.organisation_id),
      email: applicant?.email ?? user.email,
      acting: entry ? { client: entry.clientName, business: entry.agentBusinessName } : null,
      nextSteps: nextStepsIn(submission.answers.nextSteps, request.locale),
      automatic,
    });
  });
}

/** The form's "what happens next" in the reader's language (English when it has no Welsh). */
function nextStepsIn(
  nextSteps: { en: string; cy: string } | undefined,
  locale: 'en' | 'cy',
): string[] {
  const text = (locale === 'cy' && nextSteps?.cy) || nextSteps?.en || '';
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
