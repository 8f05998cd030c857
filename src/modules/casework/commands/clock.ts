/**
 * Stopping and restarting a case's clock while the applicant is asked for something, where the
 * workflow says so. Separate from actions, so a request for information can pause the clock
 * without a state of its own; entering or leaving a `pausesClock` state does the same itself.
 */
import type { Db } from '../../../platform/db/database.js';
import { dueAfterPause } from '../calendar/index.js';
import type { CaseRow } from '../db/tables.js';
import { recordCaseEvent } from './events.js';

/**
 * Pauses a case's clock from `at`: its due date stands still until `resumeClock`. Bumps the
 * version (a page showing the running clock is out of date) and records `clock-paused`. A clock
 * already paused, or a closed case, is left as it is and returned as it now is.
 */
export async function pauseClock(trx: Db, caseRow: CaseRow, at: Date): Promise<CaseRow> {
  const updated = await trx
    .updateTable('cases')
    .set((eb) => ({ paused_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', caseRow.id)
    .where('paused_at', 'is', null)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return current(trx, caseRow.id);
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'clock-paused',
    details: { at: at.toISOString() },
  });
  return updated;
}

/**
 * Restarts a paused clock at `at`: the due date moves on by the working days it stood still
 * (calendar's `dueAfterPause`). Bumps the version and records `clock-resumed` with the new due
 * date. A clock that is not paused is left as it is.
 */
export async function resumeClock(trx: Db, caseRow: CaseRow, at: Date): Promise<CaseRow> {
  const locked = await trx
    .selectFrom('cases')
    .select(['paused_at', 'due_at'])
    .where('id', '=', caseRow.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!locked.paused_at) return current(trx, caseRow.id);
  const pausedAt = new Date(locked.paused_at);
  const resumedAt = at < pausedAt ? pausedAt : at;
  const due = locked.due_at ? dueAfterPause(new Date(locked.due_at), pausedAt, resumedAt) : null;
  const updated = await trx
    .updateTable('cases')
    .set((eb) => ({ paused_at: null, due_at: due, version: eb('version', '+', 1) }))
    .where('id', '=', caseRow.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'clock-resumed',
    details: { at: resumedAt.toISOString(), due_at: due?.toISOString() ?? null },
  });
  return updated;
}

async function current(trx: Db, id: string): Promise<CaseRow> {
  return trx.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
