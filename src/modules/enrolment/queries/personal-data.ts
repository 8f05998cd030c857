/** What the enrolment module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/** The accounts with bodies the person linked (or asked to link), and their attempts to link one. */
export async function enrolmentPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const [enrolments, attempts] = await Promise.all([
    db
      .selectFrom('enrolments')
      .innerJoin('enrolment_records', 'enrolment_records.id', 'enrolments.record_id')
      .select([
        'enrolment_records.held_by',
        'enrolment_records.service',
        'enrolment_records.reference',
        'enrolment_records.holder_name',
        'enrolment_records.address_lines',
        'enrolment_records.postcode',
        'enrolments.status',
        'enrolments.business_account_id',
        'enrolments.requested_at',
        'enrolments.activated_at',
      ])
      .where('enrolments.user_id', '=', userId)
      .orderBy('enrolments.requested_at')
      .execute(),
    db
      .selectFrom('enrolment_attempts')
      .select(['record_service', 'held_by', 'matched', 'attempted_at'])
      .where('user_id', '=', userId)
      .orderBy('attempted_at')
      .execute(),
  ]);
  const bodies = new Map(
    (
      await listOrganisationsByIds(db, [
        ...enrolments.map((e) => e.held_by),
        ...attempts.map((a) => a.held_by),
      ])
    ).map((o) => [o.id, o.name]),
  );
  return [
    {
      key: 'enrolments',
      title: 'enrolment.personalData.enrolments',
      rows: enrolments.map((e) => ({
        body: bodies.get(e.held_by) ?? e.held_by,
        service: e.service,
        reference: e.reference,
        name: e.holder_name,
        address: [...e.address_lines, e.postcode].join(', '),
        status: e.status,
        forBusinessAccount: e.business_account_id !== null,
        requestedAt: isoInstant(e.requested_at),
        activatedAt: isoInstant(e.activated_at),
      })),
    },
    {
      key: 'enrolment-attempts',
      title: 'enrolment.personalData.attempts',
      rows: attempts.map((a) => ({
        body: bodies.get(a.held_by) ?? a.held_by,
        service: a.record_service,
        matched: a.matched,
        at: isoInstant(a.attempted_at),
      })),
    },
  ];
}
