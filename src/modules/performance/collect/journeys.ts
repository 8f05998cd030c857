import { z } from 'zod';
import type { Db } from '../../../platform/db/database.js';
import type { JourneyFact } from '../db/tables.js';
import { journeyDeltas, lockKey, replaceContribution } from './rollups.js';

/** A journey step as the forms module announces it (its `JourneyStep`), checked. */
export const JourneyStepSchema = z.object({
  draftId: z.uuid(),
  serviceId: z.uuid(),
  organisationId: z.uuid(),
  page: z.string().min(1).max(200),
  at: z.iso.datetime(),
});
export type JourneyStepInput = z.infer<typeof JourneyStepSchema>;

/**
 * Records a saved page of a journey (the `form.journey-step` message): the journey begins at its
 * first step, and its last page is the one it stood on at its latest step; a journey already
 * sent does not move. Its part of the roll-ups moves with it, in `trx`. Steps may come in any
 * order and more than once.
 */
export async function recordJourneyStep(trx: Db, step: JourneyStepInput): Promise<void> {
  await lockKey(trx, step.draftId);
  const at = new Date(step.at);
  const before = await trx
    .selectFrom('performance_journeys')
    .selectAll()
    .where('draft_id', '=', step.draftId)
    .forUpdate()
    .executeTakeFirst();
  if (before?.completed_at) return;
  const later = !before || at.getTime() >= before.last_step_at.getTime();
  const sent = before
    ? undefined
    : await trx
        .selectFrom('performance_transactions')
        .select('submitted_at')
        .where('draft_id', '=', step.draftId)
        .executeTakeFirst();
  const after: JourneyFact = {
    draft_id: step.draftId,
    service_id: before?.service_id ?? step.serviceId,
    organisation_id: before?.organisation_id ?? step.organisationId,
    started_at: before && before.started_at.getTime() < at.getTime() ? before.started_at : at,
    last_page: later ? step.page : before!.last_page,
    last_step_at: later ? at : before!.last_step_at,
    completed_at: sent?.submitted_at ?? null,
  };
  await trx
    .insertInto('performance_journeys')
    .values(after)
    .onConflict((oc) =>
      oc.column('draft_id').doUpdateSet({
        started_at: after.started_at,
        last_page: after.last_page,
        last_step_at: after.last_step_at,
      }),
    )
    .execute();
  await replaceContribution(trx, before ? journeyDeltas(before) : [], journeyDeltas(after));
  if (sent) {
    // The submission was measured before this first step arrived: take the journey's start.
    await trx
      .updateTable('performance_transactions')
      .set({ started_at: after.started_at })
      .where('draft_id', '=', step.draftId)
      .execute();
  }
}
