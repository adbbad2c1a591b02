import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readIdentity } from '../../functions/sheets/xlsx-workbook-identity.js';

/** `ladder lists --workbooks DIR`: one .xlsx per branch, updated in place on the next run. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(root, 'test/fixtures', name);

function lists(out: string, workbooks: string) {
  return spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), 'lists', '--scheme', 'boc', '--facts', fixture('lists-facts.jsonl'), '--contacts', fixture('lists-contacts.jsonl'), '--date', '2025-06-11', '--out-dir', out, '--workbooks', workbooks], { encoding: 'utf8' });
}

describe('branch workbooks from ladder lists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'workbooks-'));
  const first = lists(join(dir, 'lists'), join(dir, 'wb'));
  let firstId = '';

  it('writes one workbook per branch with the five tabs, its identity in a very hidden sixth, and the snapshot beside it', async () => {
    expect(first.stderr).toMatch(/branch workbooks in .*wb/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'wb', 'B1.xlsx'));
    expect(book.worksheets.filter((w) => w.state === 'visible').map((w) => w.name)).toEqual(['客户名单', '升级名单', '降级预警', '待办', '考核']);
    expect(book.getWorksheet('_ladder')!.state).toBe('veryHidden');
    const identity = readIdentity(book)!;
    expect(identity.branchId).toBe('B1');
    const snapshot = JSON.parse(readFileSync(join(dir, 'wb', '.ladder', 'B1.xlsx.json'), 'utf8'));
    expect(snapshot.workbookId).toBe(identity.workbookId);
    firstId = identity.workbookId;
  });

  it('fills L-up1’s computed cells: licai for June, May’s 850,000.00 a day, 150,000.00 short of wealth', async () => {
    // April 25,500,000 / 30 and May 26,350,000 / 31 are both 850,000 a day: licai, effective June;
    // wealth needs 1,000,000 a day, so the gap is 150,000.00.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'wb', 'B1.xlsx'));
    const sheet = book.getWorksheet('客户名单')!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const col = (name: string) => header.indexOf(name);
    let row: ExcelJS.Row | undefined;
    sheet.eachRow((r) => {
      if (String(r.getCell(col('客户号')).value) === 'L-up1') row = r;
    });
    expect(row).toBeDefined();
    const cell = (name: string) => String(row!.getCell(col(name)).value ?? '');
    expect(cell('当前等级')).toBe('中银理财客户');
    expect(cell('月日均资产')).toBe('850000.00');
    expect(cell('下一等级')).toBe('中银财富管理客户');
    expect(cell('距下一等级差额')).toBe('150000.00');
  });

  it('writes no cell on a second run with the same figures, and the workbook keeps its id', async () => {
    const again = lists(join(dir, 'lists2'), join(dir, 'wb'));
    expect(again.stderr).toContain('(0 cells written)');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'wb', 'B1.xlsx'));
    expect(readIdentity(book)!.workbookId).toBe(firstId);
  });
});
