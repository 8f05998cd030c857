import type { Db } from '../../../platform/db/database.js';
import { findUserById } from '../../identity/index.js';
import type { LegalHoldRow } from '../db/tables.js';

/** Whether a hold is in force at `now`: not lifted, and its end date (if any) not reached. */
export function isInForce(hold: Pick<LegalHoldRow, 'lifted_at' | 'ends_at'>, now: Date): boolean {
  return (
    hold.lifted_at === null && (hold.ends_at === null || hold.ends_at.getTime() > now.getTime())
  );
}

/** The body's holds in force at `now`, newest first. */
export async function holdsInForce(
  db: Db,
  organisationId: string,
  now: Date,
): Promise<LegalHoldRow[]> {
  return db
    .selectFrom('legal_holds')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .orderBy('placed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** The body's holds that ended or were lifted, newest first, for the admin page. */
export async function pastHolds(
  db: Db,
  organisationId: string,
  now: Date,
  limit = 20,
): Promise<LegalHoldRow[]> {
  return db
    .selectFrom('legal_holds')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('lifted_at', 'is not', null), eb('ends_at', '<=', now)]))
    .orderBy('placed_at', 'desc')
    .limit(limit)
    .execute();
}

/** What the job must leave alone for one body: held people (accounts and e-mails) and records. */
export interface HeldSet {
  personIds: string[];
  personEmails: string[];
  /** The held accounts' mobile numbers, where they have one. */
  personPhones: string[];
  recordIds: Map<string, string[]>;
  /** The held records' references: records of other types sharing one are held too. */
  references: string[];
}

/** The body's holds in force at `now`, as the sets each record type's `findDue` excludes. */
export async function heldSet(db: Db, organisationId: string, now: Date): Promise<HeldSet> {
  const holds = await holdsInForce(db, organisationId, now);
  const set: HeldSet = {
    personIds: [],
    personEmails: [],
    personPhones: [],
    recordIds: new Map(),
    references: [],
  };
  for (const hold of holds) {
    if (hold.subject === 'person' && hold.person_user_id) {
      set.personIds.push(hold.person_user_id);
      const user = await findUserById(db, hold.person_user_id);
      set.personEmails.push((user?.email ?? hold.label).toLowerCase());
      if (user?.phone) set.personPhones.push(user.phone);
    } else if (hold.record_type && hold.record_id) {
      const list = set.recordIds.get(hold.record_type) ?? [];
      list.push(hold.record_id);
      set.recordIds.set(hold.record_type, list);
      set.references.push(hold.label);
    }
  }
  return set;
}
