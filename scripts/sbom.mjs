// Writes the software bill of materials of what production runs (the dependencies npm installs
// without the dev ones) as CycloneDX JSON to dist/sbom.cdx.json, for an operator's own scanner
// (Dependency-Track, OSV-Scanner, Grype): npm's advisory service is not reachable from every
// build machine, so the vulnerability check is done where the advisories are. Fails if npm's
// output is not a CycloneDX document listing the dependencies.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const text = execFileSync(npm, ['sbom', '--sbom-format=cyclonedx', '--omit=dev'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const sbom = JSON.parse(text);
const declared = Object.keys(
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {},
);
const listed = new Set((sbom.components ?? []).map((component) => component.name));
const missing = declared.filter((name) => !listed.has(name));
if (sbom.bomFormat !== 'CycloneDX' || missing.length > 0) {
  console.error(
    `sbom: not a CycloneDX document listing every dependency (missing: ${missing.join(', ') || 'none'})`,
  );
  process.exit(1);
}
const out = join(root, 'dist', 'sbom.cdx.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(sbom, null, 2)}\n`);
console.log(
  `sbom: ${sbom.components.length} components (CycloneDX ${sbom.specVersion}) in dist/sbom.cdx.json`,
);
