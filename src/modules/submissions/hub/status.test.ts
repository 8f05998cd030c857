import { describe, expect, it } from 'vitest';
import type { SubmissionEventRow } from '../db/tables.js';
import { historyEntry, hubStatusOf } from './status.js';

function event(status: SubmissionEventRow['status'], details: SubmissionEventRow['details'] = {}) {
  return {
    id: 1,
    submission_id: 's',
    status,
    details,
    actor_user_id: null,
    actor_organisation_id: null,
    occurred_at: new Date('2026-03-02T09:15:04.120Z'),
  } satisfies SubmissionEventRow;
}

describe('the hub’s words for stored statuses', () => {
  it('names the web’s statuses as the protocol does', () => {
    expect(hubStatusOf('submitted')).toBe('received');
    expect(hubStatusOf('received')).toBe('delivered');
    expect(hubStatusOf('approved')).toBe('decided');
    expect(hubStatusOf('rejected')).toBe('rejected');
    expect(hubStatusOf('in-progress')).toBe('in-progress');
  });

  it('gives casework’s rejection reason as reasons and its approval as a decision', () => {
    expect(historyEntry(event('rejected', { reason: 'Too many items' }))).toEqual({
      status: 'rejected',
      at: '2026-03-02T09:15:04.120Z',
      reasons: ['Too many items'],
    });
    expect(historyEntry(event('approved', { collectionDate: '2026-03-09' })).decision).toEqual({
      outcome: 'approved',
      collectionDate: '2026-03-09',
    });
  });

  it('gives a body’s decision, reasons and how a delivery came', () => {
    expect(
      historyEntry(
        event('decided', {
          reasons: ['Meets policy 4'],
          decision_outcome: 'refused',
          decision_summary: 'See the letter',
        }),
      ),
    ).toMatchObject({
      status: 'decided',
      reasons: ['Meets policy 4'],
      decision: { outcome: 'refused', summary: 'See the letter' },
    });
    expect(historyEntry(event('received', { via: 'pull' }))).toMatchObject({
      status: 'delivered',
      via: 'pull',
    });
  });
});
