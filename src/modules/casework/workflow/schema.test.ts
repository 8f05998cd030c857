import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledWorkflows } from './bundled.js';
import { parseWorkflowDefinition, placeholdersIn, type WorkflowDefinition } from './schema.js';

const both = (text: string) => ({ en: text, cy: `${text} (cy)` });

/** A small valid workflow: open → done, with an applicant's appeal back to open. */
function small(): WorkflowDefinition {
  return {
    key: 'small',
    name: both('Small'),
    states: [
      { name: 'open', label: both('Open'), start: true, slaDays: 5 },
      { name: 'done', label: both('Done'), terminal: true },
    ],
    actions: [
      {
        name: 'finish',
        label: both('Finish'),
        from: ['open'],
        to: 'done',
        roles: ['caseworker'],
        comment: 'optional',
        document: 'none',
        tell: both('((reference)) is done: ((comment))'),
      },
      {
        name: 'appeal',
        label: both('Appeal'),
        from: ['done'],
        to: 'open',
        roles: ['applicant'],
        comment: 'required',
        document: 'none',
        appealWithinDays: 28,
      },
    ],
  };
}

const messages = (json: unknown) => {
  const parsed = parseWorkflowDefinition(json);
  return parsed.ok ? [] : parsed.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('parsing a workflow definition', () => {
  it('accepts a well-formed workflow as it is', () => {
    expect(parseWorkflowDefinition(small())).toEqual({ ok: true, definition: small() });
  });

  it('accepts every shipped workflow', async () => {
    const keys = (await bundledWorkflows()).map((w) => w.key);
    expect(keys).toEqual(['bulky-waste', 'default', 'public-grievance']);
  });

  it('names the field of a shape problem, and refuses unknown keys', () => {
    const wrong = {
      ...small(),
      states: [{ ...small().states[0], requried: true }, small().states[1]],
    };
    expect(messages(wrong)).toEqual([expect.stringMatching(/^states\.0: .*requried/)]);
    expect(messages({ ...small(), key: 'Not A Key' })[0]).toMatch(/^key: /);
    expect(messages(null)).toEqual([expect.stringMatching(/^\(workflow\): /)]);
  });

  it('needs exactly one start state', () => {
    const none = small();
    none.states[0]!.start = false;
    expect(messages(none)).toContain('states: a workflow has exactly one start state (this has 0)');
    const two = small();
    two.states.push({ name: 'other', label: both('Other'), start: true });
    expect(messages(two)).toContain('states: a workflow has exactly one start state (this has 2)');
  });

  it('refuses names used twice', () => {
    const workflow = small();
    workflow.states.push({ ...workflow.states[1]! });
    workflow.actions.push({ ...workflow.actions[0]! });
    expect(messages(workflow)).toEqual(
      expect.arrayContaining([
        'states: two states are called "done"',
        'actions: two actions are called "finish"',
      ]),
    );
  });

  it('refuses actions between states that do not exist', () => {
    const workflow = small();
    workflow.actions[0]!.to = 'finished';
    workflow.actions[0]!.from = ['opened'];
    expect(messages(workflow)).toEqual(
      expect.arrayContaining([
        'actions.0.from.0: there is no state "opened"',
        'actions.0.to: there is no state "finished"',
      ]),
    );
  });

  it('refuses a state no action reaches from the start', () => {
    const workflow = small();
    workflow.states.push({ name: 'limbo', label: both('Limbo') });
    expect(messages(workflow)).toContain('states.2: no action leads to "limbo" from the start');
  });

  it('lets a final state have only applicant appeals', () => {
    const staffAction = small();
    staffAction.actions.push({
      ...staffAction.actions[0]!,
      name: 'undo',
      from: ['done'],
      to: 'open',
    });
    expect(messages(staffAction)).toContain(
      `actions.2.from.0: "done" is final: only an applicant's appeal (with appealWithinDays) may leave it`,
    );
    const staffAppeal = small();
    staffAppeal.actions[1]!.roles = ['caseworker'];
    expect(messages(staffAppeal)).toContain(
      'actions.1.appealWithinDays: only the applicant appeals',
    );
    const earlyAppeal = small();
    earlyAppeal.actions[1]!.from = ['open'];
    earlyAppeal.actions[1]!.to = 'done';
    expect(messages(earlyAppeal)).toContain(
      'actions.1.appealWithinDays: an appeal is made from a final state',
    );
  });

  it('refuses a final state with a time limit, and a final start', () => {
    const workflow = small();
    workflow.states[1]!.slaDays = 3;
    workflow.states[0]!.terminal = true;
    expect(messages(workflow)).toEqual(
      expect.arrayContaining([
        'states.1.slaDays: a final state has no time limit',
        'states.0.terminal: the start state cannot be final',
      ]),
    );
  });

  it('refuses a message with a placeholder it cannot fill', () => {
    const unknown = small();
    unknown.actions[0]!.tell = both('Booked for ((collectionDate))');
    expect(messages(unknown)).toEqual([
      'actions.0.tell.en: there is no placeholder ((collectionDate))',
      'actions.0.tell.cy: there is no placeholder ((collectionDate))',
    ]);
    unknown.actions[0]!.inputs = [{ name: 'collectionDate', type: 'date', label: both('Date') }];
    expect(messages(unknown)).toEqual([]);
    const noComment = small();
    noComment.actions[0]!.comment = 'none';
    expect(messages(noComment)).toContain(
      'actions.0.tell.en: ((comment)) needs an action with a comment',
    );
  });

  it('finds placeholders, spaces allowed inside', () => {
    expect(placeholdersIn('((a)) and (( b )) and ((( c ))) but not (d)')).toEqual(['a', 'b', 'c']);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const parsed = parseWorkflowDefinition(json);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on workflows that are almost right, and reports rather than accepts nonsense', () => {
    const stateName = fc.constantFrom('open', 'done', 'other', 'Bad Name', '');
    const arbitraryWorkflow = fc.record({
      key: fc.constantFrom('small', 'x', 'ok-key'),
      name: fc.constant(both('Small')),
      states: fc.array(
        fc.record(
          {
            name: stateName,
            label: fc.constant(both('State')),
            start: fc.boolean(),
            terminal: fc.boolean(),
            slaDays: fc.integer({ min: -1, max: 400 }),
          },
          { requiredKeys: ['name', 'label'] },
        ),
        { maxLength: 5 },
      ),
      actions: fc.array(
        fc.record({
          name: fc.constantFrom('go', 'stop', 'appeal'),
          label: fc.constant(both('Act')),
          from: fc.array(stateName, { maxLength: 3 }),
          to: stateName,
          roles: fc.subarray(['caseworker', 'team-leader', 'applicant']),
          comment: fc.constantFrom('required', 'optional', 'none', 'maybe'),
          document: fc.constantFrom('required', 'optional', 'none'),
        }),
        { maxLength: 5 },
      ),
    });
    fc.assert(
      fc.property(arbitraryWorkflow, (json) => {
        const parsed = parseWorkflowDefinition(json);
        if (parsed.ok) {
          // Whatever it accepts has one start from which every state is reachable.
          expect(parsed.definition.states.filter((s) => s.start)).toHaveLength(1);
        } else expect(parsed.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
