/**
 * "My data" (`/account/my-data`): everything Joinedup holds about the signed-in person, module
 * by module with what each holds and for how long, who of the bodies' staff read it and why,
 * and their subject access requests to bodies; with the same as JSON and CSV downloads.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate, formatDateTime } from '../../../../platform/i18n/i18n.js';
import { requireSignIn } from '../../../identity/index.js';
import { toCsv } from '../../export/csv.js';
import { mayRequestAccess, mayViewOwnData } from '../../policies/mydata.js';
import {
  accessLogSection,
  myData,
  requestsWithBodies,
  type MyData,
} from '../../queries/my-data.js';
import { requestsOf } from '../../queries/requests.js';
import { actorOf, fieldLabel, shownValue, textOr } from '../shared.js';

const VIEW = 'modules/mydata/pages/my-data/my-data.njk';
const DONE = ['sent'] as const;
/** The exports carry the whole access log (the page shows the latest 200). */
const ALL_READS = 1_000_000;

function signedInOwner(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!mayViewOwnData(user)) throw notFound({ reason: 'acting for a client' });
  return user;
}

/** A download of the person's own data is in the audit log too (about them, by them). */
async function auditExport(
  context: AppContext,
  request: FastifyRequest,
  user: CurrentUser,
  format: string,
) {
  await recordAudit(context.db, actorOf(request, user), {
    action: 'mydata.exported',
    resourceType: 'account',
    resourceId: user.id,
    subjectUserId: user.id,
    details: { format },
  });
}

function fileName(data: MyData, extension: string) {
  return `my-data-${data.generatedAt.toISOString().slice(0, 10)}.${extension}`;
}

export function myDataRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/account/my-data', async (request, reply) => {
    const user = signedInOwner(request, reply);
    if (!user) return reply;
    const { t, locale } = request;
    const [data, requests] = await Promise.all([
      myData(context, user.id, locale),
      requestsOf(context.db, user.id).then((rows) => requestsWithBodies(context.db, rows, locale)),
    ]);
    const done = (request.query as { done?: unknown }).done;
    return reply.view(VIEW, {
      done: DONE.find((d) => d === done) ?? null,
      mayRequest: mayRequestAccess(user),
      modules: data.modules.map((part) => ({
        name: part.module,
        heading: textOr(t, `mydata.module.${part.module}`, part.module),
        declared: part.declared,
        listed: part.listed,
        sections: part.sections.map((section) => ({
          key: section.key,
          title: textOr(t, section.title, section.key),
          records: section.rows.map((row) =>
            Object.entries(row).map(([field, value]) => ({
              key: { text: fieldLabel(field, t) },
              value: { text: shownValue(value, t, locale) },
            })),
          ),
        })),
      })),
      accessLog: data.accessLog.map((entry) => [
        { text: formatDateTime(entry.at, locale) },
        { text: entry.body },
        { text: textOr(t, `mydata.role.${entry.role}`, entry.role) },
        {
          text:
            textOr(
              t,
              `mydata.accessLog.action.${entry.action}`,
              t('mydata.accessLog.action.other'),
            ) + (entry.record ? ` (${entry.record})` : ''),
        },
        {
          text: entry.reason
            ? textOr(t, `mydata.reason.${entry.reason.code}`, entry.reason.code) +
              (entry.reason.details ? `: ${entry.reason.details}` : '')
            : t('mydata.accessLog.ownWork'),
        },
      ]),
      requests: requests.map((r) => [
        { text: r.reference },
        { text: r.bodyName },
        { text: formatDate(r.received_on, locale) },
        { text: formatDate(r.due_on, locale) },
        {
          text:
            t(`mydata.requests.status.${r.status}`) +
            (r.status === 'responded' && r.response_note ? `: ${r.response_note}` : '') +
            (r.status === 'extended' && r.extension_reason ? `: ${r.extension_reason}` : ''),
        },
      ]),
    });
  });

  app.get('/account/my-data.json', async (request, reply) => {
    const user = signedInOwner(request, reply);
    if (!user) return reply;
    const data = await myData(context, user.id, request.locale, ALL_READS);
    await auditExport(context, request, user, 'json');
    const body = {
      generatedAt: data.generatedAt.toISOString(),
      modules: data.modules.map((part) => ({
        module: part.module,
        holds: part.declared,
        listed: part.listed,
        sections: Object.fromEntries(part.sections.map((s) => [s.key, s.rows])),
      })),
      accessLog: accessLogSection(data.accessLog).rows,
    };
    return reply
      .header('content-disposition', `attachment; filename="${fileName(data, 'json')}"`)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(body, null, 2));
  });

  app.get('/account/my-data.csv', async (request, reply) => {
    const user = signedInOwner(request, reply);
    if (!user) return reply;
    const data = await myData(context, user.id, request.locale, ALL_READS);
    await auditExport(context, request, user, 'csv');
    const sections = [
      ...data.modules.flatMap((part) => part.sections),
      accessLogSection(data.accessLog),
    ];
    return reply
      .header('content-disposition', `attachment; filename="${fileName(data, 'csv')}"`)
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(toCsv(sections));
  });
}
