/**
 * Reading the JSON a service owner typed in the workflow editor. When it is not JSON, say where
 * the problem is (line and column) whenever the runtime's parser tells us the position, so the
 * owner can find it in a long text; the parser's own words are English and technical, so they
 * are never shown.
 */

/** The most characters a workflow's text may have: far more than 50 states and 200 actions need. */
export const MAX_DEFINITION_CHARACTERS = 500_000;

export type DefinitionText =
  | { ok: true; value: unknown }
  | {
      ok: false;
      problem: 'empty' | 'tooLong' | 'endsEarly' | 'invalid';
      line?: number;
      column?: number;
    };

/** The 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/**
 * The value of a JSON text, or what is wrong with it.
 *
 * @example readDefinitionText('{"key": "x",}') // { ok: false, problem: 'invalid', line: 1, column: 13 }
 */
export function readDefinitionText(text: string): DefinitionText {
  if (text.trim() === '') return { ok: false, problem: 'empty' };
  if (text.length > MAX_DEFINITION_CHARACTERS) return { ok: false, problem: 'tooLong' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/unexpected end/i.test(message)) return { ok: false, problem: 'endsEarly' };
    const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
    if (lineColumn)
      return {
        ok: false,
        problem: 'invalid',
        line: Number(lineColumn[1]),
        column: Number(lineColumn[2]),
      };
    const position = /at position (\d+)/.exec(message);
    if (position)
      return { ok: false, problem: 'invalid', ...lineAndColumn(text, Number(position[1])) };
    return { ok: false, problem: 'invalid' };
  }
}
