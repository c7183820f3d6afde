import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '@sx/service-kit';

export type SheetRow = Record<string, string>;

const MAX_ROWS = 5_000;

/** Rows of a CSV or the first XLSX worksheet, keyed by lower-cased header. */
export async function readSheet(format: 'csv' | 'xlsx', content: Buffer): Promise<SheetRow[]> {
  const rows = format === 'csv' ? readCsv(content) : await readXlsx(content);
  if (rows.length > MAX_ROWS) throw new AppError('import_too_large', `At most ${MAX_ROWS} rows can be imported at once`, 413);
  return rows;
}

function readCsv(content: Buffer): SheetRow[] {
  try {
    const records = parse(content, { columns: (h: string[]) => h.map(normaliseHeader), skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as SheetRow[];
    return records;
  } catch (e) {
    throw new AppError('import_unreadable', `The CSV file cannot be read: ${(e as Error).message}`, 422);
  }
}

async function readXlsx(content: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('import_unreadable', `The XLSX file cannot be read: ${(e as Error).message}`, 422);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('import_unreadable', 'The XLSX file has no worksheet', 422);
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = normaliseHeader(cellText(cell.value))));
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const record: SheetRow = {};
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (headers[col]) record[headers[col]] = cellText(cell.value).trim();
    });
    if (Object.values(record).some(Boolean)) rows.push(record);
  });
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return String(value.hyperlink);
  }
  return String(value);
}

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, '_');
}
