import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/platform/paths.js';

/**
 * docs/security/asvs.md, the ASVS level 2 checklist (issue 14), checked against the code: every
 * test it names as evidence (`path` › "test name") must exist with that name, so a renamed or
 * deleted test cannot leave an entry claiming evidence that no longer runs in CI; and its summary
 * must add up to its entries. Reading files only: the PGlite pass runs it.
 */
const CHECKLIST = projectPath('docs/security/asvs.md');
const text = readFileSync(CHECKLIST, 'utf8');

/** Runs of spaces and line breaks as one space (markdown wraps long evidence over lines). */
const squeezed = (s: string) => s.replace(/\s+/g, ' ');

const STATUSES = ['Met', 'Partly', 'Not met', 'Not applicable'] as const;
type Status = (typeof STATUSES)[number];

interface Entry {
  id: string;
  chapter: string;
  status: string;
  evidence: string;
}

/** The checklist's entries: `- **1.2.3** · _Met_ · requirement.\` and the evidence below it. */
function entries(): Entry[] {
  const found: Entry[] = [];
  const pattern =
    /^- \*\*(\d+)\.(\d+)\.(\d+)\*\* · _([^_]+)_ · ([\s\S]*?)(?=^- \*\*\d|^#|(?![\s\S]))/gm;
  for (const match of text.matchAll(pattern))
    found.push({
      id: `${match[1]}.${match[2]}.${match[3]}`,
      chapter: `V${match[1]}`,
      status: match[4]!,
      evidence: match[5]!,
    });
  return found;
}

/** Each test named as evidence: the file before a `›`, and every name given for it. */
function namedTests(): { file: string; name: string }[] {
  const named: { file: string; name: string }[] = [];
  let file: string | undefined;
  const tokens = /`([\w./-]+\.test\.ts)`|› "([^"]+)"/g;
  for (const match of squeezed(text).matchAll(tokens)) {
    if (match[1]) file = match[1];
    else if (file) named.push({ file, name: match[2]! });
  }
  return named;
}

describe('the ASVS checklist (docs/security/asvs.md)', () => {
  it('names only test files that exist', () => {
    const files = [
      ...new Set([...squeezed(text).matchAll(/`([\w./-]+\.test\.ts)`/g)].map((m) => m[1]!)),
    ];
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => !existsSync(projectPath(file)))).toEqual([]);
  });

  it('names only tests those files hold, word for word', () => {
    const named = namedTests();
    expect(named.length).toBeGreaterThan(100);
    const sources = new Map<string, string>();
    const missing = named.filter(({ file, name }) => {
      const full = projectPath(file);
      if (!existsSync(full)) return true;
      if (!sources.has(file)) sources.set(file, squeezed(readFileSync(full, 'utf8')));
      return !sources.get(file)!.includes(name);
    });
    expect(missing.map(({ file, name }) => `${path.basename(file)} › "${name}"`)).toEqual([]);
  });

  it('gives each of the 260 level 2 requirements once, with one of its four statuses', () => {
    const all = entries();
    expect(all).toHaveLength(260);
    expect(new Set(all.map((e) => e.id)).size).toBe(260);
    expect(all.filter((e) => !STATUSES.includes(e.status as Status)).map((e) => e.id)).toEqual([]);
  });

  it('has a summary that adds up to its entries, chapter by chapter', () => {
    const all = entries();
    const rows = [...text.matchAll(/^\| (V\d+) [^|]*\|([^\n]*)\|$/gm)].map((m) => ({
      chapter: m[1]!,
      cells: m[2]!.split('|').map((cell) => Number(cell.trim())),
    }));
    expect(rows.length).toBe(14);
    for (const { chapter, cells } of rows) {
      const [met, , partly, notMet, notApplicable, total] = cells;
      const of = (status: Status) =>
        all.filter((e) => e.chapter === chapter && e.status === status).length;
      expect({ chapter, met, partly, notMet, notApplicable, total }).toEqual({
        chapter,
        met: of('Met'),
        partly: of('Partly'),
        notMet: of('Not met'),
        notApplicable: of('Not applicable'),
        total: all.filter((e) => e.chapter === chapter).length,
      });
    }
  });
});
