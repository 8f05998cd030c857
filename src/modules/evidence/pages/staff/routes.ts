import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { parseTableCsv, upsertTableRows } from '../../commands/table.js';
import { publishEvidenceType, withdrawEvidenceType } from '../../commands/types.js';
import { ANSWER_KINDS, ANSWERED_BY, SUBJECT_KINDS } from '../../db/tables.js';
import { mayManageEvidence } from '../../policies/evidence.js';
import { requestsOfType, tableRowCount, typeOfBody, typesOfBody } from '../../queries/requests.js';

const VIEWS = 'modules/evidence/pages/staff';

const TEXT_FIELDS = [
  'code',
  'name',
  'nameCy',
  'askEn',
  'askCy',
  'yesEn',
  'yesCy',
  'noEn',
  'noCy',
  'valueEn',
  'valueCy',
  'legalBasis',
  'legalBasisReference',
  'slaSeconds',
  'webhookUrl',
] as const;

/**
 * A body's pages for the evidence it answers (`/staff/evidence`): its types, publishing one,
 * a type's requests (when, by whom, the outcome — never about whom or the answer), keeping a
 * table-answered type's rows by CSV, and withdrawing a type. Its service owners only.
 */
export function staffEvidenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;

  function owner(request: FastifyRequest, reply: FastifyReply) {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!user.organisationId || !mayManageEvidence(user, user.organisationId)) throw notFound();
    return user as CurrentUser & { organisationId: string };
  }

  function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
    return {
      userId: user.id,
      organisationId: user.organisationId ?? null,
      role: 'service-owner',
      requestId: request.id,
    };
  }

  async function ownType(request: FastifyRequest, user: { organisationId: string }) {
    const { code } = request.params as { code: string };
    const type = await typeOfBody(db, user.organisationId, code);
    if (!type) throw notFound({ code });
    return type;
  }

  function choices(
    t: (key: string) => string,
    prefix: string,
    values: readonly string[],
    chosen: string,
  ) {
    return values.map((value) => ({
      value,
      text: t(`${prefix}.${value}`),
      checked: value === chosen,
    }));
  }

  function formView(request: FastifyRequest, values: Record<string, string>) {
    const { t } = request;
    return {
      values,
      subjectKinds: choices(t, 'evidence.subjectKind', SUBJECT_KINDS, values.subjectKind ?? ''),
      answerKinds: choices(t, 'evidence.answerKind', ANSWER_KINDS, values.answerKind ?? ''),
      answeredBy: choices(t, 'evidence.answeredBy', ANSWERED_BY, values.answeredBy ?? ''),
      consent: [
        {
          value: 'yes',
          text: t('evidence.staff.consentYes'),
          checked: values.consentNeeded === 'yes',
        },
        {
          value: 'no',
          text: t('evidence.staff.consentNo'),
          checked: values.consentNeeded === 'no',
        },
      ],
    };
  }

  app.get('/staff/evidence', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const types = await typesOfBody(db, user.organisationId);
    return reply.view(`${VIEWS}/list.njk`, {
      types,
      done: (request.query as { done?: string }).done,
    });
  });

  app.get('/staff/evidence/new', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    return reply.view(
      `${VIEWS}/new.njk`,
      formView(request, { slaSeconds: '30', answeredBy: 'table', consentNeeded: 'yes' }),
    );
  });

  app.post('/staff/evidence/new', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const body = request.body;
    const values: Record<string, string> = {};
    for (const field of [
      ...TEXT_FIELDS,
      'subjectKind',
      'answerKind',
      'answeredBy',
      'consentNeeded',
    ])
      values[field] = formText(body, field);
    const optional = (v: string) => v || undefined;
    const outcome = await db.transaction().execute((trx) =>
      publishEvidenceType(
        trx,
        config,
        user.organisationId,
        {
          code: values.code!,
          name: values.name!,
          nameCy: values.nameCy!,
          askEn: values.askEn!,
          askCy: values.askCy!,
          yesEn: optional(values.yesEn!),
          yesCy: optional(values.yesCy!),
          noEn: optional(values.noEn!),
          noCy: optional(values.noCy!),
          valueEn: optional(values.valueEn!),
          valueCy: optional(values.valueCy!),
          subjectKind: values.subjectKind as never,
          answerKind: values.answerKind as never,
          legalBasis: values.legalBasis,
          legalBasisReference: values.legalBasisReference,
          consentNeeded:
            values.consentNeeded === 'yes'
              ? true
              : values.consentNeeded === 'no'
                ? false
                : (undefined as never),
          slaSeconds: /^\d{1,5}$/.test(values.slaSeconds!)
            ? Number(values.slaSeconds)
            : (NaN as never),
          answeredBy: values.answeredBy as never,
          webhookUrl: optional(values.webhookUrl!),
        },
        actorOf(request, user),
      ),
    );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/new.njk`, {
        ...formView(request, values),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/evidence/types/${outcome.type.code}?done=published`, 303);
  });

  app.get('/staff/evidence/types/:code', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const type = await ownType(request, user);
    return reply.view(`${VIEWS}/type.njk`, {
      type,
      rows: type.answered_by === 'table' ? await tableRowCount(db, type.id) : null,
      requests: await requestsOfType(db, type.id),
      done: (request.query as { done?: string }).done,
    });
  });

  app.post('/staff/evidence/types/:code/withdraw', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const type = await ownType(request, user);
    await db
      .transaction()
      .execute((trx) => withdrawEvidenceType(trx, type, actorOf(request, user)));
    return reply.redirect(`/staff/evidence/types/${type.code}?done=withdrawn`, 303);
  });

  app.get('/staff/evidence/types/:code/rows', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const type = await ownType(request, user);
    if (type.answered_by !== 'table') throw notFound();
    return reply.view(`${VIEWS}/rows.njk`, { type, csv: '' });
  });

  app.post('/staff/evidence/types/:code/rows', async (request, reply) => {
    const user = owner(request, reply);
    if (!user) return reply;
    const type = await ownType(request, user);
    if (type.answered_by !== 'table') throw notFound();
    const csv = formText(request.body, 'csv');
    const parsed = parseTableCsv(csv);
    const outcome = parsed.ok
      ? await db
          .transaction()
          .execute((trx) => upsertTableRows(trx, type, parsed.rows, actorOf(request, user)))
      : parsed;
    if (!outcome.ok) {
      // Row problems are named by row; the page shows them at the one text box.
      const errors = outcome.errors.map((e) => ({ field: 'csv', message: e.message }));
      return reply
        .code(400)
        .view(`${VIEWS}/rows.njk`, { type, csv, ...errorView(errors.slice(0, 1), request.t) });
    }
    return reply.redirect(`/staff/evidence/types/${type.code}?done=rows`, 303);
  });
}
