/**
 * Streamed table exports (CSV and XLSX) for the staff console. Rows arrive in pages from an async source (a
 * MongoDB cursor) and leave as bytes while the next page is read: nothing holds the whole table. Readable.from
 * pulls the generator only as fast as the client reads, so a slow download slows the cursor, not memory.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

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

/**
 * An Office Open XML workbook with one sheet, written by exceljs's streaming writer: each row is committed (and
 * leaves the row buffer) as the cursor yields it, strings inline (no shared-string table to hold in memory). Text is
 * written as a string cell, never as a formula, so a leading "=" stays text without the CSV's quote. Between pages
 * the writer waits for the reader to take what is buffered, so a slow download slows the cursor, not memory.
 */
export async function* xlsxChunks(
  sheetName: string,
  columns: readonly TableColumn[],
  pages: AsyncIterable<Cell[][]>,
): AsyncGenerator<Buffer> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  let stopped = false;
  const write = async () => {
    sheet.addRow(columns.map((c) => c.header)).commit();
    for await (const rows of pages) {
      if (stopped) return;
      for (const row of rows) sheet.addRow(row).commit();
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    }
    sheet.commit();
    await workbook.commit();
  };
  const writing = write().catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    for await (const chunk of out) yield chunk as Buffer;
    await writing;
  } finally {
    // The client went away (or the source failed): stop reading the cursor.
    stopped = true;
    if (!out.destroyed) out.destroy();
  }
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
