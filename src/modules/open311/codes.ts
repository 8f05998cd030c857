/**
 * Which of the catalogue's services are problems people report about a place: the Open311
 * service codes. A code is a catalogue service key (shared by every body's version of the
 * service); a report goes to the version of the body responsible for the place, found by
 * the tier that provides it there.
 */
import type { Bilingual } from '../forms/index.js';

export interface ReportableProblem {
  /** The catalogue's service key, and Open311's service_code. */
  code: string;
  /** Who provides it in a two-tier area; in a unitary area (or Wales) the one council does. */
  tier: 'district' | 'county';
  /** How the "Report a problem" journey offers it: "What kind of problem …?" → "A pothole". */
  label: Bilingual;
  /** Open311's `group`, for clients that list services by theme. */
  group: Bilingual;
}

const WASTE: Bilingual = { en: 'Bins, rubbish and recycling', cy: 'Biniau, sbwriel ac ailgylchu' };
const STREETS: Bilingual = {
  en: 'Streets and public spaces',
  cy: 'Strydoedd a mannau cyhoeddus',
};
const ROADS: Bilingual = {
  en: 'Roads, pavements and lights',
  cy: 'Ffyrdd, palmentydd a goleuadau',
};

/** The problems Joinedup takes reports of, in the order they are offered. */
export const REPORTABLE_PROBLEMS: readonly ReportableProblem[] = [
  {
    code: 'report-a-missed-bin-collection',
    tier: 'district',
    label: { en: 'A missed bin collection', cy: 'Casgliad bin a fethwyd' },
    group: WASTE,
  },
  {
    code: 'report-fly-tipping',
    tier: 'district',
    label: {
      en: 'Fly-tipping (rubbish dumped illegally)',
      cy: 'Tipio anghyfreithlon (sbwriel wedi’i ollwng yn anghyfreithlon)',
    },
    group: WASTE,
  },
  {
    code: 'report-graffiti',
    tier: 'district',
    label: { en: 'Graffiti', cy: 'Graffiti' },
    group: STREETS,
  },
  {
    code: 'report-an-abandoned-vehicle',
    tier: 'district',
    label: { en: 'An abandoned vehicle', cy: 'Cerbyd wedi’i adael' },
    group: STREETS,
  },
  {
    code: 'report-a-pothole',
    tier: 'county',
    label: { en: 'A pothole', cy: 'Twll yn y ffordd' },
    group: ROADS,
  },
  {
    code: 'report-a-street-light-fault',
    tier: 'county',
    label: { en: 'A street light that is not working', cy: 'Golau stryd nad yw’n gweithio' },
    group: ROADS,
  },
];

/** The reportable problem with this service code, if it is one. */
export function reportableProblem(code: string): ReportableProblem | undefined {
  return REPORTABLE_PROBLEMS.find((problem) => problem.code === code);
}
