import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Joinedup project root (package.json).');
    dir = parent;
  }
  return dir;
}

/** The folder holding package.json, whether running from src/ (tsx, tests) or dist/. */
export const projectRoot = findProjectRoot();

/** A path inside the project, e.g. projectPath('migrations'). */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}
