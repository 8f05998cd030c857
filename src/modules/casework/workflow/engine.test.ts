import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledWorkflows } from './bundled.js';
import { availableActions, checkAction, fillPlaceholders, startState } from './engine.js';
import type { WorkflowDefinition } from './schema.js';

let standard: WorkflowDefinition;
let bulky: WorkflowDefinition;
let grievance: WorkflowDefinition;
beforeAll(async () => {
  const all = await bundledWorkflows();
  const find = (key: string) => all.find((w) => w.key === key)!;
  [standard, bulky, grievance] = [find('default'), find('bulky-waste'), find('public-grievance')];
});

// A Tuesday at noon in London; 2026-11-24.
const NOW = new Date('2026-11-24T12:00:00Z');
const inState = (state: string, stateEnteredAt = NOW) => ({ state, stateEnteredAt });
const names = (actions: { name: string }[]) => actions.map((a) => a.name);

describe('which actions someone may take', () => {
  it('follows the default flow from received to a decision', () => {
    expect(startState(standard).name).toBe('received');
    expect(names(availableActions(standard, 'received', ['caseworker']))).toEqual([
      'assign',
      'withdraw',
    ]);
    expect(names(availableActions(standard, 'in-progress', ['caseworker']))).toEqual([
      'request-information',
      'approve',
      'refuse',
      'withdraw',
    ]);
    expect(names(availableActions(standard, 'approved', ['caseworker', 'team-leader']))).toEqual(
      [],
    );
  });

  it('gives the applicant only their own actions', () => {
    expect(names(availableActions(standard, 'in-progress', ['applicant']))).toEqual(['withdraw']);
    expect(names(availableActions(standard, 'refused', ['applicant']))).toEqual(['appeal']);
    expect(names(availableActions(standard, 'refused', ['caseworker']))).toEqual([]);
  });

  it('leaves a review to a team leader', () => {
    expect(names(availableActions(standard, 'review', ['caseworker']))).toEqual([]);
    expect(names(availableActions(standard, 'review', ['team-leader']))).toEqual([
      'overturn',
      'uphold',
    ]);
  });

  it('drops an appeal once its 28 days have passed', () => {
    const refusedOn = new Date('2026-10-01T09:00:00Z');
    const on = (now: string) =>
      names(
        availableActions(standard, 'refused', ['applicant'], {
          stateEnteredAt: refusedOn,
          now: new Date(now),
        }),
      );
    expect(on('2026-10-29T22:00:00Z')).toEqual(['appeal']);
    expect(on('2026-10-30T09:00:00Z')).toEqual([]);
  });

  it('follows DIGIT’s public grievance flow', () => {
    expect(startState(grievance).name).toBe('pending-assignment');
    expect(names(availableActions(grievance, 'pending-assignment', ['team-leader']))).toEqual([
      'assign',
      'reject',
    ]);
    expect(names(availableActions(grievance, 'resolved', ['applicant']))).toEqual([
      'reopen',
      'rate',
    ]);
  });
});

describe('checking an action', () => {
  it('moves to the action’s state with the comment trimmed', () => {
    const checked = checkAction(
      standard,
      inState('in-progress'),
      'refuse',
      ['caseworker'],
      { comment: '  Not eligible  ' },
      NOW,
    );
    expect(checked).toMatchObject({
      ok: true,
      to: { name: 'refused', terminal: true },
      comment: 'Not eligible',
      documents: [],
      inputs: {},
    });
  });

  it('is 409 for an action the workflow does not have or not from this state', () => {
    expect(
      checkAction(standard, inState('received'), 'explode', ['caseworker'], {}, NOW),
    ).toMatchObject({ ok: false, status: 409, errors: [{ message: 'casework.action.unknown' }] });
    expect(
      checkAction(standard, inState('approved'), 'refuse', ['caseworker'], { comment: 'x' }, NOW),
    ).toMatchObject({ ok: false, status: 409, errors: [{ message: 'casework.action.notNow' }] });
  });

  it('is 403 for someone whose role the action is not for', () => {
    expect(
      checkAction(standard, inState('in-progress'), 'approve', ['applicant'], {}, NOW),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      checkAction(standard, inState('review'), 'overturn', ['caseworker'], { comment: 'x' }, NOW),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      checkAction(standard, inState('review'), 'overturn', ['team-leader'], { comment: 'x' }, NOW),
    ).toMatchObject({ ok: true });
  });

  it('is 409 for an appeal made too late', () => {
    expect(
      checkAction(
        standard,
        inState('refused', new Date('2026-09-01T12:00:00Z')),
        'appeal',
        ['applicant'],
        { comment: 'Please look again' },
        NOW,
      ),
    ).toMatchObject({ ok: false, status: 409, errors: [{ message: 'casework.action.tooLate' }] });
  });

  it('is 400 without a required comment or document, naming the fields', () => {
    const refused = checkAction(
      standard,
      inState('in-progress'),
      'refuse',
      ['caseworker'],
      { comment: ' ' },
      NOW,
    );
    expect(refused).toEqual({
      ok: false,
      status: 400,
      errors: [{ field: 'comment', message: 'casework.action.comment.required' }],
    });
    const tooLong = checkAction(
      standard,
      inState('in-progress'),
      'refuse',
      ['caseworker'],
      { comment: 'x'.repeat(5001) },
      NOW,
    );
    expect(tooLong).toMatchObject({
      status: 400,
      errors: [{ message: 'casework.action.comment.tooLong' }],
    });
  });

  it('drops a comment and documents an action does not take', () => {
    expect(
      checkAction(
        standard,
        inState('received'),
        'assign',
        ['caseworker'],
        { comment: 'hi', documents: ['a'] },
        NOW,
      ),
    ).toMatchObject({ ok: true, comment: null, documents: [] });
  });

  describe('a bulky waste approval’s collection date', () => {
    const approve = (inputs: Record<string, string>) =>
      checkAction(bulky, inState('received'), 'approve', ['caseworker'], { inputs }, NOW);
    const parts = (d: string, m = '12', y = '2026') => ({
      'collectionDate-day': d,
      'collectionDate-month': m,
      'collectionDate-year': y,
    });

    it('takes a weekday from today on, from the three boxes or as one date', () => {
      expect(approve(parts('1'))).toMatchObject({
        ok: true,
        inputs: { collectionDate: '2026-12-01' },
      });
      expect(approve({ collectionDate: '2026-11-24' })).toMatchObject({
        ok: true,
        inputs: { collectionDate: '2026-11-24' },
      });
    });

    it('refuses a missing, unreal, past or weekend date on the day box', () => {
      const problem = (inputs: Record<string, string>) => {
        const checked = approve(inputs);
        return checked.ok
          ? 'ok'
          : `${checked.status} ${checked.errors[0]!.field} ${checked.errors[0]!.message}`;
      };
      expect(problem({})).toBe('400 collectionDate-day casework.action.date.required');
      expect(problem(parts('', '12'))).toBe(
        '400 collectionDate-day casework.action.date.incomplete',
      );
      expect(problem(parts('31', '2'))).toBe('400 collectionDate-day casework.action.date.invalid');
      expect(problem({ collectionDate: '2026-13-01' })).toBe(
        '400 collectionDate-day casework.action.date.invalid',
      );
      expect(problem(parts('20', '11'))).toBe('400 collectionDate-day casework.action.date.past');
      expect(problem(parts('28', '11'))).toBe(
        '400 collectionDate-day casework.action.date.weekend',
      );
      const failed = approve({});
      expect(failed.ok ? null : failed.errors[0]!).toMatchObject({
        label: { en: 'Collection date' },
      });
    });

    it('refuses without a reason', () => {
      expect(
        checkAction(bulky, inState('received'), 'refuse', ['caseworker'], {}, NOW),
      ).toMatchObject({ ok: false, status: 400, errors: [{ field: 'comment' }] });
    });
  });

  it('never throws and never lets through an action the roles or state do not allow', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('default', 'bulky-waste', 'public-grievance'),
        fc.string(),
        fc.string(),
        fc.subarray(['caseworker', 'team-leader', 'applicant'] as const),
        fc.dictionary(fc.string(), fc.string()),
        fc.nat(),
        fc.nat(),
        (key, state, action, roles, inputs, stateIndex, actionIndex) => {
          const definition = {
            default: standard,
            'bulky-waste': bulky,
            'public-grievance': grievance,
          }[key];
          const realState = definition.states[stateIndex % definition.states.length]!.name;
          const realAction = definition.actions[actionIndex % definition.actions.length]!.name;
          for (const [s, a] of [
            [state, action],
            [realState, realAction],
          ] as const) {
            const checked = checkAction(
              definition,
              inState(s),
              a,
              roles,
              { comment: 'c', inputs, documents: ['d'] },
              NOW,
            );
            if (checked.ok) {
              expect(checked.action.from).toContain(s);
              expect(checked.action.roles.some((r) => roles.includes(r))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('filling the applicant’s message', () => {
  it('fills what it knows and leaves nothing bracketed', () => {
    expect(
      fillPlaceholders('((reference)) on (( date )): ((comment))', {
        reference: 'JU-1',
        date: '1 Dec',
      }),
    ).toBe('JU-1 on 1 Dec: ');
    expect(fillPlaceholders('(((reference)))', { reference: 'JU-1' })).toBe('(JU-1)');
  });
});
