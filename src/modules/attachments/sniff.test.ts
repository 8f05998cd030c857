import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContentProbe, HEAD_BYTES } from './probe.js';
import {
  checkType,
  claimedType,
  DOCX,
  extensionOf,
  FILE_TYPES,
  identify,
  isAccepted,
  isPlainText,
  KNOWN_TYPES,
  ODT,
  safeFilename,
  sniffMagic,
  TextCheck,
  XLSX,
  zipKind,
  type FileType,
} from './sniff.js';
import {
  buildZip,
  jpegHead,
  minimalDocx,
  minimalOdt,
  minimalPdf,
  minimalPng,
  windowsProgram,
} from './test/files.js';
import { readCentralDirectory } from './zip.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** Sniffs a whole file the way the upload pipeline does. */
function sniffWhole(file: Buffer): FileType | undefined {
  const probe = new ContentProbe();
  probe.push(file);
  const result = probe.finish();
  const directory =
    sniffMagic(result.head) === 'application/zip'
      ? readCentralDirectory(result.tail, result.size)
      : undefined;
  return identify({
    head: result.head,
    textual: result.textual,
    zipEntries: directory?.ok ? directory.entries : undefined,
  });
}

const SIGNATURES: [FileType, Buffer][] = [
  ['application/pdf', bytes('%PDF-1.7\n')],
  ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff])],
  ['image/gif', bytes('GIF89a')],
  ['image/gif', bytes('GIF87a')],
  ['application/zip', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
];

describe('sniffing a file’s type from its content', () => {
  it('recognises real PDF, PNG, JPEG, Word and OpenDocument files', () => {
    expect(sniffWhole(minimalPdf())).toBe('application/pdf');
    expect(sniffWhole(minimalPng())).toBe('image/png');
    expect(sniffWhole(jpegHead())).toBe('image/jpeg');
    expect(sniffWhole(minimalDocx())).toBe(DOCX);
    expect(sniffWhole(minimalOdt())).toBe(ODT);
  });

  it('recognises WebP and HEIC by their container headers', () => {
    const webp = Buffer.concat([bytes('RIFF'), Buffer.alloc(4), bytes('WEBPVP8 ')]);
    expect(sniffMagic(webp)).toBe('image/webp');
    const box = Buffer.alloc(24);
    box.writeUInt32BE(24, 0);
    box.write('ftypheic', 4, 'latin1');
    box.write('mif1heic', 16, 'latin1');
    expect(sniffMagic(box)).toBe('image/heic');
    const compatible = Buffer.from(box);
    compatible.write('mif1', 8, 'latin1');
    expect(sniffMagic(compatible)).toBe('image/heic');
    const avif = Buffer.from(box);
    avif.write('avif', 8, 'latin1');
    avif.write('mif1avif', 16, 'latin1');
    expect(sniffMagic(avif)).toBeUndefined();
  });

  it('tells a spreadsheet from a Word document and from a plain ZIP by the paths inside', () => {
    const xlsx = buildZip([
      { name: '[Content_Types].xml', data: bytes('<Types/>') },
      { name: 'xl/workbook.xml', data: bytes('<workbook/>') },
    ]);
    expect(sniffWhole(xlsx)).toBe(XLSX);
    expect(sniffWhole(buildZip([{ name: 'photo.txt', data: bytes('hello') }]))).toBe(
      'application/zip',
    );
    // The paths alone are not enough without the content types part.
    expect(zipKind([{ name: 'word/document.xml' }], Buffer.alloc(0))).toBe('application/zip');
  });

  it('takes UTF-8 without NULs as plain text, and nothing with a NUL or broken UTF-8', () => {
    expect(sniffWhole(Buffer.from('Dear council,\nmy band is wrong. Diolch — ŵ ŷ\n'))).toBe(
      'text/plain',
    );
    expect(sniffWhole(Buffer.from('<html><script>alert(1)</script></html>'))).toBe('text/plain');
    expect(sniffWhole(Buffer.from('text\0with a NUL'))).toBeUndefined();
    expect(sniffWhole(Buffer.from([0x61, 0xc3]))).toBeUndefined(); // cut mid-character
    expect(sniffWhole(windowsProgram())).toBeUndefined();
  });

  it('does not take a PDF signature that is not at the very start', () => {
    expect(sniffMagic(bytes('<html>%PDF-1.4'))).toBeUndefined();
  });
});

describe('checking a file’s name and type against a question', () => {
  const imagesAndPdfs: string[] = [];

  it('accepts a file whose name agrees with its content, or has no extension', () => {
    expect(checkType('letter.pdf', 'application/pdf', imagesAndPdfs)).toEqual({
      ok: true,
      type: 'application/pdf',
    });
    expect(checkType('IMG_0001.JPEG', 'image/jpeg', imagesAndPdfs).ok).toBe(true);
    expect(checkType('scan', 'image/png', imagesAndPdfs).ok).toBe(true);
    expect(checkType('scan.v2', 'image/png', imagesAndPdfs).ok).toBe(true);
  });

  it('calls a name that claims another type a mismatch, before asking whether the type is taken', () => {
    expect(checkType('letter.pdf', 'text/plain', imagesAndPdfs)).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    expect(checkType('photo.png', undefined, imagesAndPdfs)).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    expect(checkType('invoice.exe', 'image/png', imagesAndPdfs)).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    expect(checkType('page.html', 'text/plain', ['text/plain'])).toEqual({
      ok: false,
      problem: 'mismatch',
    });
  });

  it('refuses types the question does not take, and content it does not recognise', () => {
    expect(checkType('notes.txt', 'text/plain', imagesAndPdfs)).toEqual({
      ok: false,
      problem: 'wrong-type',
    });
    expect(checkType('setup', undefined, ['application/pdf'])).toEqual({
      ok: false,
      problem: 'wrong-type',
    });
    expect(checkType('band.docx', DOCX, ['application/pdf', '.docx']).ok).toBe(true);
  });

  it('reads accept lists of types, families and extensions; empty means images and PDFs', () => {
    expect(isAccepted('image/webp', ['image/*'])).toBe(true);
    expect(isAccepted('application/pdf', ['image/*'])).toBe(false);
    expect(isAccepted(XLSX, ['.xlsx'])).toBe(true);
    expect(isAccepted('image/heic', [])).toBe(true);
    expect(isAccepted('text/plain', [])).toBe(false);
    expect(isAccepted('application/zip', [])).toBe(false);
  });

  it('keeps only a safe base name, with an extension of the real type', () => {
    expect(safeFilename('C:\\scans\\"rates".pdf', 'application/pdf')).toBe('rates.pdf');
    expect(safeFilename('../../etc/passwd', 'text/plain')).toBe('passwd.txt');
    expect(safeFilename('Llythyr\u0000 treth.PDF', 'application/pdf')).toBe('Llythyr treth.pdf');
    expect(safeFilename('', 'image/png')).toBe('file.png');
    expect(safeFilename('scan.v2', 'image/png')).toBe('scan.v2.png');
    expect(safeFilename(`${'a'.repeat(300)}.jpg`, 'image/jpeg')).toHaveLength(184);
  });

  it('reads extensions and the types they claim', () => {
    expect(extensionOf('Letter.PDF')).toBe('pdf');
    expect(extensionOf('.bashrc')).toBeUndefined();
    expect(extensionOf('archive.tar.gz')).toBe('gz');
    expect(claimedType('x.exe')).toBe('application/x-msdownload');
    expect(claimedType('x.jfif')).toBe('image/jpeg');
    expect(claimedType('x.unknown')).toBeUndefined();
  });
});

describe('properties of sniffing', () => {
  it('never throws, and answers a known type or nothing, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (head, textual) => {
        const type = identify({ head, textual });
        expect(type === undefined || KNOWN_TYPES.includes(type)).toBe(true);
      }),
    );
  });

  it('gives the signature’s type to any bytes that follow a signature', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SIGNATURES),
        fc.uint8Array({ maxLength: 300 }),
        ([type, signature], rest) => {
          expect(sniffMagic(Buffer.concat([signature, rest]))).toBe(type);
        },
      ),
    );
  });

  it('takes any string without a NUL as text, however it is split, and none with a NUL', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (text, cuts, withNul) => {
          const clean = text.replaceAll('\0', '');
          const data = Buffer.from(withNul ? `${clean}\0` : clean, 'utf8');
          const check = new TextCheck();
          let at = 0;
          for (const cut of [...cuts.map((c) => c % (data.length + 1))].sort((a, b) => a - b)) {
            check.push(data.subarray(at, cut));
            at = cut;
          }
          check.push(data.subarray(at));
          expect(check.finish()).toBe(!withNul);
          expect(isPlainText(data)).toBe(!withNul);
        },
      ),
    );
  });

  it('probes a file the same whichever way it is split into chunks', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: HEAD_BYTES * 2 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (file, cuts) => {
          const whole = new ContentProbe(1000);
          whole.push(file);
          const chunked = new ContentProbe(1000);
          let at = 0;
          for (const cut of cuts.map((c) => c % (file.length + 1)).sort((a, b) => a - b)) {
            chunked.push(file.subarray(at, cut));
            at = cut;
          }
          chunked.push(file.subarray(at));
          const a = whole.finish();
          const b = chunked.finish();
          expect(b).toEqual(a);
          expect(a.head).toEqual(file.subarray(0, HEAD_BYTES));
          expect(a.tail).toEqual(file.subarray(Math.max(0, file.length - 1000)));
        },
      ),
    );
  });

  it('calls a name a mismatch exactly when its extension claims a type other than the content', () => {
    const extensions = [...Object.values(FILE_TYPES).flat(), 'exe', 'html', 'svg', 'weird', ''];
    fc.assert(
      fc.property(
        fc.constantFrom(...extensions),
        fc.constantFrom(...KNOWN_TYPES, undefined),
        (extension, type) => {
          const name = extension ? `file.${extension}` : 'file';
          const result = checkType(name, type, KNOWN_TYPES);
          const claimed = claimedType(name);
          const mismatch = claimed !== undefined && claimed !== type;
          expect(!result.ok && result.problem === 'mismatch').toBe(mismatch);
          if (!mismatch) expect(result.ok).toBe(type !== undefined);
        },
      ),
    );
  });

  it('always makes a safe name ending in an extension of the type', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(...KNOWN_TYPES), (name, type) => {
        const safe = safeFilename(name, type);
        expect(safe).not.toMatch(/[\\/\p{Cc}"<>|:*?]/u);
        expect(safe.length).toBeLessThanOrEqual(200);
        expect((FILE_TYPES[type] as readonly string[]).includes(extensionOf(safe) ?? '')).toBe(
          true,
        );
      }),
    );
  });
});
