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
import { requireSignIn } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { Db } from '../../../platform/db/database.js';
import type { SubmissionEventRow, SubmissionRow } from '../db/tables.js';
import { getForApplicant, listForApplicant } from '../queries/submissions.js';

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

/** The status history in words: "Received by Stroud District Council", "Approved: collection on …". */
export async function describeHistory(
  events: SubmissionEventRow[],
  names: ReturnType<typeof nameLookup>,
  t: Translate,
  locale: Locale,
) {
  return Promise.all(
    events.map(async (event) => {
      const organisation = event.actor_organisation_id
        ? await names.organisation(event.actor_organisation_id)
        : '';
      let detail = '';
      if (event.status === 'approved' && event.details.collectionDate) {
        detail = t('submissions.history.collectionDate', {
          date: formatDate(event.details.collectionDate, locale),
        });
      } else if (event.status === 'rejected' && event.details.reason) {
        detail = t('submissions.history.reason', { reason: event.details.reason });
      }
      return {
        title: t(`submissions.history.${event.status}`, { organisation }),
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
  return submission.answers.summary[locale].map((row) => ({
    key: { text: row.question },
    value: { text: row.answer || '—' },
  }));
}

/** "Your applications": a person's own submissions, each with its history and who has looked at it. */
export function submissionRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/applications', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const names = nameLookup(db, request.locale);
    const rows = await listForApplicant(db, user.id);
    const applications = await Promise.all(
      rows.map(async (s) => ({
        reference: s.reference,
        status: s.status,
        submittedAt: s.submitted_at,
        serviceTitle: await names.service(s.service_id),
        organisationName: await names.organisation(s.organisation_id),
      })),
    );
    return reply.view(LIST, { applications });
  });

  app.get('/applications/:reference', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const { submission, events, views } = await getForApplicant(db, user, reference);
    const names = nameLookup(db, request.locale);
    return reply.view(DETAIL, {
      submission,
      serviceTitle: await names.service(submission.service_id),
      history: await describeHistory(events, names, request.t, request.locale),
      views: await describeViews(views, names, request.t, request.locale),
      answerRows: answerRows(submission, request.locale),
      backLink: '/applications',
    });
  });

  app.get('/applications/:reference/confirmation', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const { submission } = await getForApplicant(db, user, reference);
    const names = nameLookup(db, request.locale);
    return reply.view(CONFIRMATION, {
      submission,
      organisationName: await names.organisation(submission.organisation_id),
    });
  });
}
