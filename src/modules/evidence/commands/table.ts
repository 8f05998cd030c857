import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { parseAnswerValue } from '../answers.js';
import type { EvidenceTypeRow } from '../db/tables.js';
import { subjectKeyOf } from '../subject.js';

/** The most rows one call or one CSV file may carry. */
export const MAX_TABLE_ROWS = 10_000;

export interface TableRowInput {
  /** A National Insurance number, a UPRN or a company number, as the type's subject kind says. */
  subject: string;
  value: unknown;
}

/**
 * Adds or replaces rows of a table-answered type, all or none: each subject must be of the
 * type's kind and each value of its answer kind; a problem names the row (`rows.3.value`).
 *
 * @example await upsertTableRows(trx, type, [{ subject: 'QQ123456C', value: true }], actor)
 */
export async function upsertTableRows(
  trx: Db,
  type: EvidenceTypeRow,
  rows: TableRowInput[],
  actor: Actor,
): Promise<{ ok: true; count: number } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  if (type.answered_by !== 'table')
    return { ok: false, errors: [{ field: 'type', message: 'evidence.error.notTable' }] };
  if (rows.length > MAX_TABLE_ROWS)
    return { ok: false, errors: [{ field: 'rows', message: 'evidence.error.tooManyRows' }] };
  const clean = new Map<string, boolean | string | number>();
  rows.forEach((row, i) => {
    const key = subjectKeyOf(type.subject_kind, String(row.subject ?? ''));
    const value = parseAnswerValue(type.answer_kind, row.value);
    if (!key) errors.push({ field: `rows.${i}.subject`, message: 'evidence.error.subject' });
    if (value === undefined)
      errors.push({ field: `rows.${i}.value`, message: 'evidence.error.value' });
    if (key && value !== undefined) clean.set(key, value);
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, 50) };
  const now = new Date();
  const entries = [...clean];
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    if (!chunk.length) break;
    await trx
      .insertInto('evidence_table_rows')
      .values(
        chunk.map(([key, value]) => ({
          type_id: type.id,
          subject_key: key,
          answer: JSON.stringify({ value }),
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['type_id', 'subject_key']).doUpdateSet((eb) => ({
          answer: eb.ref('excluded.answer'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  await recordAudit(trx, actor, {
    action: 'evidence.table.updated',
    resourceType: 'evidence_type',
    resourceId: type.id,
    subjectUserId: null,
    details: { code: type.code, rows: clean.size },
  });
  return { ok: true, count: clean.size };
}

/** Removes the row of one subject (the body no longer knows it): later requests fall back. */
export async function deleteTableRow(
  trx: Db,
  type: EvidenceTypeRow,
  subject: string,
  actor: Actor,
): Promise<{ ok: true; deleted: boolean } | { ok: false; errors: FieldError[] }> {
  const key = subjectKeyOf(type.subject_kind, subject);
  if (!key) return { ok: false, errors: [{ field: 'subject', message: 'evidence.error.subject' }] };
  const result = await trx
    .deleteFrom('evidence_table_rows')
    .where('type_id', '=', type.id)
    .where('subject_key', '=', key)
    .executeTakeFirst();
  const deleted = Number(result.numDeletedRows) > 0;
  if (deleted)
    await recordAudit(trx, actor, {
      action: 'evidence.table.row-deleted',
      resourceType: 'evidence_type',
      resourceId: type.id,
      subjectUserId: null,
      details: { code: type.code },
    });
  return { ok: true, deleted };
}

/**
 * The rows of a CSV file: a header `subject,value`, then one row per subject. Quotes are
 * allowed around a field; a problem names the line.
 */
export function parseTableCsv(
  text: string,
): { ok: true; rows: TableRowInput[] } | { ok: false; errors: FieldError[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const unquote = (field: string) =>
    field
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/""/g, '"');
  const header = (lines.shift() ?? '').split(',').map((h) => unquote(h).toLowerCase());
  if (header[0] !== 'subject' || header[1] !== 'value' || header.length !== 2)
    return { ok: false, errors: [{ field: 'file', message: 'evidence.error.csvHeader' }] };
  if (lines.length > MAX_TABLE_ROWS)
    return { ok: false, errors: [{ field: 'file', message: 'evidence.error.tooManyRows' }] };
  const rows: TableRowInput[] = [];
  for (const line of lines) {
    const match = /^("(?:[^"]|"")*"|[^,]*),("(?:[^"]|"")*"|[^,]*)$/.exec(line);
    if (!match) return { ok: false, errors: [{ field: 'file', message: 'evidence.error.csvRow' }] };
    rows.push({ subject: unquote(match[1]!), value: unquote(match[2]!) });
  }
  return { ok: true, rows };
}
