import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  CUSTOMER_GROUPS,
  LIFE_EVENTS,
  type CustomerGroup,
  type LifeEvent,
} from '../../catalogue/index.js';
import { canChangeInterestsOf } from '../policies/home.js';

/** What the form sent: a checkbox group is missing, one string, or several. */
export interface InterestsInput {
  lifeEvents: unknown;
  customerGroups: unknown;
}

/** The chosen values, each once, in the order of the vocabulary. */
export interface ChosenInterests {
  lifeEvents: LifeEvent[];
  customerGroups: CustomerGroup[];
}

/** The values of a checkbox group, or null when anything sent is not a value of the list. */
function chosen<V extends string>(list: readonly { value: V }[], sent: unknown): V[] | null {
  const values = sent === undefined ? [] : Array.isArray(sent) ? sent : [sent];
  if (!values.every((v): v is string => typeof v === 'string')) return null;
  const known = new Set<string>(list.map((t) => t.value));
  if (!values.every((v) => known.has(v))) return null;
  return list.map((t) => t.value).filter((v) => values.includes(v));
}

/**
 * Reads the form: every value must be one of the catalogue's life events or customer groups;
 * one unknown value refuses the whole form, so nothing half-understood is kept.
 *
 * @example readInterests({ lifeEvents: 'retiring', customerGroups: ['carers'] })
 */
export function readInterests(input: InterestsInput): Outcome<{ interests: ChosenInterests }> {
  const lifeEvents = chosen(LIFE_EVENTS, input.lifeEvents);
  const customerGroups = chosen(CUSTOMER_GROUPS, input.customerGroups);
  const errors: FieldError[] = [];
  if (!lifeEvents)
    errors.push({ field: 'lifeEvents', message: 'home.interests.errors.lifeEvents' });
  if (!customerGroups)
    errors.push({ field: 'customerGroups', message: 'home.interests.errors.customerGroups' });
  if (!lifeEvents || !customerGroups) return { ok: false, errors };
  return { ok: true, interests: { lifeEvents, customerGroups } };
}

/**
 * Keeps what the person chose to tell us, replacing what they told us before; choosing nothing
 * clears it (the row goes, so nothing is kept). Call inside a transaction; writes an audit
 * entry with the number of choices only, as the choices themselves can be sensitive
 * (bereavement, disability).
 */
export async function saveInterests(
  trx: Db,
  user: CurrentUser | null,
  ownerId: string,
  input: InterestsInput,
  actor: Actor,
): Promise<Outcome<{ interests: ChosenInterests; cleared: boolean }>> {
  if (!canChangeInterestsOf(user, ownerId))
    return {
      ok: false,
      errors: [{ field: 'lifeEvents', message: 'home.interests.errors.notYours' }],
    };
  const read = readInterests(input);
  if (!read.ok) return read;
  const { lifeEvents, customerGroups } = read.interests;
  const cleared = lifeEvents.length === 0 && customerGroups.length === 0;
  if (cleared) {
    await trx.deleteFrom('personal_interests').where('user_id', '=', ownerId).execute();
  } else {
    const values = {
      life_events: JSON.stringify(lifeEvents),
      customer_groups: JSON.stringify(customerGroups),
      updated_at: new Date(),
    };
    await trx
      .insertInto('personal_interests')
      .values({ user_id: ownerId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }
  await recordAudit(trx, actor, {
    action: cleared ? 'home.interests.cleared' : 'home.interests.saved',
    resourceType: 'personal_interests',
    resourceId: ownerId,
    subjectUserId: ownerId,
    details: { lifeEvents: lifeEvents.length, customerGroups: customerGroups.length },
  });
  return { ok: true, interests: read.interests, cleared };
}

/** Deletes what a person told us, when their account is deleted (in the deletion's transaction). */
export async function eraseInterests(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('personal_interests').where('user_id', '=', userId).execute();
}
