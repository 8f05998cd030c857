#!/usr/bin/env node
// Runs the built CLI, building first when the build is missing or older than the source,
// so `npm start` and `npx joinedup` work straight after `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'main', 'cli.js');
const stylesheet = path.join(root, 'public', 'app.css');

function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const built =
  existsSync(entry) && existsSync(stylesheet)
    ? Math.min(statSync(entry).mtimeMs, statSync(stylesheet).mtimeMs)
    : 0;
if (built < newest(path.join(root, 'src'))) {
  process.stderr.write('Building Joinedup…\n');
  const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  run([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  run([path.join(root, 'scripts', 'build-css.mjs')]);
}
await import(pathToFileURL(entry).href);
