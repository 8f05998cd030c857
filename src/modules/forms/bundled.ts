/**
 * The forms shipped with Joinedup: src/modules/forms/definitions/*.json, each checked by the
 * schema when first read. A file the schema refuses stops the process with its problems listed:
 * it is a mistake in the code, not something to serve.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../../platform/paths.js';
import { FormDefinitionSchema, type FormDefinition } from './schema.js';

/** Where the shipped definitions are (read from src/ as templates and messages are). */
export const DEFINITIONS_DIR = projectPath('src', 'modules', 'forms', 'definitions');

let loading: Promise<FormDefinition[]> | undefined;

async function load(dir: string): Promise<FormDefinition[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const forms: FormDefinition[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const parsed = FormDefinitionSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(
        `Form definition ${file} is not valid:\n${parsed.error.issues
          .map((i) => `  ${i.path.join('.') || '(form)'}: ${i.message}`)
          .join('\n')}`,
      );
    if (`${parsed.data.key}.json` !== file)
      throw new Error(
        `Form definition ${file} has key "${parsed.data.key}": name it ${parsed.data.key}.json`,
      );
    forms.push(parsed.data);
  }
  return forms;
}

/** Every shipped form definition, read and checked once per process. */
export function bundledForms(): Promise<FormDefinition[]> {
  loading ??= load(DEFINITIONS_DIR).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** One shipped definition by key (tests and previews), or undefined. */
export async function bundledForm(key: string): Promise<FormDefinition | undefined> {
  return (await bundledForms()).find((f) => f.key === key);
}
