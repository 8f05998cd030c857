/**
 * Finding a person's account from what a caller tells a contact centre adviser: name, date of
 * birth, postcode, e-mail address or phone number. Only people's own accounts (never staff),
 * never deleted ones. The caller (the crm module) checks the adviser may search and audits it.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

/** What an adviser may search by; every criterion given must match. */
export interface PeopleSearch {
  name?: string;
  /** YYYY-MM-DD; matches the date of birth of a verified identity. */
  birthdate?: string;
  /** In its standard form ("GL5 4UB"); matches a verified identity's address. */
  postcode?: string;
  email?: string;
  /** Digits of a UK number as typed; compared without spaces. */
  phone?: string;
  /** Accounts already found another way (a reference number). */
  userIds?: string[];
}

/** One person found, with what confirms who they are in the result list. */
export interface PersonFound {
  userId: string;
  displayName: string;
  email: string;
  birthdate: string | null;
  postcode: string | null;
}

/** At most this many people are listed: a search should be narrowed, not browsed. */
export const MAX_PEOPLE_FOUND = 20;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * People whose accounts match every criterion given, by name; nothing when nothing is given.
 *
 * @example await findPeople(db, { name: 'sam', postcode: 'GL5 4UB' });
 */
export async function findPeople(db: Db, search: PeopleSearch): Promise<PersonFound[]> {
  const given = Object.values(search).some((v) => (Array.isArray(v) ? true : !!v));
  if (!given) return [];
  let query = db
    .selectFrom('users as u')
    .leftJoin('verified_identities as v', 'v.user_id', 'u.id')
    .select([
      'u.id as userId',
      'u.display_name as displayName',
      'u.email',
      sql<string | null>`to_char(v.birthdate, 'YYYY-MM-DD')`.as('birthdate'),
      sql<string | null>`v.address ->> 'postcode'`.as('postcode'),
    ])
    .where('u.kind', '=', 'citizen')
    .where('u.deleted_at', 'is', null);
  if (search.name) {
    const pattern = `%${escapeLike(search.name.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(u.display_name)`, 'like', pattern),
        eb(sql`lower(v.given_name || ' ' || v.family_name)`, 'like', pattern),
      ]),
    );
  }
  if (search.birthdate) query = query.where(sql`v.birthdate`, '=', search.birthdate);
  if (search.postcode) query = query.where(sql`v.address ->> 'postcode'`, '=', search.postcode);
  if (search.email) query = query.where(sql`lower(u.email)`, '=', search.email.toLowerCase());
  if (search.phone) {
    const digits = search.phone.replace(/\D/g, '').replace(/^44/, '0');
    query = query.where(
      sql`regexp_replace(regexp_replace(u.phone, '\\D', '', 'g'), '^44', '0')`,
      '=',
      digits,
    );
  }
  if (search.userIds) {
    if (search.userIds.length === 0) return [];
    query = query.where('u.id', 'in', search.userIds);
  }
  return query.orderBy('u.display_name').orderBy('u.id').limit(MAX_PEOPLE_FOUND).execute();
}
