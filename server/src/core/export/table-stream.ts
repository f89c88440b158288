/**
 * Streamed table exports (CSV and XLSX) for the staff console. Rows arrive in pages from an async source (a
 * MongoDB cursor) and leave as bytes while the next page is read: nothing holds the whole table. Readable.from
 * pulls the generator only as fast as the client reads, so a slow download slows the cursor, not memory.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type Cell = string | number | null;
export interface TableColumn {
  /** The header people read (Chinese). */
  header: string;
}

const CRLF = '\r\n';

/** One CSV field: quoted when needed; a leading =, +, - or @ on text is defused so a spreadsheet never runs it as a formula. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV (RFC 4180, CRLF) with a UTF-8 BOM so Excel opens the Chinese headers as UTF-8. */
export async function* csvChunks(columns: readonly TableColumn[], pages: AsyncIterable<Cell[][]>): AsyncGenerator<Buffer> {
  yield Buffer.from(`\uFEFF${columns.map((c) => csvField(c.header)).join(',')}${CRLF}`, 'utf8');
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    yield Buffer.from(rows.map((r) => r.map(csvField).join(',')).join(CRLF) + CRLF, 'utf8');
  }
}

const xmlEscape = (s: string) =>
  // Characters XML 1.0 forbids are dropped; the five special ones escaped.
  s
    // eslint-disable-next-line no-control-regex -- the control characters XML forbids are exactly what this removes
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function sheetRow(r: number, cells: readonly Cell[]): string {
  const parts = cells.map((v, i) => {
    const ref = `${columnName(i)}${r}`;
    if (v === null) return '';
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
  });
  return `<row r="${r}">${parts.join('')}</row>`;
}

/** A ZIP archive written front to back: each entry deflated as it streams, its sizes in a data descriptor after it. */
class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  private track(b: Buffer): Buffer {
    this.offset += b.length;
    return b;
  }

  /** The entry's bytes: local header, deflated data (as `body` yields), data descriptor. */
  async *entry(name: string, body: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
    const nameBytes = Buffer.from(name, 'utf8');
    const start = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(0x00210000, 10); // DOS time/date: 1980-01-01 00:00
    header.writeUInt16LE(nameBytes.length, 26);
    yield this.track(Buffer.concat([header, nameBytes]));

    const deflate = zlib.createDeflateRaw({ level: 6 });
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const drain = () => {
      const chunk = Buffer.concat(out.splice(0));
      compressed += chunk.length;
      return this.track(chunk);
    };
    for await (const b of body) {
      crc = zlib.crc32(b, crc);
      size += b.length;
      deflate.write(b);
      await new Promise<void>((resolve) => deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
      if (out.length > 0) yield drain();
    }
    await new Promise<void>((resolve) => deflate.end(() => resolve()));
    await new Promise<void>((resolve) => (deflate.readableEnded ? resolve() : deflate.once('end', () => resolve())));
    if (out.length > 0) yield drain();

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    yield this.track(descriptor);

    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0808, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(0x00210000, 12);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(compressed, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(nameBytes.length, 28);
    cd.writeUInt32LE(start, 42);
    this.central.push(Buffer.concat([cd, nameBytes]));
    this.count += 1;
  }

  /** The central directory and its end record. */
  end(): Buffer {
    const dir = Buffer.concat(this.central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.count, 8);
    eocd.writeUInt16LE(this.count, 10);
    eocd.writeUInt32LE(dir.length, 12);
    eocd.writeUInt32LE(this.offset, 16);
    return this.track(Buffer.concat([dir, eocd]));
  }
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const STATIC_PARTS: readonly [string, string][] = [
  [
    '[Content_Types].xml',
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  ],
  [
    '_rels/.rels',
    `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  ],
];

/**
 * An Office Open XML workbook with one sheet, written as a stream: inline strings (no shared-string table to
 * hold in memory), the sheet deflated page by page.
 */
export async function* xlsxChunks(
  sheetName: string,
  columns: readonly TableColumn[],
  pages: AsyncIterable<Cell[][]>,
): AsyncGenerator<Buffer> {
  const zip = new ZipWriter();
  for (const [name, xml] of STATIC_PARTS) yield* zip.entry(name, [Buffer.from(xml, 'utf8')]);
  const workbook = `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEscape(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  yield* zip.entry('xl/workbook.xml', [Buffer.from(workbook, 'utf8')]);
  async function* sheet(): AsyncGenerator<Buffer> {
    yield Buffer.from(
      `${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRow(
        1,
        columns.map((c) => c.header),
      )}`,
      'utf8',
    );
    let r = 1;
    for await (const rows of pages) {
      if (rows.length === 0) continue;
      yield Buffer.from(rows.map((row) => sheetRow(++r, row)).join(''), 'utf8');
    }
    yield Buffer.from('</sheetData></worksheet>', 'utf8');
  }
  yield* zip.entry('xl/worksheets/sheet1.xml', sheet());
  yield zip.end();
}

export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The export as a Node stream of the chosen format, for `ctx.body`. */
export function tableStream(
  format: 'csv' | 'xlsx',
  sheetName: string,
  columns: readonly TableColumn[],
  pages: AsyncIterable<Cell[][]>,
): Readable {
  return Readable.from(format === 'csv' ? csvChunks(columns, pages) : xlsxChunks(sheetName, columns, pages), { objectMode: false });
}

/** Content-Disposition for a Chinese file name (RFC 6266 / 5987), with an ASCII fallback. */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
