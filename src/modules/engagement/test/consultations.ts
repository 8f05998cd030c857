import { dateInputFields } from '../../../../test/helpers/dates.js';

/**
 * The staff form that publishes a consultation (`POST /staff/consultations/new`), filled in as a
 * service owner would: parking charges in Stroud town centre, open today for 30 days, for
 * Stroud's GL5 and GL6 districts, answerable without signing in, with a choice and a free-text
 * question. `fields` replaces or adds any field (a title of its own, other options …).
 */
export function consultationForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Parking charges in Stroud town centre',
    summary: 'We propose new parking charges in the town centre.',
    body: 'The council proposes to charge for parking.\n\nThe money would pay for buses.',
    audience: 'Residents and businesses of Stroud district',
    topic: 'transport',
    ...dateInputFields('opensOn', 0),
    ...dateInputFields('closesOn', 30),
    area: 'districts',
    districts: 'GL5, gl6',
    signIn: 'no',
    'q1-text': 'Do you agree with the charges?',
    'q1-kind': 'choice',
    'q1-options': 'Yes\nNo\nNot sure',
    'q2-text': 'Tell us why',
    'q2-kind': 'text',
    ...fields,
  };
}
