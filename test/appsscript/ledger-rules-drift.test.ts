import { describe, expect, it } from 'vitest';
import { KEY_HEADER } from '../../shared/sheets/branch-layout.js';
import { bindingFromText, LEDGER_BINDING_VERSION, type LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import { customerGridOf, HEADER_RESEARCH_ROWS } from '../../shared/sheets/ledger-grid.js';
import { normalizeLedgerHeader } from '../../shared/sheets/ledger-synonyms.js';
import { isNoteRow, isTotalsRow } from '../../shared/sheets/ledger-table.js';
import type { CellSpan } from '../../shared/sheets/sheet-snapshot.js';
import { BINDING_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import { boundLedger, spanOf } from '../support/ledger-builder.js';
import { loadAppsScript } from './support/apps-script-vm.js';
import { LEDGER_BINDING } from './support/adopted-ledger.js';

/**
 * The Apps Script copies of the server's ledger rules (appsscript/src/ledger-header.ts,
 * ledger-table.ts) against the originals in shared/: the same constants, the same answers on the
 * same texts and the same grids — hand-drawn ledgers and a few thousand generated ones. Were one
 * side changed alone, the sheet would send rows the nightly run does not read as customers (or
 * miss rows it does), and this fails.
 */

const script = loadAppsScript();
const fn = <T>(name: string) => script.value(name) as T;
/** values across the vm boundary: compared as plain data */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('the constants', () => {
  it('are shared/’s: the binding key and version, and how far down a moved header is looked for', () => {
    expect(script.value('BINDING_METADATA_KEY')).toBe(BINDING_METADATA_KEY);
    expect(script.value('LEDGER_BINDING_VERSION')).toBe(LEDGER_BINDING_VERSION);
    expect(script.value('HEADER_RESEARCH_ROWS')).toBe(HEADER_RESEARCH_ROWS);
  });

  it('the test ledger’s binding is one the server reads', () => {
    expect(bindingFromText(JSON.stringify(LEDGER_BINDING))).toEqual(LEDGER_BINDING);
  });
});

describe('the texts', () => {
  const headers = ['客户编号', ' 客 户 号 ', '客户号　', '手机号码(必填)', '手机号码（必填）', '*客户编号', '＊客户编号：', '金融资产（万元）', 'ＡＢＣ１２', 'Customer ID', '联系电话【选填】*', '合计', '合 计', '共计', '累计', '合计数', '王芳小计', '城东支行合计', '本页合计', '', '（备注）'];
  it('normalizeLedgerHeader gives the same text', () => {
    const copy = fn<(t: string) => string>('normalizeLedgerHeader');
    for (const text of headers) expect(copy(text), text).toBe(normalizeLedgerHeader(text));
  });

  const rows: { cells: string[]; key: number }[] = [
    { cells: ['合计', '3', '', ''], key: 2 },
    { cells: ['', '合计', '', ''], key: 2 },
    { cells: ['', '100200300', '合计', ''], key: 2 },
    { cells: ['', '', '合计', ''], key: 2 },
    { cells: ['王芳小计', '', '', ''], key: 2 },
    { cells: ['共计', '', '', ''], key: 2 },
    { cells: ['', '', '累计', ''], key: 2 },
    { cells: ['一个很长很长很长很长的名字小计', '', ''], key: 2 },
    { cells: ['总 计', '12', ''], key: 3 },
    { cells: ['注：手机为本人号码', '', ''], key: 2 },
    { cells: ['', '注：以上为月末数', ''], key: 2 },
    { cells: ['制表：王芳', '', '审核：李娜'], key: 2 },
    { cells: ['说明', '100200300', ''], key: 2 },
    { cells: ['备注：无', '', ''], key: 1 },
    { cells: ['备注', '', ''], key: 2 },
    { cells: ['单位：万元', '', ''], key: 2 },
    { cells: ['1', '100200300', '张伟'], key: 2 },
    { cells: [], key: 1 },
  ];
  it('isTotalsRow and isNoteRow answer the same', () => {
    const totals = fn<(c: string[], k: number) => boolean>('isLedgerTotalsRow');
    const note = fn<(c: string[], k: number) => boolean>('isLedgerNoteRow');
    for (const r of rows) {
      expect(totals(r.cells, r.key), `totals ${JSON.stringify(r)}`).toBe(isTotalsRow(r.cells, r.key));
      expect(note(r.cells, r.key), `note ${JSON.stringify(r)}`).toBe(isNoteRow(r.cells, r.key));
    }
  });

  const good = { version: 1, headerRow: 4, headerRows: 2, keyHeader: '客户编号', missing: 'list' };
  const texts = [
    JSON.stringify(good),
    JSON.stringify({ ...good, missing: 'append' }),
    JSON.stringify({ ...good, version: 2 }),
    JSON.stringify({ ...good, headerRow: 0 }),
    JSON.stringify({ ...good, headerRow: 1000 }),
    JSON.stringify({ ...good, headerRow: 1001 }),
    JSON.stringify({ ...good, headerRow: 3.5 }),
    JSON.stringify({ ...good, headerRow: '4' }),
    JSON.stringify({ ...good, headerRows: 5 }),
    JSON.stringify({ ...good, headerRows: 6 }),
    JSON.stringify({ ...good, keyHeader: '' }),
    JSON.stringify({ ...good, keyHeader: '客'.repeat(200) }),
    JSON.stringify({ ...good, keyHeader: '客'.repeat(201) }),
    JSON.stringify({ ...good, missing: 'skip' }),
    JSON.stringify({ ...good, extra: true }),
    JSON.stringify({ version: 1, headerRow: 4, headerRows: 2, keyHeader: '客户编号' }),
    '[]',
    'null',
    '"binding"',
    '{"version":1,',
    '',
  ];
  it('a stored binding is read, or refused, alike', () => {
    const copy = fn<(t: string) => unknown>('ledgerBindingFromText');
    for (const text of texts) expect(plain(copy(text)), text).toEqual(plain(bindingFromText(text)));
  });
});

interface Grid {
  name: string;
  rows: string[][];
  merges: CellSpan[];
  binding: LedgerBinding;
  keyColumn: number;
}

/** what each side makes of a grid: the header row, the key's header text now and the rows that may be customers', or null (header not found) */
function serverRead(g: Grid): { headerRow: number; keyHeader: string; rows: number[] } | null {
  const letter = String.fromCharCode(64 + g.keyColumn);
  const tab = boundLedger('台账', g.rows, g.binding, { tags: { [letter]: KEY_HEADER } });
  const read = customerGridOf({ ...tab, merges: g.merges });
  return read.blocked ? null : { headerRow: read.grid.headerRow!, keyHeader: read.rebind?.keyHeader ?? g.binding.keyHeader, rows: read.grid.rows.map((r) => r.row) };
}
const scriptRead = (g: Grid) => plain(fn<(v: string[][], m: CellSpan[], b: LedgerBinding, k: number) => unknown>('ledgerCustomerRows')(g.rows, g.merges, g.binding, g.keyColumn));

const bind = (headerRow: number, headerRows = 1, keyHeader = '客户编号'): LedgerBinding => ({ version: 1, headerRow, headerRows, keyHeader, missing: 'list' });

describe('the grids', () => {
  const drawn: Grid[] = [
    {
      name: 'the Apps Script tests’ ledger (title, two-row header, 合计, note)',
      rows: [['城东支行管户台账（2026年11月）'], ['序号', '客户编号', '客户姓名', '联系方式', '', '当前等级'], ['', '', '', '手机', '家庭地址', '', '当前等级'], ['1', '100200300', '张伟', '13800000001', '市中心路1号', '金卡'], ['2', '100200301', '李娜', '13800000002', '', '银卡'], ['3', '100200302', '王强', '13800000003', '', ''], ['合计', '3'], ['注：手机为客户本人号码']],
      merges: ['A1:F1', 'A2:A3', 'B2:B3', 'C2:C3', 'F2:F3', 'D2:E2', 'A8:F8'].map(spanOf),
      binding: bind(3, 2),
      keyColumn: 2,
    },
    {
      name: 'the same with a row inserted above the title',
      rows: [[], ['城东支行管户台账（2026年11月）'], ['序号', '客户编号', '客户姓名', '联系方式', '', '当前等级'], ['', '', '', '手机', '家庭地址', ''], ['1', '100200300', '张伟', '13800000001', '', ''], ['合计', '1']],
      merges: ['A2:F2', 'A3:A4', 'B3:B4', 'C3:C4', 'F3:F4', 'D3:E3'].map(spanOf),
      binding: bind(3, 2),
      keyColumn: 2,
    },
    {
      name: 'groups above the names (the key on the lower row)',
      rows: [['台账'], ['基本信息', '', '联系方式', ''], ['客户编号', '姓名', '手机', '地址'], ['100200300', '张伟', '138', ''], ['王芳小计', '', '', ''], ['100200301', '李娜', '', ''], ['客户编号', '姓名', '手机', '地址'], ['100200302', '王强', '', ''], ['总计', '', '', ''], ['制表：王芳']],
      merges: ['A2:B2', 'C2:D2'].map(spanOf),
      binding: bind(3, 2),
      keyColumn: 1,
    },
    {
      name: 'groups on the key’s row, names under them, the key not merged down',
      rows: [['客户编号', '联系方式', '', '备注'], ['', '手机', '地址', ''], ['100200300', '138', '', ''], ['', '', '', ''], ['100200301', '', '', '']],
      merges: ['B1:C1'].map(spanOf),
      binding: bind(2, 2),
      keyColumn: 1,
    },
    {
      name: 'groups on the key’s row, and the row under it fills more than the groups (a note of its own, so not the header’s second row)',
      rows: [['客户编号', '联系方式', '', '备注'], ['', '手机', '地址', '老客户'], ['100200300', '138', '', '']],
      merges: ['B1:C1'].map(spanOf),
      binding: bind(1, 2),
      keyColumn: 1,
    },
    {
      name: 'the header renamed where it was (kept, with the new text)',
      rows: [['客户代码', '手机'], ['100200300', '138']],
      merges: [],
      binding: bind(1),
      keyColumn: 1,
    },
    {
      name: 'the header renamed and a row inserted above (lost)',
      rows: [['城东支行'], ['客户代码', '手机'], ['100200300', '138']],
      merges: [],
      binding: bind(1),
      keyColumn: 1,
    },
    {
      name: 'the header row deleted: a customer’s row where it was (lost)',
      rows: [['100200300', '138'], ['100200301', '139']],
      merges: [],
      binding: bind(1),
      keyColumn: 1,
    },
    {
      name: 'the key header written differently (客户编号(必填), full-width space)',
      rows: [['标题'], ['客户编号(必填)　', '手机'], ['100200300', '138'], ['注：完']],
      merges: [],
      binding: bind(1, 1, '客户编号'),
      keyColumn: 1,
    },
  ];
  for (const g of drawn) {
    it(`${g.name}: the same header row and rows`, () => {
      expect(scriptRead(g)).toEqual(serverRead(g));
    });
  }

  it('on 3,000 generated ledgers (titles, one- and two-row headers, moved headers, subtotals, repeated headers, totals, notes, blanks), the same header row and rows', () => {
    const random = mulberry32(20261203);
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const g = generatedLedger(random, i);
      const server = serverRead(g);
      expect(scriptRead(g), g.name).toEqual(server);
      if (server !== null && server.rows.length > 0) found++;
    }
    // the generator must mostly make readable ledgers, or the comparison proves little
    expect(found).toBeGreaterThan(2000);
  });
});

/** a small deterministic PRNG (mulberry32), so a failure names a case that can be run again */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedLedger(random: () => number, n: number): Grid {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const width = 3 + Math.floor(random() * 4);
  const keyColumn = 1 + Math.floor(random() * Math.min(3, width));
  const keyHeader = pick(['客户编号', '客户号', '客户代码']);
  const empty = () => Array.from({ length: width }, () => '');
  const rows: string[][] = [];
  const merges: CellSpan[] = [];
  const titles = Math.floor(random() * 3);
  for (let t = 0; t < titles; t++) {
    const line = empty();
    line[0] = pick(['城东支行管户台账', '制表：王芳', '2026年11月', '单位：元']);
    rows.push(line);
    if (random() < 0.5) merges.push({ fromRow: rows.length, toRow: rows.length, fromColumn: 1, toColumn: width });
  }
  const shape = pick(['one', 'merged-down', 'groups-above', 'groups-on-key-row'] as const);
  const names = Array.from({ length: width }, (_, c) => (c + 1 === keyColumn ? keyHeader : pick(['手机', '姓名', '地址', '当前等级', '备注', '序号'])));
  const groupFrom = keyColumn === width ? 1 : keyColumn + 1;
  const groupTo = keyColumn === width ? keyColumn - 1 : width;
  let headerRows = 1;
  if (shape === 'one') rows.push(names);
  else if (shape === 'merged-down') {
    const top = empty();
    const bottom = empty();
    names.forEach((name, c) => (c + 1 >= groupFrom && c + 1 <= groupTo && groupTo > groupFrom ? (bottom[c] = name) : (top[c] = name)));
    if (groupTo > groupFrom) top[groupFrom - 1] = '联系方式';
    rows.push(top, bottom);
    const r = rows.length - 1;
    for (let c = 1; c <= width; c++) if (!(c >= groupFrom && c <= groupTo && groupTo > groupFrom)) merges.push({ fromRow: r, toRow: r + 1, fromColumn: c, toColumn: c });
    if (groupTo > groupFrom) merges.push({ fromRow: r, toRow: r, fromColumn: groupFrom, toColumn: groupTo });
    headerRows = 2;
  } else if (shape === 'groups-above') {
    const top = empty();
    if (groupTo > groupFrom) top[groupFrom - 1] = '联系方式';
    rows.push(top, names);
    if (groupTo > groupFrom) merges.push({ fromRow: rows.length - 1, toRow: rows.length - 1, fromColumn: groupFrom, toColumn: groupTo });
    headerRows = 2;
  } else {
    const top = empty();
    const bottom = empty();
    top[keyColumn - 1] = keyHeader;
    if (groupTo > groupFrom) top[groupFrom - 1] = '联系方式';
    for (let c = groupFrom; c <= groupTo; c++) bottom[c - 1] = names[c - 1]!;
    // sometimes the row under holds more than the groups' names: then it is not the header's
    const outside = Array.from({ length: width }, (_, c) => c + 1).filter((c) => c !== keyColumn && (c < groupFrom || c > groupTo));
    if (outside.length > 0 && random() < 0.3) bottom[pick(outside) - 1] = '老客户';
    rows.push(top, bottom);
    if (groupTo > groupFrom) merges.push({ fromRow: rows.length - 1, toRow: rows.length - 1, fromColumn: groupFrom, toColumn: groupTo });
    headerRows = 2;
  }
  const headerRow = rows.length;
  const body = 1 + Math.floor(random() * 12);
  let id = 100200300;
  for (let b = 0; b < body; b++) {
    const line = empty();
    const kind = random();
    if (kind < 0.6) {
      line[keyColumn - 1] = String(id++);
      line[(keyColumn % width) + 0] = pick(['张伟', '13800000001', '', '合计', '注：老客户']);
    } else if (kind < 0.68) line[0] = pick(['王芳小计', '小计', '本页合计', '共计', '累计']);
    else if (kind < 0.74) names.forEach((name, c) => (line[c] = name));
    else if (kind < 0.8) line[0] = pick(['注：以上为月末数', '说明：无']);
    else if (kind < 0.88) line[Math.floor(random() * width)] = pick(['待补', '138', '']);
    rows.push(line);
  }
  if (random() < 0.6) {
    const totals = empty();
    totals[0] = '合计';
    if (keyColumn > 1) totals[keyColumn - 1] = String(body);
    rows.push(totals);
  }
  if (random() < 0.5) rows.push([pick(['注：手机为本人号码', '制表：王芳', '数据截至2026-11-30'])]);
  // rows inserted (or deleted) above since the binding was stored: the binding names a stale row
  const stale = random() < 0.4 ? headerRow + pick([-2, -1, 1, 2, 3]) : headerRow;
  // the key's header retyped since the binding was stored (the binding names the old text)
  const boundKey = random() < 0.2 ? pick(['客户编号', '客户号', '客户代码', '核心客户号'].filter((k) => k !== keyHeader)) : keyHeader;
  return { name: `generated #${n} (${shape}, key ${keyColumn}, header ${headerRow}, binding says ${stale}${boundKey === keyHeader ? '' : ` and ${boundKey}`})`, rows, merges, binding: bind(Math.max(1, stale), headerRows, boundKey), keyColumn };
}
