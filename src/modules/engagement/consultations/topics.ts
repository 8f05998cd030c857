/**
 * The fixed list of topics a consultation is tagged with, so people can subscribe to new
 * consultations on what they care about. The database checks the same list (migration 0050);
 * each has a label `consultations.topic.<topic>` in the locales.
 */
export const CONSULTATION_TOPICS = [
  'environment',
  'housing',
  'planning',
  'transport',
  'health-and-care',
  'education',
  'community-and-culture',
  'money-and-tax',
  'benefits-and-work',
  'other',
] as const;
export type ConsultationTopic = (typeof CONSULTATION_TOPICS)[number];

/** Whether a form value is one of the topics. */
export function isConsultationTopic(value: string): value is ConsultationTopic {
  return (CONSULTATION_TOPICS as readonly string[]).includes(value);
}
