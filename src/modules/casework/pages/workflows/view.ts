/**
 * A workflow as a service owner reads it: its stages with their time limits, and its actions
 * with who may take them, as rows of two GOV.UK tables in the page's language.
 */
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import type { WorkflowSummary } from '../../queries/workflows.js';
import type { WorkflowDefinition } from '../../workflow/schema.js';

type Cell = { text: string } | { html: string };

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A label with its name in code beneath, so owners can match the table to the JSON. */
function named(label: string, name: string): Cell {
  return {
    html: `${escapeHtml(label)}<br><code>${escapeHtml(name)}</code>`,
  };
}

/** The stages table: stage, time limit, where it sits in the flow, the clock. */
export function stateRows(definition: WorkflowDefinition, locale: Locale, t: Translate): Cell[][] {
  return definition.states.map((state) => {
    const kind = state.start
      ? t('casework.workflows.state.start')
      : state.terminal
        ? t('casework.workflows.state.final')
        : '';
    return [
      named(state.label[locale], state.name),
      {
        text:
          state.slaDays === undefined
            ? t('casework.workflows.state.noLimit')
            : t(`casework.workflows.state.days.${state.slaDays === 1 ? 'one' : 'many'}`, {
                days: state.slaDays,
              }),
      },
      { text: kind },
      { text: state.pausesClock ? t('casework.workflows.state.pauses') : '' },
    ];
  });
}

/** The actions table: action, from, to, who, what it asks for, what it decides. */
export function actionRows(definition: WorkflowDefinition, locale: Locale, t: Translate): Cell[][] {
  const label = (name: string) =>
    definition.states.find((s) => s.name === name)?.label[locale] ?? name;
  return definition.actions.map((action) => {
    const needs = [
      t(`casework.workflows.need.comment.${action.comment}`),
      t(`casework.workflows.need.document.${action.document}`),
      ...(action.inputs ?? []).map((input) =>
        t('casework.workflows.need.input', { label: input.label[locale] }),
      ),
    ];
    return [
      named(action.label[locale], action.name),
      { text: action.from.map(label).join(', ') },
      { text: label(action.to) },
      { text: action.roles.map((role) => t(`casework.workflows.role.${role}`)).join(', ') },
      { html: needs.map(escapeHtml).join('<br>') },
      {
        text: action.decision
          ? t(`casework.workflows.decision.${action.decision}`)
          : action.appealWithinDays !== undefined
            ? t('casework.workflows.appeal', { days: action.appealWithinDays })
            : '',
      },
    ];
  });
}

/** A workflow key's versions, as the list page shows them: the live one and any newer draft. */
export interface WorkflowLine {
  key: string;
  name: string;
  /** The version to open from the list: the draft when there is one, else the live one. */
  openId: string;
  published: number | null;
  draft: number | null;
}

/**
 * One line per workflow key, from `listWorkflows`' rows (by key, newest version first): the
 * version published now and a draft newer than it.
 */
export function workflowLines(
  summaries: readonly WorkflowSummary[],
  locale: Locale,
): WorkflowLine[] {
  const lines = new Map<string, WorkflowLine>();
  for (const summary of summaries) {
    let line = lines.get(summary.key);
    if (!line) {
      line = {
        key: summary.key,
        name: summary.name[locale],
        openId: summary.id,
        published: null,
        draft: null,
      };
      lines.set(summary.key, line);
    }
    if (summary.status === 'published' && line.published === null) line.published = summary.version;
    if (summary.status === 'draft' && line.published === null && line.draft === null)
      line.draft = summary.version;
  }
  return [...lines.values()];
}
