import { z } from 'zod';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { ANSWER_KINDS, ANSWERED_BY, SUBJECT_KINDS, type EvidenceTypeRow } from '../db/tables.js';

const words = (max: number) => z.string().trim().min(1).max(max);

/**
 * An evidence type as its body publishes it. The wording is said to the person: `askEn`
 * ("whether you receive Pension Credit"), `yesEn`/`noEn` for yes/no, `valueEn` with `{value}`.
 */
export const EvidenceTypeInput = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'evidence.error.code'),
    name: words(200),
    nameCy: words(200),
    askEn: words(300),
    askCy: words(300),
    yesEn: words(300).optional(),
    yesCy: words(300).optional(),
    noEn: words(300).optional(),
    noCy: words(300).optional(),
    valueEn: words(300).optional(),
    valueCy: words(300).optional(),
    subjectKind: z.enum(SUBJECT_KINDS),
    answerKind: z.enum(ANSWER_KINDS),
    legalBasis: z.string().trim().max(1000).default(''),
    legalBasisReference: z.string().trim().max(300).default(''),
    consentNeeded: z.boolean(),
    slaSeconds: z.number().int().min(1).max(86_400),
    answeredBy: z.enum(ANSWERED_BY),
    webhookUrl: z.string().trim().max(2000).optional(),
  })
  .strict();
export type EvidenceTypeInput = z.input<typeof EvidenceTypeInput>;

/** A webhook address evidence requests may be posted to (https; http to this machine where allowed). */
function webhookProblem(value: string | undefined, allowPrivate: boolean): string | undefined {
  if (!value) return 'evidence.error.webhookUrl';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'evidence.error.webhookUrl';
  }
  if (url.username || url.password) return 'evidence.error.webhookUrl';
  if (url.protocol === 'https:') return undefined;
  return allowPrivate && url.protocol === 'http:' ? undefined : 'evidence.error.webhookHttps';
}

/**
 * Publishes an evidence type of a body, or changes one it published (same code, same body).
 * Refuses a code another body uses, a yes/no type without its yes and no wording, a value type
 * without `{value}`, and a webhook type without a safe address. A type without a legal basis
 * can be saved, but no request for it is ever sent (policies/evidence.ts `whyNotSent`).
 *
 * @example await publishEvidenceType(trx, config, dwp.id, { code: 'dwp-pension-credit', … }, actor)
 */
export async function publishEvidenceType(
  trx: Db,
  config: Pick<Config, 'hubAllowPrivateWebhooks'>,
  organisationId: string,
  raw: EvidenceTypeInput,
  actor: Actor,
): Promise<{ ok: true; type: EvidenceTypeRow } | { ok: false; errors: FieldError[] }> {
  const parsed = EvidenceTypeInput.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        field: String(issue.path[0] ?? 'code'),
        message: issue.message.startsWith('evidence.') ? issue.message : 'evidence.error.field',
      })),
    };
  const input = parsed.data;
  const errors: FieldError[] = [];
  if (input.answerKind === 'yes-no') {
    for (const field of ['yesEn', 'yesCy', 'noEn', 'noCy'] as const)
      if (!input[field]) errors.push({ field, message: 'evidence.error.field' });
  } else {
    for (const field of ['valueEn', 'valueCy'] as const)
      if (!input[field]?.includes('{value}'))
        errors.push({ field, message: 'evidence.error.valueWording' });
  }
  if (input.answeredBy === 'webhook') {
    const problem = webhookProblem(input.webhookUrl, config.hubAllowPrivateWebhooks);
    if (problem) errors.push({ field: 'webhookUrl', message: problem });
  }
  const existing = await trx
    .selectFrom('evidence_types')
    .selectAll()
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (existing && existing.organisation_id !== organisationId)
    errors.push({ field: 'code', message: 'evidence.error.codeTaken' });
  if (errors.length) return { ok: false, errors };
  const pair = (en?: string, cy?: string) => (en && cy ? { en, cy } : undefined);
  const values = {
    organisation_id: organisationId,
    code: input.code,
    name: input.name,
    name_cy: input.nameCy,
    wording: JSON.stringify({
      ask: { en: input.askEn, cy: input.askCy },
      yes: pair(input.yesEn, input.yesCy),
      no: pair(input.noEn, input.noCy),
      value: pair(input.valueEn, input.valueCy),
    }),
    subject_kind: input.subjectKind,
    answer_kind: input.answerKind,
    legal_basis: input.legalBasis,
    legal_basis_reference: input.legalBasisReference,
    consent_needed: input.consentNeeded,
    sla_seconds: input.slaSeconds,
    answered_by: input.answeredBy,
    webhook_url: input.answeredBy === 'webhook' ? input.webhookUrl! : null,
    status: 'published' as const,
    updated_at: new Date(),
  };
  const type = existing
    ? await trx
        .updateTable('evidence_types')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('evidence_types')
        .values({ ...values, created_by: actor.userId })
        .returningAll()
        .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: existing ? 'evidence.type.changed' : 'evidence.type.published',
    resourceType: 'evidence_type',
    resourceId: type.id,
    subjectUserId: null,
    details: {
      code: type.code,
      organisationId,
      answeredBy: type.answered_by,
      legalBasisReference: type.legal_basis_reference,
      consentNeeded: type.consent_needed,
      slaSeconds: type.sla_seconds,
    },
  });
  return { ok: true, type };
}

/** Withdraws a type: forms asking for it fall back to asking the person, and nothing more is sent. */
export async function withdrawEvidenceType(
  trx: Db,
  type: EvidenceTypeRow,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
  if (type.status === 'withdrawn')
    return { ok: false, errors: [{ field: 'status', message: 'evidence.error.withdrawn' }] };
  await trx
    .updateTable('evidence_types')
    .set({ status: 'withdrawn', updated_at: new Date() })
    .where('id', '=', type.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'evidence.type.withdrawn',
    resourceType: 'evidence_type',
    resourceId: type.id,
    subjectUserId: null,
    details: { code: type.code, organisationId: type.organisation_id },
  });
  return { ok: true };
}
