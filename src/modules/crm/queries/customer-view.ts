/**
 * The single customer view: for a confirmed caller, everything the contact centre may see of
 * them across the bodies that share through it. Items are gathered from every module's own
 * `personalDataOf` (the same hook "My data" uses), each marked with its owning body, and kept
 * only where that body is the contact centre itself or shares that kind of item with it under
 * a live agreement. An item whose owner cannot be told for certain is hidden.
 */
import type { Db } from '../../../platform/db/database.js';
import type { AppContext, PersonalDataSection } from '../../../platform/http/types.js';
import {
  formatDate,
  formatDateTime,
  type Locale,
  type Translate,
} from '../../../platform/i18n/i18n.js';
import { findUserById, findVerifiedIdentity } from '../../identity/index.js';
import { listOrganisations } from '../../organisations/index.js';
import type { ItemKind } from '../db/tables.js';
import { itemVisible, type SharedKinds } from '../policies/desk.js';

/** Which section of which module holds which kind of item, whose field names the owner, and what to show. */
interface SectionSource {
  kind: ItemKind;
  bodyField: string;
  fields: string[];
  /** Rows to leave out: not the customer's own (an application they sent for a client). */
  keep?: (row: PersonalDataSection['rows'][number]) => boolean;
}

export const SECTION_SOURCES: Record<string, SectionSource> = {
  applications: {
    kind: 'applications',
    bodyField: 'body',
    fields: ['reference', 'service', 'status', 'channel', 'submittedAt'],
    keep: (row) => row.sentFor === 'you',
  },
  cases: {
    kind: 'applications',
    bodyField: 'body',
    fields: ['reference', 'service', 'state', 'dueAt'],
  },
  enrolments: { kind: 'enrolments', bodyField: 'body', fields: ['service', 'reference', 'status'] },
  fees: {
    kind: 'payments',
    bodyField: 'body',
    fields: ['description', 'reference', 'amountPence', 'dueDate', 'status'],
  },
  'fee-plans': {
    kind: 'payments',
    bodyField: 'body',
    fields: ['description', 'reference', 'totalPence', 'instalments', 'firstDue'],
  },
  bookings: { kind: 'bookings', bodyField: 'body', fields: ['reference', 'what', 'startsAt'] },
  messages: { kind: 'messages', bodyField: 'from', fields: ['subject', 'reference', 'sentAt'] },
  'sharing-deliveries': {
    kind: 'changes',
    bodyField: 'body',
    fields: ['change', 'status', 'sentAt'],
  },
  'crm-contacts': {
    kind: 'contacts',
    bodyField: 'body',
    fields: ['channel', 'reason', 'outcome', 'minutes', 'at'],
  },
};

/** One item as the adviser sees it: its owner, and a few fields in the adviser's language. */
export interface ViewItem {
  body: string;
  fields: { label: string; value: string }[];
}

export interface CustomerView {
  contact: {
    name: string;
    email: string;
    phone: string | null;
    birthdate: string | null;
    address: string | null;
  };
  /** In the order of ITEM_KINDS' sections; empty sections are kept so the page says "none". */
  sections: { kind: ItemKind; items: ViewItem[] }[];
}

const SECTION_ORDER: ItemKind[] = [
  'applications',
  'payments',
  'enrolments',
  'bookings',
  'messages',
  'changes',
  'contacts',
];

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function shown(field: string, value: unknown, t: Translate, locale: Locale): string {
  if (value === null || value === undefined || value === '') return t('crm.view.none');
  if (typeof value === 'number')
    return field.endsWith('Pence') ? `£${(value / 100).toFixed(2)}` : String(value);
  if (typeof value === 'boolean') return t(value ? 'crm.view.yes' : 'crm.view.no');
  const text = String(value);
  if (DATE_TIME.test(text)) return formatDateTime(text, locale);
  if (DATE.test(text)) return formatDate(text, locale);
  const key = `crm.value.${text}`;
  const translated = t(key);
  return translated === key ? text : translated;
}

/** Body names (as `personalDataOf` writes them, in English) to ids; a name two bodies share maps to nothing. */
async function bodyIdsByName(db: Db): Promise<Map<string, string | null>> {
  const byName = new Map<string, string | null>();
  for (const body of await listOrganisations(db))
    byName.set(body.name, byName.has(body.name) ? null : body.id);
  return byName;
}

/**
 * What the adviser's contact centre may see of the customer. The caller has checked the
 * adviser holds the record open and audits the look.
 */
export async function customerView(
  context: Pick<AppContext, 'db' | 'personalDataOf'>,
  contactCentreId: string,
  shared: SharedKinds,
  customerId: string,
  t: Translate,
  locale: Locale,
): Promise<CustomerView | undefined> {
  const { db } = context;
  const user = await findUserById(db, customerId);
  if (!user || user.kind !== 'citizen' || user.deleted_at) return undefined;
  const [identity, modules, bodies] = await Promise.all([
    findVerifiedIdentity(db, customerId),
    context.personalDataOf(customerId),
    bodyIdsByName(db),
  ]);
  const names = new Map([...bodies].map(([name, id]) => [id, name]));
  const byKind = new Map<ItemKind, ViewItem[]>(SECTION_ORDER.map((k) => [k, []]));
  for (const section of modules.flatMap((m) => m.sections)) {
    const source = SECTION_SOURCES[section.key];
    if (!source) continue;
    for (const row of section.rows) {
      if (source.keep && !source.keep(row)) continue;
      const owner = bodies.get(String(row[source.bodyField] ?? '')) ?? null;
      if (!itemVisible(contactCentreId, shared, owner, source.kind)) continue;
      byKind.get(source.kind)!.push({
        body: names.get(owner!) ?? '',
        fields: source.fields.map((field) => ({
          label: t(`crm.field.${field}`),
          value: shown(field, row[field], t, locale),
        })),
      });
    }
  }
  return {
    contact: {
      name: identity ? `${identity.givenName} ${identity.familyName}` : user.display_name,
      email: user.email,
      phone: user.phone,
      birthdate: identity ? formatDate(identity.birthdate, locale) : null,
      address: identity
        ? [...identity.address.lines, identity.address.town, identity.address.postcode].join(', ')
        : null,
    },
    sections: SECTION_ORDER.map((kind) => ({ kind, items: byKind.get(kind)! })),
  };
}
