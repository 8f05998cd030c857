import { randomUUID } from 'node:crypto';
import { ukToday } from '../../platform/validation/validators.js';
import { firstIncompletePage } from './journey.js';
import type { Answers, FormDefinition } from './schema.js';

/**
 * Announced, in the same transaction, each time a page of a journey is saved, so the performance
 * module can count journeys begun and the page where people leave (it handles the topic).
 */
export const JOURNEY_STEP_TOPIC = 'form.journey-step';

/** What a journey step says: the draft, its service and body, and the page the person now stands on. */
export interface JourneyStep {
  draftId: string;
  serviceId: string;
  organisationId: string;
  /** The first page still to answer, or `check-answers` when every page is answered. */
  page: string;
  at: string;
}

/** The outbox message for a saved page: the page reached is the first one still unanswered. */
export function journeyStepMessage(
  draftId: string,
  journey: {
    service: { id: string; organisation: { id: string } };
    form: FormDefinition;
    answers: Answers;
  },
  now = new Date(),
) {
  const payload: JourneyStep = {
    draftId,
    serviceId: journey.service.id,
    organisationId: journey.service.organisation.id,
    page: firstIncompletePage(journey.form, journey.answers, ukToday())?.id ?? 'check-answers',
    at: now.toISOString(),
  };
  return {
    topic: JOURNEY_STEP_TOPIC,
    payload: payload as unknown as Record<string, unknown>,
    idempotencyKey: `${JOURNEY_STEP_TOPIC}:${draftId}:${randomUUID()}`,
  };
}
