/** The contact log and the call-back queue as the desk and "My data" read them. */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { findUserById } from '../../identity/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { CallbackRow } from '../db/tables.js';

/** A call-back in the queue, with the customer's name for the adviser calling. */
export type QueuedCallback = CallbackRow & { customerName: string };

/** The contact centre's open call-backs, soonest first. */
export async function callbackQueue(db: Db, contactCentreId: string): Promise<QueuedCallback[]> {
  const rows = await db
    .selectFrom('crm_callbacks')
    .selectAll()
    .where('contact_centre_id', '=', contactCentreId)
    .where('status', '=', 'open')
    .orderBy('due_at')
    .limit(200)
    .execute();
  const names = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.customer_user_id).filter((v) => v !== null)))
    names.set(id, (await findUserById(db, id))?.display_name ?? '');
  return rows.map((r) => ({
    ...r,
    customerName: (r.customer_user_id && names.get(r.customer_user_id)) || '',
  }));
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * The crm module's part of a person's "My data" (and of the customer view's previous
 * contacts): the contacts logged with them, which body logged each, and the identity checks
 * asked of them (which questions passed, never the answers).
 */
export async function crmPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const [contacts, checks, callbacks] = await Promise.all([
    db
      .selectFrom('crm_contacts')
      .selectAll()
      .where('customer_user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('crm_identity_checks')
      .select(['contact_centre_id', 'results', 'passed', 'reason', 'checked_at'])
      .where('customer_user_id', '=', userId)
      .orderBy('checked_at', 'desc')
      .execute(),
    db
      .selectFrom('crm_callbacks')
      .select(['contact_centre_id', 'due_at', 'phone', 'status'])
      .where('customer_user_id', '=', userId)
      .orderBy('due_at', 'desc')
      .execute(),
  ]);
  const bodies = new Map(
    (
      await listOrganisationsByIds(db, [
        ...contacts.map((c) => c.contact_centre_id),
        ...checks.map((c) => c.contact_centre_id),
        ...callbacks.map((c) => c.contact_centre_id),
      ])
    ).map((o) => [o.id, o.name]),
  );
  const bodyOf = (id: string) => bodies.get(id) ?? id;
  return [
    {
      key: 'crm-contacts',
      title: 'crm.data.contacts',
      rows: contacts.map((c) => ({
        body: bodyOf(c.contact_centre_id),
        channel: c.channel,
        reason: c.reason,
        outcome: c.outcome,
        minutes: c.minutes,
        reference: c.application_reference,
        notes: c.notes || null,
        at: iso(c.created_at),
      })),
    },
    {
      key: 'crm-identity-checks',
      title: 'crm.data.checks',
      rows: checks.map((c) => ({
        body: bodyOf(c.contact_centre_id),
        questions: Object.entries(c.results)
          .map(([q, r]) => `${q}: ${r}`)
          .join(', '),
        passed: c.passed,
        reason: c.reason,
        at: iso(c.checked_at),
      })),
    },
    {
      key: 'crm-callbacks',
      title: 'crm.data.callbacks',
      rows: callbacks.map((c) => ({
        body: bodyOf(c.contact_centre_id),
        dueAt: iso(c.due_at),
        phone: c.phone,
        status: c.status,
      })),
    },
  ];
}
