/** Everything "My data" shows and exports, gathered for one person. */
import type { Db } from '../../../platform/db/database.js';
import type {
  AppContext,
  ModulePersonalData,
  PersonalDataSection,
} from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { SubjectAccessRequestRow } from '../db/tables.js';
import { accessLog, type AccessLogEntry } from './access-log.js';
import { requestsOf } from './requests.js';

export interface MyData {
  generatedAt: Date;
  modules: ModulePersonalData[];
  accessLog: AccessLogEntry[];
}

/**
 * What every module holds about the person (each module's own `personalDataOf`, asked through
 * the platform), and who of the bodies' staff read it. Only ever called for the signed-in
 * person themselves.
 */
export async function myData(
  context: Pick<AppContext, 'db' | 'personalDataOf'>,
  userId: string,
  locale: Locale,
  accessLogLimit?: number,
): Promise<MyData> {
  const modules = await context.personalDataOf(userId);
  return {
    generatedAt: new Date(),
    modules,
    accessLog: await accessLog(context.db, userId, locale, accessLogLimit),
  };
}

/** The access log as a section of its own, for the exports. */
export function accessLogSection(entries: AccessLogEntry[]): PersonalDataSection {
  return {
    key: 'access-log',
    title: 'mydata.accessLog.title',
    rows: entries.map((entry) => ({
      at: entry.at.toISOString(),
      body: entry.body,
      role: entry.role,
      action: entry.action,
      record: entry.record,
      reason: entry.reason?.code ?? null,
      reasonDetails: entry.reason?.details || null,
    })),
  };
}

/** A request with the name of the body it went to. */
export type RequestWithBody = SubjectAccessRequestRow & { bodyName: string };

export async function requestsWithBodies(
  db: Db,
  rows: SubjectAccessRequestRow[],
  locale: Locale,
): Promise<RequestWithBody[]> {
  const bodies = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.organisation_id),
      )
    ).map((o) => [o.id, (locale === 'cy' && o.name_cy) || o.name]),
  );
  return rows.map((row) => ({ ...row, bodyName: bodies.get(row.organisation_id) ?? '' }));
}

/** The mydata module's own part of My data: the subject access requests the person sent. */
export async function mydataPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const requests = await requestsWithBodies(db, await requestsOf(db, userId), 'en');
  return [
    {
      key: 'subject-access-requests',
      title: 'mydata.requests.title',
      rows: requests.map((r) => ({
        reference: r.reference,
        body: r.bodyName,
        details: r.details || null,
        receivedOn: r.received_on,
        dueOn: r.due_on,
        status: r.status,
        extensionReason: r.extension_reason,
        response: r.response_note,
        respondedAt: r.responded_at?.toISOString() ?? null,
      })),
    },
  ];
}
