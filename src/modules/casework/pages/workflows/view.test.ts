import { describe, expect, it } from 'vitest';
import type { WorkflowSummary } from '../../queries/workflows.js';
import type { WorkflowDefinition } from '../../workflow/schema.js';
import { actionRows, stateRows, workflowLines } from './view.js';

const t = (key: string, values?: Record<string, string | number>) =>
  values ? `${key}(${Object.values(values).join(',')})` : key;

const definition: WorkflowDefinition = {
  key: 'example',
  name: { en: 'Example', cy: 'Enghraifft' },
  states: [
    {
      name: 'received',
      label: { en: 'Received <new>', cy: 'Wedi dod i law' },
      slaDays: 1,
      start: true,
    },
    { name: 'waiting', label: { en: 'Waiting', cy: 'Yn aros' }, pausesClock: true },
    { name: 'done', label: { en: 'Done', cy: 'Wedi gorffen' }, terminal: true },
  ],
  actions: [
    {
      name: 'ask',
      label: { en: 'Ask', cy: 'Gofyn' },
      from: ['received'],
      to: 'waiting',
      roles: ['caseworker', 'team-leader'],
      comment: 'required',
      document: 'none',
    },
    {
      name: 'approve',
      label: { en: 'Approve', cy: 'Cymeradwyo' },
      from: ['received', 'waiting'],
      to: 'done',
      roles: ['caseworker'],
      comment: 'optional',
      document: 'optional',
      decision: 'approved',
    },
  ],
};

describe('the workflow tables', () => {
  it('give each stage its limit in working days, its place and its clock', () => {
    const rows = stateRows(definition, 'en', t);
    expect(rows[0]).toEqual([
      { html: 'Received &lt;new&gt;<br><code>received</code>' },
      { text: 'casework.workflows.state.days.one(1)' },
      { text: 'casework.workflows.state.start' },
      { text: '' },
    ]);
    expect(rows[1]![1]).toEqual({ text: 'casework.workflows.state.noLimit' });
    expect(rows[1]![3]).toEqual({ text: 'casework.workflows.state.pauses' });
    expect(rows[2]![2]).toEqual({ text: 'casework.workflows.state.final' });
  });

  it('give each action its stages by label in the page’s language, its roles and its decision', () => {
    const rows = actionRows(definition, 'cy', t);
    expect(rows[1]![1]).toEqual({ text: 'Wedi dod i law, Yn aros' });
    expect(rows[1]![2]).toEqual({ text: 'Wedi gorffen' });
    expect(rows[0]![3]).toEqual({
      text: 'casework.workflows.role.caseworker, casework.workflows.role.team-leader',
    });
    expect(rows[1]![5]).toEqual({ text: 'casework.workflows.decision.approved' });
    expect(rows[0]![5]).toEqual({ text: '' });
  });
});

describe('workflowLines', () => {
  const summary = (version: number, status: WorkflowSummary['status']): WorkflowSummary => ({
    id: `id-${version}`,
    key: 'example',
    version,
    status,
    organisationId: 'org',
    name: { en: `Example ${version}`, cy: `Enghraifft ${version}` },
    createdAt: new Date(),
    publishedAt: null,
  });

  it('shows the live version and a newer draft, opening the draft', () => {
    const lines = workflowLines(
      [summary(3, 'draft'), summary(2, 'published'), summary(1, 'retired')],
      'en',
    );
    expect(lines).toEqual([
      { key: 'example', name: 'Example 3', openId: 'id-3', published: 2, draft: 3 },
    ]);
  });

  it('shows no draft when the newest version is live', () => {
    expect(workflowLines([summary(2, 'published'), summary(1, 'retired')], 'cy')).toEqual([
      { key: 'example', name: 'Enghraifft 2', openId: 'id-2', published: 2, draft: null },
    ]);
  });
});
