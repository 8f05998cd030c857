import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildZip, lyingZipBomb, minimalDocx, nestedZip, zipBomb } from './test/files.js';
import {
  assessZipEntries,
  looksLikeArchive,
  readCentralDirectory,
  verifyZipContent,
  type ZipEntry,
} from './zip.js';

function entriesOf(file: Buffer): ZipEntry[] {
  const directory = readCentralDirectory(file, file.length);
  if (!directory.ok) throw new Error(`not readable: ${directory.verdict}`);
  return directory.entries;
}

/** The file as a stream of small chunks, as the store hands it back. */
function chunks(file: Buffer, size = 1000): Readable {
  return Readable.from(
    Array.from({ length: Math.ceil(file.length / size) }, (_, i) =>
      file.subarray(i * size, (i + 1) * size),
    ),
  );
}

async function judge(file: Buffer) {
  const directory = readCentralDirectory(file, file.length);
  if (!directory.ok) return directory.verdict;
  const claims = assessZipEntries(directory.entries, file.length);
  if (claims !== 'ok') return claims;
  return verifyZipContent(chunks(file), directory.entries);
}

describe('zip bombs', () => {
  it('reads the central directory of a real Word document and passes it', async () => {
    const docx = minimalDocx();
    expect(entriesOf(docx).map((e) => e.name)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
    ]);
    expect(await judge(docx)).toBe('ok');
  });

  it('refuses a ZIP whose entries say they inflate more than 100 times the file', async () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(entriesOf(bomb)[0]!.uncompressedSize).toBe(20 * 1024 * 1024);
    expect(assessZipEntries(entriesOf(bomb), bomb.length)).toBe('bomb');
  });

  it('refuses a ZIP that claims more than 100 MB in total, even at a modest ratio', () => {
    const entries: ZipEntry[] = [
      {
        name: 'a',
        method: 8,
        flags: 0,
        compressedSize: 2e6,
        uncompressedSize: 101 * 1024 * 1024,
        localHeaderOffset: 0,
      },
    ];
    expect(assessZipEntries(entries, 10 * 1024 * 1024)).toBe('bomb');
    expect(
      assessZipEntries([{ ...entries[0]!, uncompressedSize: 50 * 1024 * 1024 }], 10 * 1024 * 1024),
    ).toBe('ok');
  });

  it('catches a directory that lies about sizes by inflating the data', async () => {
    const bomb = lyingZipBomb();
    expect(assessZipEntries(entriesOf(bomb), bomb.length)).toBe('ok');
    expect(await judge(bomb)).toBe('bomb');
  });

  it('refuses an archive inside an archive, by its name or by its content', async () => {
    expect(await judge(nestedZip())).toBe('bomb');
    const named = buildZip([{ name: 'more.zip', data: Buffer.from('not really') }]);
    expect(await judge(named)).toBe('bomb');
    const stored = buildZip([
      { name: 'x.bin', data: buildZip([{ name: 'y', data: Buffer.from('y') }]), method: 0 },
    ]);
    expect(await judge(stored)).toBe('bomb');
  });

  it('refuses entries that overlap, the trick of bombs that reuse one block', () => {
    const overlapping = buildZip(
      [
        { name: 'a.txt', data: Buffer.alloc(1000, 'a') },
        { name: 'b.txt', data: Buffer.alloc(1000, 'a') },
      ],
      { sameData: true },
    );
    expect(assessZipEntries(entriesOf(overlapping), overlapping.length)).toBe('bomb');
  });

  it('refuses ZIP64 and compression methods it cannot check, and calls garbage corrupt', async () => {
    const docx = minimalDocx();
    const zip64 = Buffer.from(docx);
    zip64.writeUInt32LE(0xffffffff, zip64.length - 6); // the directory's offset
    expect(readCentralDirectory(zip64, zip64.length)).toEqual({ ok: false, verdict: 'bomb' });
    const bzip = entriesOf(docx).map((e) => ({ ...e, method: 12 }));
    expect(assessZipEntries(bzip, docx.length)).toBe('bomb');
    expect(readCentralDirectory(Buffer.from('PK\x03\x04 and then nothing'), 23)).toEqual({
      ok: false,
      verdict: 'corrupt',
    });
    const truncated = docx.subarray(0, docx.length - 40);
    expect(await judge(Buffer.from(truncated))).toBe('corrupt');
  });

  it('refuses a directory that does not fit in the bytes kept from the end of the file', () => {
    const docx = minimalDocx();
    const tail = docx.subarray(docx.length - 60);
    expect(readCentralDirectory(tail, docx.length)).toEqual({ ok: false, verdict: 'bomb' });
  });

  it('knows the signatures of archives and compressed streams', () => {
    expect(looksLikeArchive(Buffer.from([0x1f, 0x8b, 8]))).toBe(true);
    expect(looksLikeArchive(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
    expect(looksLikeArchive(Buffer.from('plain words'))).toBe(false);
  });

  it('reads back the names and sizes of any ZIP it is given, and proves honest ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}\.(txt|xml)$/),
            data: fc.uint8Array({ maxLength: 2000 }),
            method: fc.constantFrom(0 as const, 8 as const),
          }),
          { maxLength: 6 },
        ),
        async (specs) => {
          const files = specs.map((s) => ({ ...s, data: Buffer.from(s.data) }));
          const zip = buildZip(files);
          const entries = entriesOf(zip);
          expect(entries.map((e) => [e.name, e.uncompressedSize])).toEqual(
            files.map((f) => [f.name, f.data.length]),
          );
          // Random bytes may by chance start like an archive; otherwise an honest ZIP passes.
          if (files.some((f) => looksLikeArchive(f.data))) return;
          expect(await verifyZipContent(chunks(zip, 97), entries)).toBe('ok');
        },
      ),
      { numRuns: 60 },
    );
  });
});
