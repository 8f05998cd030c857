/** What the referral pages show, built from rows: select, radio and checkbox items, names, tags. */
import type { Db } from '../../../platform/db/database.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { listOrganisations } from '../../organisations/index.js';
import { SHARED_PARTS, type ReferralStatus, type SharedPart } from '../db/tables.js';
import {
  CONSENT_METHODS,
  REASON_MAX,
  REFERRAL_KINDS,
  referralFormValues,
  type ReferralFormValues,
} from './form.js';

/** A body a case may be referred to, named in the reader's language. */
export interface BodyChoice {
  id: string;
  name: string;
}

/** Every body but the caseworker's own, by name in the reader's language. */
export async function bodiesToReferTo(
  db: Db,
  ownOrganisationId: string,
  locale: Locale,
): Promise<BodyChoice[]> {
  const bodies = (await listOrganisations(db))
    .filter((organisation) => organisation.id !== ownOrganisationId)
    .map((organisation) => ({
      id: organisation.id,
      name: (locale === 'cy' ? organisation.name_cy : null) ?? organisation.name,
    }));
  return bodies.sort((a, b) => a.name.localeCompare(b.name, locale === 'cy' ? 'cy' : 'en-GB'));
}

/** The GOV.UK tag colour of a referral's status. */
export function statusColour(status: ReferralStatus): string {
  return { offered: 'blue', accepted: 'green', declined: 'red', withdrawn: 'grey' }[status];
}

/** "The applicant’s answers, History": the parts in words, in the reader's language. */
export function partsText(parts: readonly SharedPart[], t: Translate): string {
  return parts.map((part) => t(`casework.referrals.part.${part}`)).join(', ');
}

/** What `form.njk` needs: the form's items with what was typed, and each field's error. */
export function referralFormView(input: {
  reference: string;
  bodies: BodyChoice[];
  values?: ReferralFormValues;
  fieldErrors?: Record<string, { text: string }>;
  t: Translate;
}) {
  const { t } = input;
  const values = input.values ?? referralFormValues({});
  return {
    reference: input.reference,
    values,
    fieldErrors: input.fieldErrors ?? {},
    reasonMax: REASON_MAX,
    organisationItems: [
      { value: '', text: t('casework.referrals.form.organisation.choose') },
      ...input.bodies.map((body) => ({
        value: body.id,
        text: body.name,
        selected: body.id === values.organisationId,
      })),
    ],
    kindItems: REFERRAL_KINDS.map((kind) => ({
      value: kind,
      text: t(`casework.referrals.kind.${kind}`),
      hint: { text: t(`casework.referrals.kind.${kind}.hint`) },
      checked: values.kind === kind,
    })),
    partItems: SHARED_PARTS.map((part) => ({
      value: part,
      text: t(`casework.referrals.part.${part}`),
      checked: values.parts.includes(part),
    })),
    consentItems: CONSENT_METHODS.map((how) => ({
      value: how,
      text: t(`casework.referrals.consent.${how}`),
      checked: values.consent === how,
    })),
  };
}
