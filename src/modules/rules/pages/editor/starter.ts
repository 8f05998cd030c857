/**
 * The table a new rule set starts from in the editor: small, unique and valid, to be changed.
 */
import type { DecisionTable, Outcome, Purpose } from '../../schema.js';

const OUTCOMES: Record<Purpose, [Outcome, Outcome]> = {
  eligibility: [
    { type: 'eligibility', value: 'eligible' },
    { type: 'eligibility', value: 'not-eligible' },
  ],
  fee: [
    { type: 'fee', pence: 0 },
    { type: 'fee', pence: 2500 },
  ],
  decision: [
    { type: 'decision', value: 'approve', label: { en: 'Approved', cy: 'Cymeradwywyd' } },
    { type: 'decision', value: 'refuse', label: { en: 'Refused', cy: 'Gwrthodwyd' } },
  ],
};

/** A two-row table on one yes/no question, with outcomes of the purpose. */
export function starterTable(purpose: Purpose): DecisionTable {
  const [yes, no] = OUTCOMES[purpose];
  return {
    purpose,
    title: { en: 'Who can get this', cy: 'Pwy all gael hyn' },
    hitPolicy: 'unique',
    inputs: [
      {
        name: 'livesInArea',
        type: 'yesno',
        label: { en: 'Do you live in our area?', cy: 'Ydych chi’n byw yn ein hardal?' },
        yesText: { en: 'you live in our area', cy: 'rydych yn byw yn ein hardal' },
        noText: { en: 'you do not live in our area', cy: 'nid ydych yn byw yn ein hardal' },
      },
    ],
    rows: [
      {
        when: { livesInArea: { equals: true } },
        outcome: yes,
        explanation: { en: 'Because {livesInArea}.', cy: 'Oherwydd {livesInArea}.' },
      },
      {
        when: { livesInArea: { equals: false } },
        outcome: no,
        explanation: { en: 'Because {livesInArea}.', cy: 'Oherwydd {livesInArea}.' },
      },
    ],
  };
}
