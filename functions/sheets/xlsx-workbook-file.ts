import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/**
 * Loading a local workbook with exceljs, whoever saved it last. The .xlsx format writes its
 * true/false attributes as xsd:boolean, which allows `1`/`0` (Excel, WPS, exceljs) and
 * `true`/`false` (LibreOffice). exceljs 4.4 understands only `1`/`0`, so a workbook saved by
 * LibreOffice would read as not protected and with every cell locked — and be written back so.
 * The attributes of sheet protection and of cell protection are therefore put in the `1`/`0`
 * form before exceljs reads them; nothing else in the file is changed.
 *
 * exceljs 4.4 also reads a page setup without a first page number as page 1 and writes
 * `useFirstPageNumber="1"` whenever it has a number, so a sheet whose pages are numbered "Auto"
 * (Excel's default) would come back numbered from 1 by hand. A first page number the sheet does
 * not use is therefore dropped as it is read, and the page setup is written back as it was.
 */

const PARTS = /^xl\/(styles\.xml|worksheets\/[^/]+\.xml)$/;
const PROTECTION_TAGS = /<(sheetProtection|protection)\b[^>]*>/g;

export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await withNumericBooleans(bytes)) as unknown as ArrayBuffer);
  for (const sheet of workbook.worksheets) {
    // exceljs reads useFirstPageNumber into the page setup; its typings leave it out
    const setup = sheet.pageSetup as Partial<ExcelJS.PageSetup> & { useFirstPageNumber?: boolean };
    if (setup.useFirstPageNumber !== true) setup.firstPageNumber = undefined;
  }
  return workbook;
}

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  return loadWorkbook(await readFile(path));
}

/** The same package with `="true"` / `="false"` in protection elements written as `="1"` / `="0"`; the bytes themselves when there is none. */
export async function withNumericBooleans(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  let changed = false;
  for (const name of Object.keys(zip.files).filter((n) => PARTS.test(n))) {
    const text = await zip.file(name)!.async('string');
    const next = text.replace(PROTECTION_TAGS, (tag) => tag.replace(/="(true|false)"/g, (_m, value: string) => (value === 'true' ? '="1"' : '="0"')));
    if (next !== text) {
      zip.file(name, next);
      changed = true;
    }
  }
  return changed ? zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }) : bytes;
}
