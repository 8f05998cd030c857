/**
 * The words the HSDS export adds to the catalogue's own (descriptions of kinds of body, names
 * of languages and nations …), in English and Welsh. They are data in the feed, not page text,
 * so they sit here beside the vocabularies rather than in the page locales.
 */
import type { Locale } from '../../../../platform/i18n/i18n.js';
import type { OrganisationType } from '../../../organisations/index.js';

export type Text = Record<Locale, string>;

/** What each kind of body is, as the organization's description. */
export const ORGANISATION_DESCRIPTIONS: Record<OrganisationType, Text> = {
  'central-department': {
    en: 'A central government department.',
    cy: 'Un o adrannau’r llywodraeth ganolog.',
  },
  'executive-agency': {
    en: 'An executive agency of central government.',
    cy: 'Un o asiantaethau gweithredol y llywodraeth ganolog.',
  },
  county: {
    en: 'A county council: in a two-tier area it provides schools, social care, roads and waste disposal.',
    cy: 'Cyngor sir: mewn ardal dwy haen mae’n darparu ysgolion, gofal cymdeithasol, ffyrdd a gwaredu gwastraff.',
  },
  district: {
    en: 'A district council: in a two-tier area it provides waste collection, planning, housing and Council Tax.',
    cy: 'Cyngor dosbarth: mewn ardal dwy haen mae’n darparu casglu gwastraff, cynllunio, tai a’r Dreth Gyngor.',
  },
  'metropolitan-district': {
    en: 'A metropolitan district council, providing every local council service in its area.',
    cy: 'Cyngor dosbarth metropolitan, sy’n darparu pob un o wasanaethau’r cyngor lleol yn ei ardal.',
  },
  'london-borough': {
    en: 'A London borough council, providing local council services in its borough.',
    cy: 'Cyngor bwrdeistref yn Llundain, sy’n darparu gwasanaethau’r cyngor lleol yn ei fwrdeistref.',
  },
  unitary: {
    en: 'A unitary council, providing every local council service in its area.',
    cy: 'Cyngor unedol, sy’n darparu pob un o wasanaethau’r cyngor lleol yn ei ardal.',
  },
  'welsh-principal-area': {
    en: 'A Welsh principal council, providing every local council service in its area.',
    cy: 'Prif gyngor yng Nghymru, sy’n darparu pob un o wasanaethau’r cyngor lleol yn ei ardal.',
  },
  'scottish-council': {
    en: 'A Scottish council, providing local council services in its area.',
    cy: 'Cyngor yn yr Alban, sy’n darparu gwasanaethau’r cyngor lleol yn ei ardal.',
  },
  'northern-ireland-district': {
    en: 'A district council in Northern Ireland.',
    cy: 'Cyngor dosbarth yng Ngogledd Iwerddon.',
  },
  'fire-authority': { en: 'A fire and rescue authority.', cy: 'Awdurdod tân ac achub.' },
  'police-authority': { en: 'A police authority.', cy: 'Awdurdod heddlu.' },
  other: { en: 'A public body.', cy: 'Corff cyhoeddus.' },
};

export const LEGAL_STATUS: Text = { en: 'Public body', cy: 'Corff cyhoeddus' };

export const LANGUAGE_NAMES: Record<Locale, Text> = {
  en: { en: 'English', cy: 'Saesneg' },
  cy: { en: 'Welsh', cy: 'Cymraeg' },
};

export type Nation = 'england' | 'wales' | 'scotland' | 'northern-ireland';

export const NATION_NAMES: Record<Nation, Text> = {
  england: { en: 'England', cy: 'Lloegr' },
  wales: { en: 'Wales', cy: 'Cymru' },
  scotland: { en: 'Scotland', cy: 'Yr Alban' },
  'northern-ireland': { en: 'Northern Ireland', cy: 'Gogledd Iwerddon' },
};

export const NATIONAL_AREA = {
  name: { en: 'National', cy: 'Cenedlaethol' } satisfies Text,
  description: {
    en: 'A national service, not limited to one local area.',
    cy: 'Gwasanaeth cenedlaethol, heb ei gyfyngu i un ardal leol.',
  } satisfies Text,
};

/** 'The area of {body}', for a local body's service area. */
export const AREA_OF: Text = { en: 'The area of {body}.', cy: 'Ardal {body}.' };

/** Opening times are wall-clock times in the UK; HSDS's numeric offset cannot say BST/GMT. */
export const LOCAL_TIME_NOTE: Text = {
  en: 'Times are UK local time (Europe/London).',
  cy: 'Amser lleol y DU (Europe/London) yw’r amseroedd.',
};

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
