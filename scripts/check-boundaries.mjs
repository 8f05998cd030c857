#!/usr/bin/env node
// Checks the module boundaries described in docs/architecture.md:
//   1. a file in src/modules/A may import from src/modules/B (B ≠ A) only B's index.js / index.ts;
//   2. nothing in src/platform may import from src/modules.
// Relative specifiers in import/export/dynamic import()/declare module are resolved against the
// importing file. Exits 1 listing every offending file:line, otherwise prints "module boundaries: ok".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = path.join(root, 'src', 'modules');
const platformDir = path.join(root, 'src', 'platform');

/** Every .ts file under a directory (none if it does not exist). */
function tsFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...tsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts')) files.push(full);
  }
  return files;
}

// import x from '…' / import type {…} from '…' / export * from '…' (also across lines),
// import '…', import('…'), declare module '…'.
const PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bdeclare\s+module\s+['"]([^'"]+)['"]/g,
];

/** Blanks out comments, keeping offsets and newlines, so commented-out imports are not counted. */
function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"\\])\/\/[^\n]*/g, (m, lead) => lead + ' '.repeat(m.length - lead.length));
}

function specifiersOf(text) {
  const clean = stripComments(text);
  const found = [];
  for (const pattern of PATTERNS) {
    for (const match of clean.matchAll(pattern)) {
      const offset = match.index + match[0].lastIndexOf(match[1]);
      const line = clean.slice(0, offset).split('\n').length;
      found.push({ specifier: match[1], line });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** 'catalogue' for src/modules/catalogue/…, undefined outside src/modules. */
function moduleOf(file) {
  const relative = path.relative(modulesDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [name, ...rest] = relative.split(path.sep);
  return rest.length > 0 ? name : undefined;
}

function isInside(file, dir) {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const problems = [];
const report = (file, line, message) =>
  problems.push(`${path.relative(root, file)}:${line}: ${message}`);

for (const file of tsFiles(modulesDir)) {
  const own = moduleOf(file);
  if (!own) continue;
  for (const { specifier, line } of specifiersOf(readFileSync(file, 'utf8'))) {
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const other = moduleOf(target);
    if (other === undefined || other === own) continue;
    const inside = path.relative(path.join(modulesDir, other), target).split(path.sep).join('/');
    if (inside !== 'index.js' && inside !== 'index.ts') {
      report(
        file,
        line,
        `module '${own}' imports '${specifier}' from inside module '${other}': use ${other}/index.js`,
      );
    }
  }
}

for (const file of tsFiles(platformDir)) {
  for (const { specifier, line } of specifiersOf(readFileSync(file, 'utf8'))) {
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    if (isInside(target, modulesDir)) {
      report(
        file,
        line,
        `the platform imports '${specifier}' from src/modules: modules use the platform, never the reverse`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`module boundaries: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('module boundaries: ok');
