import { readFileSync } from 'node:fs';
import { projectPath } from '../../platform/paths.js';
import type { OrganisationType } from './db/tables.js';

type CodeList = Record<string, string>;

function load(name: string): CodeList {
  return JSON.parse(
    readFileSync(projectPath('reference-data', 'ons', `${name}.json`), 'utf8'),
  ) as CodeList;
}

let cache: { districts: CodeList; counties: CodeList } | undefined;
function lists() {
  cache ??= { districts: load('districts'), counties: load('counties') };
  return cache;
}

/**
 * The ONS name of a local authority GSS code and the types of body that code can belong to,
 * or undefined when ONS has no such area. The entity prefix says what kind of area it is.
 *
 * @example lookupGssCode('E07000082') // { name: 'Stroud', types: ['district'] }
 */
export function lookupGssCode(
  code: string,
): { name: string; types: OrganisationType[] } | undefined {
  const { districts, counties } = lists();
  const name = districts[code] ?? counties[code];
  if (!name) return undefined;
  const prefix = code.slice(0, 3);
  const types: Record<string, OrganisationType[]> = {
    E06: ['unitary'],
    E07: ['district'],
    E08: ['metropolitan-district'],
    E09: ['london-borough'],
    E10: ['county'],
    W06: ['welsh-principal-area'],
    S12: ['scottish-council'],
    N09: ['northern-ireland-district'],
  };
  return { name, types: types[prefix] ?? ['other'] };
}
