#!/usr/bin/env node
// Builds the front-end assets into public/ (served at /assets/):
//   public/app.css                 GOV.UK Frontend in Joinedup's neutral brand, plus app- styles
//   public/favicon.svg             our mark (not the crown)
//   public/govuk-frontend.min.js   GOV.UK Frontend's JavaScript, for progressive enhancement
//   public/timeout-warning.js      the "You're about to be signed out" dialog (identity module)
//
// Usage: node scripts/build-css.mjs   (exits non-zero if anything fails)
import { Buffer } from 'node:buffer';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...segments) => path.join(root, ...segments);
const assets = at('src/platform/views/assets');
const output = at('public');

// GOV.UK Frontend still uses Sass features that newer Sass deprecates; those warnings are
// theirs to fix. Ask only for the ones this Sass version knows, so it does not warn about us.
const NOISY_DEPRECATIONS = [
  'import',
  'global-builtin',
  'color-functions',
  'mixed-decls',
  'if-function',
];
const silenceDeprecations = NOISY_DEPRECATIONS.filter(
  (id) => sass.deprecations?.[id]?.status === 'active',
);

try {
  const started = performance.now();
  mkdirSync(output, { recursive: true });

  const result = sass.compile(path.join(assets, 'app.scss'), {
    loadPaths: [at('node_modules/govuk-frontend/dist')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations,
  });
  if (/GDS Transport/.test(result.css)) {
    throw new Error('app.css mentions GDS Transport: the font settings did not take effect.');
  }
  writeFileSync(path.join(output, 'app.css'), result.css);

  copyFileSync(path.join(assets, 'favicon.svg'), path.join(output, 'favicon.svg'));
  copyFileSync(
    at('node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'),
    path.join(output, 'govuk-frontend.min.js'),
  );
  copyFileSync(
    at('src/modules/identity/assets/timeout-warning.js'),
    path.join(output, 'timeout-warning.js'),
  );

  const kb = (Buffer.byteLength(result.css) / 1024).toFixed(0);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `Built public/app.css (${kb} kB), favicon.svg, govuk-frontend.min.js, timeout-warning.js in ${ms} ms\n`,
  );
} catch (error) {
  process.stderr.write(
    `CSS build failed:\n${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
