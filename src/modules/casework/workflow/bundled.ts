/**
 * The workflows shipped with Joinedup: workflow/definitions/*.json (`default`,
 * `public-grievance`, `bulky-waste`), every body's to use. A file the checks refuse stops the
 * process with its problems listed: it is a mistake in the code, not something to serve.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../../../platform/paths.js';
import { parseWorkflowDefinition, type WorkflowDefinition } from './schema.js';

/** Where the shipped definitions are (read from src/ as templates and messages are). */
export const WORKFLOWS_DIR = projectPath('src', 'modules', 'casework', 'workflow', 'definitions');

/** The platform's workflow every service without a choice of its own follows. */
export const DEFAULT_WORKFLOW = 'default';

let loading: Promise<WorkflowDefinition[]> | undefined;

async function load(dir: string): Promise<WorkflowDefinition[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const workflows: WorkflowDefinition[] = [];
  for (const file of files) {
    const parsed = parseWorkflowDefinition(
      JSON.parse(await readFile(path.join(dir, file), 'utf8')),
    );
    if (!parsed.ok)
      throw new Error(
        `Workflow ${file} is not valid:\n${parsed.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
      );
    if (`${parsed.definition.key}.json` !== file)
      throw new Error(`Workflow ${file} has key "${parsed.definition.key}": name it so`);
    workflows.push(parsed.definition);
  }
  return workflows;
}

/** Every shipped workflow, read and checked once per process. */
export function bundledWorkflows(): Promise<WorkflowDefinition[]> {
  loading ??= load(WORKFLOWS_DIR).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
