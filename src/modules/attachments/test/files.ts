import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

/**
 * Small real files for the attachments tests, built here so nothing binary is checked in:
 * a one-page PDF, a 1×1 PNG, ZIPs and Word documents, and zip bombs of several kinds.
 */

/** A valid one-page PDF with a correct cross-reference table. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1×1 red PNG. */
export function minimalPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JPEG (SOI and a JFIF APP0 segment): enough to be sniffed as one. */
export function jpegHead(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  ]);
}

/** The first bytes of a Windows program. */
export function windowsProgram(): Buffer {
  const program = Buffer.alloc(512);
  program.write('MZ', 0, 'latin1');
  program.write('This program cannot be run in DOS mode.', 78, 'latin1');
  program.write('PE\0\0', 128, 'latin1');
  return program;
}

export interface ZipSpec {
  name: string;
  data: Buffer;
  /** 8 (deflate, the default) or 0 (stored). */
  method?: 0 | 8;
  /** What the central directory says it inflates to, when it should lie. */
  claimedSize?: number;
}

/**
 * A ZIP built by hand: local headers, data, central directory, end record. `sameData` makes
 * every central directory entry after the first point at the first entry's bytes (an
 * overlapping, "non-recursive" bomb).
 */
export function buildZip(specs: ZipSpec[], options: { sameData?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let firstOffset = 0;
  specs.forEach((spec, index) => {
    const method = spec.method ?? 8;
    const compressed = method === 8 ? deflateRawSync(spec.data) : spec.data;
    const name = Buffer.from(spec.name, 'utf8');
    const crc = crc32(spec.data);
    const size = spec.claimedSize ?? spec.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const here = options.sameData && index > 0 ? firstOffset : offset;
    if (index === 0) firstOffset = offset;
    if (!(options.sameData && index > 0)) {
      locals.push(local, name, compressed);
      offset += 30 + name.length + compressed.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(here, 42);
    centrals.push(central, name);
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal Word document: the three parts Word needs, zipped. */
export function minimalDocx(): Buffer {
  return buildZip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    {
      name: 'word/document.xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>My council tax band is wrong.</w:t></w:r></w:p></w:body></w:document>',
      ),
    },
  ]);
}

/** A minimal OpenDocument text: `mimetype` first and stored, as the standard says. */
export function minimalOdt(): Buffer {
  return buildZip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), method: 0 },
    { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
    { name: 'META-INF/manifest.xml', data: Buffer.from('<manifest:manifest/>') },
  ]);
}

/** An honest zip bomb: 20 MB of zeros, deflated to about 20 KB (it says so: ratio ≈ 1000). */
export function zipBomb(): Buffer {
  return buildZip([{ name: 'zeros.txt', data: Buffer.alloc(20 * 1024 * 1024) }]);
}

/** A lying zip bomb: its directory claims 1 KB, the data inflates to 20 MB. */
export function lyingZipBomb(): Buffer {
  return buildZip([{ name: 'notes.txt', data: Buffer.alloc(20 * 1024 * 1024), claimedSize: 1024 }]);
}

/** A ZIP with another ZIP inside, under a harmless name. */
export function nestedZip(): Buffer {
  return buildZip([
    { name: 'readme.txt', data: Buffer.from('hello') },
    { name: 'data.bin', data: buildZip([{ name: 'inner.txt', data: Buffer.from('inner') }]) },
  ]);
}
