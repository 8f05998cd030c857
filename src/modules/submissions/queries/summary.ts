import type { Db } from '../../../platform/db/database.js';
import type { AnswerSummary, StoredSubmissionRow, SubmittedAnswers } from '../db/tables.js';
import { formsContract, summaryOf } from '../hub/forms.js';

/**
 * A submission with its answers in words. One made on the web keeps the summary the person
 * checked, given as it is. One sent through the hub API keeps none (ADR 0009): its words are
 * written now from the form version its answers were checked against, which never changes once
 * published, so they are the words it would have kept; without that version (none recorded, or
 * not found), each answer is given under its field name.
 */
export async function withSummary<Row extends SummarySource>(
  db: Db,
  row: Row,
): Promise<WithSummary<Row>> {
  // A row with its summary is already what is asked for: given as it is, not copied (lists of
  // up to 500 go through here). TypeScript cannot narrow a generic row by its answers' member.
  if (row.answers.summary) return row as WithSummary<Row>;
  return { ...row, answers: { ...row.answers, summary: await writtenSummary(db, row) } };
}

/** withSummary for each of a list, in order. */
export function withSummaries<Row extends SummarySource>(
  db: Db,
  rows: Row[],
): Promise<WithSummary<Row>[]> {
  return Promise.all(rows.map((row) => withSummary(db, row)));
}

/** What a summary is written from: the stored answers and the form version they were checked against. */
type SummarySource = Pick<StoredSubmissionRow, 'answers' | 'form_key' | 'form_version'>;
type WithSummary<Row> = Omit<Row, 'answers'> & { answers: SubmittedAnswers };

async function writtenSummary(db: Db, row: SummarySource): Promise<AnswerSummary> {
  const forms = await formsContract();
  const definition =
    row.form_key !== null && row.form_version !== null
      ? await publishedDefinition(db, row.form_key, row.form_version)
      : undefined;
  return summaryOf(forms, definition, row.answers.values);
}

/**
 * Published form versions, read once per database handle: a version never changes once
 * published, so what was read stays true on every node. A version not found is not kept.
 */
const definitions = new WeakMap<Db, Map<string, Promise<unknown>>>();

function publishedDefinition(db: Db, key: string, version: number): Promise<unknown> {
  let kept = definitions.get(db);
  if (!kept) definitions.set(db, (kept = new Map()));
  const id = `${key}@${version}`;
  let definition = kept.get(id);
  if (!definition) {
    const reading = formsContract().then((forms) => forms.publishedVersion(db, key, version));
    kept.set(id, reading);
    const forget = () => kept.delete(id);
    reading.then((found) => found === undefined && forget(), forget);
    definition = reading;
  }
  return definition;
}
