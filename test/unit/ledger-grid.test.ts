import { describe, expect, it } from 'vitest';
import { customerGridOf } from '../../shared/sheets/ledger-grid.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import { boundLedger, ledgerTab } from '../support/ledger-builder.js';

/**
 * A bound ledger as the nightly planner reads it (ledger-grid.ts): the header row found where the
 * binding says or again by the key's header text when rows were inserted or deleted above it, the
 * table's rows only (not the titles, the subtotals, the totals row, the notes), the tagged columns
 * only, new rows only where the binding and the table allow; and a ledger that cannot be read
 * safely (header or key column gone) blocked rather than guessed at.
 */

const TITLE = '城东支行中高端客户管户台账（2026年11月）';
/** A 序号, B 客户编号, C 客户姓名, D 手机, E 客户等级 — B and D bound */
const HEADER = ['序号', '客户编号', '客户姓名', '手机', '客户等级'];
const TAGS = { B: '客户号', D: '手机号码' };
const row = (n: number, id: string) => [String(n), id, `客户${n}`, `1380000000${n}`, '金卡'];
const at = (headerRow: number, over: Partial<Omit<LedgerBinding, 'version'>> = {}) => ({ headerRow, headerRows: 1, keyHeader: '客户编号', missing: 'list' as const, ...over });

const rowsOf = (grid: ReturnType<typeof customerGridOf>) => grid.grid.rows.map((r) => [r.row, r.cells[1]]);

describe('a bound ledger, as it was bound', () => {
  const tab = boundLedger('台账', [[TITLE], ['制表：王芳'], HEADER, row(1, '100200300'), [], row(2, '100200301'), ['合计', '', '', '', ''], ['注：金融资产为月末数']], at(3), { tags: TAGS, merges: ['A1:G1'] });
  const read = customerGridOf(tab);

  it('reads the header row the binding names, the table rows only (the blank row inside kept, the totals and notes left out)', () => {
    expect(read.grid.headerRow).toBe(3);
    expect(read.grid.header).toEqual(HEADER);
    expect(rowsOf(read)).toEqual([
      [4, '100200300'],
      [5, undefined],
      [6, '100200301'],
    ]);
    expect(read.problems).toEqual([]);
    expect(read.rebind).toBeNull();
    expect(read.blocked).toBe(false);
  });

  it('columns are the tagged ones only, and the width counts the title merged wider than the table (A1:G1 → 7)', () => {
    expect(read.grid.tagsOnly).toBe(true);
    expect([...(read.grid.tags ?? [])]).toEqual([
      [2, '客户号'],
      [4, '手机号码'],
    ]);
    expect(read.grid.width).toBe(7);
  });

  it('the missing-customer mode list: new customers get no row (appendAt null)', () => {
    expect(read.grid.appendAt).toBeNull();
  });
});

describe('where new customers may go', () => {
  const cases: { name: string; why: string; missing: LedgerBinding['missing']; rows: string[][]; expected: number | null }[] = [
    { name: 'list mode, nothing below', why: 'the binding says list: never a row', missing: 'list', rows: [HEADER, row(1, '100200300')], expected: null },
    { name: 'append mode, nothing below', why: 'row 3 is right under the last customer and nothing is below', missing: 'append', rows: [HEADER, row(1, '100200300'), []], expected: 3 },
    { name: 'append mode, a 合计 below', why: 'a row above 合计 would shift the branch’s sums: listed instead', missing: 'append', rows: [HEADER, row(1, '100200300'), ['合计', '', '', '', '']], expected: null },
    { name: 'append mode, a note below', why: 'the note is the branch’s: nothing goes above or over it', missing: 'append', rows: [HEADER, row(1, '100200300'), [], ['注：不含已销户客户']], expected: null },
  ];
  it.each(cases)('$name → $expected', ({ missing, rows, expected }) => {
    expect(customerGridOf(boundLedger('台账', rows, at(1, { missing }), { tags: TAGS })).grid.appendAt).toBe(expected);
  });
});

describe('the header moved or lost', () => {
  it('a row inserted above the header: found again one row down, said, and the binding to store again carries the new row', () => {
    const tab = boundLedger('台账', [[TITLE], ['2026年11月30日'], HEADER, row(1, '100200300')], at(2), { tags: TAGS });
    const read = customerGridOf(tab);
    expect(read.grid.headerRow).toBe(3);
    expect(rowsOf(read)).toEqual([[4, '100200300']]);
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_ROW_MOVED']);
    expect(read.rebind).toEqual({ version: 1, headerRow: 3, headerRows: 1, keyHeader: '客户编号', missing: 'list' });
    expect(read.blocked).toBe(false);
  });

  it('the title row deleted: found again one row up', () => {
    const read = customerGridOf(boundLedger('台账', [HEADER, row(1, '100200300')], at(2), { tags: TAGS }));
    expect(read.grid.headerRow).toBe(1);
    expect(read.rebind?.headerRow).toBe(1);
    expect(rowsOf(read)).toEqual([[2, '100200300']]);
  });

  it('the key header retyped with a bracketed note is the same header (compared normalised): not moved', () => {
    const header = ['序号', '客户编号（必填）', '客户姓名', '手机', '客户等级'];
    const read = customerGridOf(boundLedger('台账', [header, row(1, '100200300')], at(1), { tags: TAGS }));
    expect(read.problems).toEqual([]);
    expect(read.rebind).toBeNull();
  });

  it('the key header renamed where it was (客户编号 → 客户代码): still the header, read as before, the new text stored', () => {
    const header = ['序号', '客户代码', '客户姓名', '手机', '客户等级'];
    const read = customerGridOf(boundLedger('台账', [header, row(1, '100200300')], at(1), { tags: TAGS }));
    expect(read.blocked).toBe(false);
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_RENAMED']);
    expect(read.problems[0]!.message).toContain('由“客户编号”改为“客户代码”');
    expect(read.rebind).toMatchObject({ ...at(1), keyHeader: '客户代码' });
    expect(rowsOf(read)).toEqual([[2, '100200300']]);
  });

  it('renamed where it was in a two-row header (the key merged down over both rows): kept', () => {
    const values = [[TITLE], ['序号', '核心客户号', '客户姓名', '联系方式', ''], ['', '', '', '手机', '住址'], ['1', '100200300', '张伟', '13800000001', '']];
    const read = customerGridOf(boundLedger('台账', values, at(3, { headerRows: 2 }), { tags: { B: '客户号', D: '手机号码' }, merges: ['A1:E1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2'] }));
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_RENAMED']);
    expect(read.rebind?.keyHeader).toBe('核心客户号');
    expect(rowsOf(read)).toEqual([[4, '100200300']]);
  });

  it('renamed and a row inserted above at once: the stored row now holds the title, so the header is lost: blocked, said why', () => {
    const header = ['序号', '客户代码', '客户姓名', '手机', '客户等级'];
    const read = customerGridOf(boundLedger('台账', [[TITLE], header, row(1, '100200300')], at(1), { tags: TAGS }));
    expect(read.blocked).toBe(true);
    expect(read.grid.rows).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_ROW_LOST']);
    expect(read.problems[0]!.message).toContain('客户编号');
  });

  it('the header row deleted: the stored row holds a customer’s number (digits), not a header: lost', () => {
    const read = customerGridOf(boundLedger('台账', [row(1, '100200300'), row(2, '100200301')], at(1), { tags: TAGS }));
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_ROW_LOST']);
  });

  it('the stored row’s key cell says 合计 or a note, or is a title merged across: not taken for a renamed header', () => {
    for (const text of ['合计', '制表：王芳']) {
      const read = customerGridOf(boundLedger('台账', [['1', text], row(1, '100200300')], at(1), { tags: TAGS }));
      expect(read.problems.map((p) => p.code), text).toEqual(['HEADER_ROW_LOST']);
    }
    const titled = customerGridOf(boundLedger('台账', [['', '城东支行中高端客户管户台账'], row(1, '100200300')], at(1), { tags: TAGS, merges: ['B1:E1'] }));
    expect(titled.problems.map((p) => p.code)).toEqual(['HEADER_ROW_LOST']);
  });

  it('the key column’s tag gone (the column was deleted): blocked', () => {
    const read = customerGridOf(boundLedger('台账', [HEADER, row(1, '100200300')], at(1), { tags: { D: '手机号码' } }));
    expect(read.blocked).toBe(true);
    expect(read.grid.rows).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual(['KEY_COLUMN_MISSING']);
  });

  it('a column inserted before the key: the tag moved with it (C now), the header is still found on its row', () => {
    const header = ['序号', '新列', '客户编号', '客户姓名', '手机'];
    const read = customerGridOf(boundLedger('台账', [header, ['1', '', '100200300', '张伟', '13800000001']], at(1), { tags: { C: '客户号', E: '手机号码' } }));
    expect(read.problems).toEqual([]);
    expect(read.grid.rows.map((r) => r.cells[2])).toEqual(['100200300']);
  });
});

describe('two-row headers', () => {
  // case A: 序号, 客户编号, 客户姓名 merged down over rows 2–3; 联系方式 (D2:E2) over 手机 and 住址
  const caseA = [[TITLE], ['序号', '客户编号', '客户姓名', '联系方式', ''], ['', '', '', '手机', '住址'], ['1', '100200300', '张伟', '13800000001', '建设路1号']];
  const caseAMerges = ['A1:E1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2'];
  const caseATags = { B: '客户号', D: '手机号码', E: '家庭住址' };

  it('case A as bound: the key’s text is on row 2, merged down to the header’s last row 3: in place, not moved', () => {
    const read = customerGridOf(boundLedger('台账', caseA, at(3, { headerRows: 2 }), { tags: caseATags, merges: caseAMerges }));
    expect(read.problems).toEqual([]);
    expect(read.rebind).toBeNull();
    expect(read.grid.headerRow).toBe(3);
    expect(rowsOf(read)).toEqual([[4, '100200300']]);
  });

  it('case A with a row inserted above: the header’s last row is now 4 (the key’s merge moved down with it)', () => {
    const moved = [[TITLE], [], ...caseA.slice(1)];
    const merges = ['A1:E1', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:E3'];
    const read = customerGridOf(boundLedger('台账', moved, at(3, { headerRows: 2 }), { tags: caseATags, merges }));
    expect(read.problems.map((p) => p.code)).toEqual(['HEADER_ROW_MOVED']);
    expect(read.grid.headerRow).toBe(4);
    expect(read.rebind).toMatchObject({ headerRow: 4, headerRows: 2 });
    expect(rowsOf(read)).toEqual([[5, '100200300']]);
  });

  it('case B with a row inserted above: the key is on the header’s last row, found one row down', () => {
    const caseB = [[TITLE], [], ['', '', '', '联系方式', ''], ['序号', '客户编号', '客户姓名', '手机', '住址'], ['1', '100200300', '张伟', '13800000001', '建设路1号']];
    const read = customerGridOf(boundLedger('台账', caseB, at(3, { headerRows: 2 }), { tags: caseATags, merges: ['A1:E1', 'D3:E3'] }));
    expect(read.grid.headerRow).toBe(4);
    expect(read.rebind).toMatchObject({ headerRow: 4, headerRows: 2 });
    expect(rowsOf(read)).toEqual([[5, '100200300']]);
  });

  it('a two-row header without merges (the key on the first row, its cell below empty) with a row inserted above: the header’s last row moves from 2 to 3', () => {
    const rows = [['城东支行'], ['序号', '客户编号', '客户姓名', '联系方式', ''], ['', '', '', '手机', '住址'], ['1', '100200300', '张伟', '13800000001', '建设路1号']];
    const read = customerGridOf(boundLedger('台账', rows, at(2, { headerRows: 2 }), { tags: caseATags, merges: ['D2:E2'] }));
    expect(read.grid.headerRow).toBe(3);
    expect(rowsOf(read)).toEqual([[4, '100200300']]);
  });
});

describe('rows that are not customers', () => {
  it('subtotal rows between managers’ customers are left out, the customers after them kept', () => {
    const rows = [HEADER, row(1, '100200300'), ['', '', '王芳 小计', '', ''], row(2, '100200301'), ['', '', '李强 小计', '', ''], ['合计', '2', '', '', '']];
    const read = customerGridOf(boundLedger('台账', rows, at(1), { tags: TAGS }));
    expect(rowsOf(read)).toEqual([
      [2, '100200300'],
      [4, '100200301'],
    ]);
  });

  it('an unbound tab is read as the system’s own layout: header in row 1, every row below', () => {
    const read = customerGridOf(ledgerTab('客户名单', [['客户号', '当前等级'], ['C1', ''], ['C2', '']]));
    expect(read.binding).toBeNull();
    expect(read.grid.headerRow).toBeUndefined();
    expect(read.grid.rows.map((r) => r.row)).toEqual([2, 3]);
  });
});
