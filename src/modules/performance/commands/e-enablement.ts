import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { londonDate } from '../../../platform/time/london.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { EXEMPTIONS, TRANSACTION_CHANNELS, type Exemption } from '../db/tables.js';
import { eEnablement, registerOf } from '../queries/e-enablement.js';

export const MAX_REASON_LENGTH = 500;

/** A register line as a service owner sends it, checked. */
export interface RegisterInput {
  applicable: boolean;
  exemption: Exemption | null;
  exemptionReason: string;
  eEnabled: boolean;
  channels: string[];
  targetDate: string | null;
}

function listOf(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/**
 * Reads the register form: applicable (yes/no), exempt (no, legal, operational) with a reason,
 * e-enabled (yes/no), the channels it is e-enabled on and a target date (day, month, year) by
 * which one not yet e-enabled will be. An e-enabled line names at least one channel.
 */
export function readRegisterInput(
  body: unknown,
): { ok: true; input: RegisterInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const applicable = formText(body, 'applicable');
  const exemption = formText(body, 'exemption');
  const enabled = formText(body, 'eEnabled');
  const reason = formText(body, 'exemptionReason');
  const channels = listOf(body, 'channels').filter((c) =>
    (TRANSACTION_CHANNELS as readonly string[]).includes(c),
  );
  if (applicable !== 'yes' && applicable !== 'no')
    errors.push({ field: 'applicable', message: 'performance.register.errors.applicable' });
  if (exemption !== 'none' && !(EXEMPTIONS as readonly string[]).includes(exemption))
    errors.push({ field: 'exemption', message: 'performance.register.errors.exemption' });
  if (exemption !== 'none' && exemption && !reason)
    errors.push({ field: 'exemptionReason', message: 'performance.register.errors.reason' });
  if (reason.length > MAX_REASON_LENGTH)
    errors.push({ field: 'exemptionReason', message: 'performance.register.errors.reasonLength' });
  if (enabled !== 'yes' && enabled !== 'no')
    errors.push({ field: 'eEnabled', message: 'performance.register.errors.eEnabled' });
  if (enabled === 'yes' && channels.length === 0)
    errors.push({ field: 'channels', message: 'performance.register.errors.channels' });
  let targetDate: string | null = null;
  const parts = ['day', 'month', 'year'].map((p) => formText(body, `targetDate-${p}`));
  if (parts.some(Boolean)) {
    const parsed = parseDateParts(parts[0]!, parts[1]!, parts[2]!);
    if ('date' in parsed && parsed.date) targetDate = parsed.date;
    else
      errors.push({ field: 'targetDate-day', message: 'performance.register.errors.targetDate' });
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      applicable: applicable === 'yes',
      exemption: exemption === 'none' ? null : (exemption as Exemption),
      exemptionReason: exemption === 'none' ? '' : reason,
      eEnabled: enabled === 'yes',
      channels: enabled === 'yes' ? channels : [],
      targetDate,
    },
  };
}

/**
 * Saves one register line of a body's service, audits it and keeps today's BVPI 157 figure of
 * the body for its trajectory. The caller checked the policy and that the service is the body's.
 */
export async function saveRegisterEntry(
  trx: Db,
  actor: Actor & { userId: string },
  entry: { organisationId: string; serviceId: string; interactionType: string },
  body: unknown,
  locale: Locale,
  now = new Date(),
): Promise<Outcome<{ input: RegisterInput }>> {
  const read = readRegisterInput(body);
  if (!read.ok) return read;
  const { input } = read;
  const values = {
    applicable: input.applicable,
    exemption: input.exemption,
    exemption_reason: input.exemptionReason,
    e_enabled: input.eEnabled,
    channels: JSON.stringify(input.channels),
    target_date: input.targetDate,
    updated_by: actor.userId,
    updated_at: now,
  };
  await trx
    .insertInto('performance_e_enablement')
    .values({
      service_id: entry.serviceId,
      interaction_type: entry.interactionType,
      organisation_id: entry.organisationId,
      ...values,
    })
    .onConflict((oc) => oc.columns(['service_id', 'interaction_type']).doUpdateSet(values))
    .execute();
  await recordAudit(trx, actor, {
    action: 'performance.e-enablement.saved',
    resourceType: 'service',
    resourceId: entry.serviceId,
    subjectUserId: null,
    details: { interactionType: entry.interactionType, ...input },
  });
  const figure = eEnablement(await registerOf(trx, [entry.organisationId], locale, now));
  const snapshot = { counted: figure.counted, e_enabled: figure.eEnabled };
  await trx
    .insertInto('performance_e_enablement_history')
    .values({ organisation_id: entry.organisationId, day: londonDate(now), ...snapshot })
    .onConflict((oc) => oc.columns(['organisation_id', 'day']).doUpdateSet(snapshot))
    .execute();
  return { ok: true, input };
}
