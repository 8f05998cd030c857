#!/usr/bin/env node
// Checks the module boundaries described in docs/architecture.md:
//   1. a file in src/modules/A may import from src/modules/B (B ≠ A) only B's index.js / index.ts;
//   2. nothing in src/platform may import from src/modules;
//   3. a module queries only its own tables (and the platform's): a table belongs to the module
//      whose `interface Database { … }` block declares it (tables declared under src/platform are
//      shared). selectFrom/insertInto/updateTable/deleteFrom/innerJoin/leftJoin (also 't as x')
//      on another module's table is reported, unless scripts/table-ownership-allowlist.json
//      lists that file and table with a reason.
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

// ---- 3. table ownership -------------------------------------------------------------------

/** Table names declared in the `interface Database { … }` blocks of a file. */
function declaredTables(text) {
  const clean = stripComments(text);
  const tables = [];
  for (const match of clean.matchAll(/\binterface\s+Database\s*\{([^}]*)\}/g)) {
    for (const field of match[1].matchAll(/^\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?\s*\??\s*:/gm)) {
      tables.push(field[1]);
    }
  }
  return tables;
}

const owners = new Map(); // table → module name, or null for platform tables
for (const file of tsFiles(platformDir)) {
  for (const table of declaredTables(readFileSync(file, 'utf8'))) owners.set(table, null);
}
for (const file of tsFiles(modulesDir)) {
  const own = moduleOf(file);
  if (!own) continue;
  for (const table of declaredTables(readFileSync(file, 'utf8'))) {
    const previous = owners.get(table);
    if (previous !== undefined && previous !== own) {
      problems.push(`table '${table}' is declared by both '${previous}' and '${own}'`);
    }
    owners.set(table, own);
  }
}

const allowlistFile = path.join(root, 'scripts', 'table-ownership-allowlist.json');
let allowlist = [];
try {
  allowlist = JSON.parse(readFileSync(allowlistFile, 'utf8'));
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
const allowed = new Set();
for (const entry of allowlist) {
  if (!entry.file || !entry.table || !entry.reason) {
    problems.push(
      `${path.relative(root, allowlistFile)}: every entry needs file, table and reason`,
    );
    continue;
  }
  allowed.add(`${entry.file}\u0000${entry.table}`);
}
const used = new Set();

const isTestFile = (file) => /\.test\.ts$/.test(file) || file.split(path.sep).includes('test');
const TABLE_CALL =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\s*\(\s*['"`]([A-Za-z_][A-Za-z0-9_]*)(?:\s+as\s+[A-Za-z_][A-Za-z0-9_]*)?['"`]/g;

for (const file of tsFiles(modulesDir)) {
  const own = moduleOf(file);
  if (!own || isTestFile(file)) continue;
  const clean = stripComments(readFileSync(file, 'utf8'));
  const relative = path.relative(root, file).split(path.sep).join('/');
  for (const match of clean.matchAll(TABLE_CALL)) {
    const [, call, table] = match;
    const owner = owners.get(table);
    if (owner === undefined || owner === null || owner === own) continue;
    const key = `${relative}\u0000${table}`;
    if (allowed.has(key)) {
      used.add(key);
      continue;
    }
    const line = clean.slice(0, match.index).split('\n').length;
    report(
      file,
      line,
      `module '${own}' uses ${call}('${table}'), a table of module '${owner}': use ${owner}/index.js`,
    );
  }
}
for (const entry of allowlist) {
  if (entry.file && entry.table && !used.has(`${entry.file}\u0000${entry.table}`)) {
    problems.push(
      `${path.relative(root, allowlistFile)}: stale entry ${entry.file} '${entry.table}' (no longer used: remove it)`,
    );
  }
}

if (problems.length > 0) {
  console.error(`module boundaries: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('module boundaries: ok');
