/**
 * The form editor's check of a definition typed as JSON, for other modules that let staff write a
 * form definition in a textarea (procurement's tender questions): syntax errors by line and
 * column, schema problems by JSON path and line, in the reader's language — the same messages
 * the editor shows. A caller may add its own problems (question types it cannot ask, say).
 */
import type { Translate } from '../../../../platform/i18n/i18n.js';
import { FormDefinitionSchema, type FormDefinition } from '../../schema.js';
import { readJson, type SyntaxProblem } from './json-text.js';

/** The most problems listed at once; the rest are counted. */
export const MAX_LISTED = 50;

/** A definition typed as text, checked: the definition, or each problem as a sentence. */
export type DefinitionTextCheck =
  { ok: true; definition: FormDefinition; value: unknown } | { ok: false; errors: string[] };

/** A caller's own problem with a definition the schema accepts. */
export interface ExtraProblem {
  path: (string | number)[];
  message: string;
}

/** A JSON syntax problem as a sentence in the reader's language. */
export function syntaxMessage(problem: SyntaxProblem, t: Translate): string {
  switch (problem.kind) {
    case 'unexpected':
      return t('forms.editor.json.unexpected', {
        found: problem.found,
        expected: t(`forms.editor.json.expected.${problem.expected}`),
      });
    case 'duplicateKey':
      return t('forms.editor.json.duplicateKey', { key: problem.key });
    default:
      return t(`forms.editor.json.${problem.kind}`);
  }
}

/**
 * Checks a form definition typed as JSON, as the form editor does.
 *
 * @example
 * const checked = checkDefinitionText(body.questionForm, request.t, (d) => ownProblems(d));
 * if (!checked.ok) return page({ errorList: checked.errors.map((text) => ({ text, href: '#questionForm' })) });
 */
export function checkDefinitionText(
  text: string,
  t: Translate,
  extra?: (definition: FormDefinition) => ExtraProblem[],
): DefinitionTextCheck {
  const reading = readJson(text);
  if (!reading.ok)
    return {
      ok: false,
      errors: [
        t('forms.editor.json.at', {
          line: reading.position.line,
          column: reading.position.column,
          message: syntaxMessage(reading.problem, t),
        }),
      ],
    };
  const parsed = FormDefinitionSchema.safeParse(reading.value);
  const problems: ExtraProblem[] = parsed.success
    ? (extra?.(parsed.data) ?? [])
    : parsed.error.issues.map((issue) => ({
        path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
        message: issue.message,
      }));
  if (parsed.success && problems.length === 0)
    return { ok: true, definition: parsed.data, value: reading.value };
  const errors = problems.slice(0, MAX_LISTED).map((problem) =>
    t('forms.editor.problem.at', {
      path: problem.path.join('.') || t('forms.editor.problem.wholeForm'),
      line: reading.positionOf(problem.path).line,
      message: problem.message,
    }),
  );
  if (problems.length > MAX_LISTED)
    errors.push(t('forms.editor.problem.more', { count: problems.length - MAX_LISTED }));
  return { ok: false, errors };
}
