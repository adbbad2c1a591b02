import type { Firestore } from '@google-cloud/firestore';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ADOPT_OPTIONS, adoptCommand, adoptOptionsOf, AdoptUsageError, parseMapping, report, type AdoptValues } from '../../functions/cli/adopt-command.js';
import type { AdoptionOutcome } from '../../functions/sheets/ledger-adoption.js';
import { proposeBinding } from '../../shared/sheets/ledger-detect.js';
import { planAdoption } from '../../shared/sheets/ledger-preview.js';
import { ledgerTab, proposalOf, summaryOf, workbookOf } from '../support/ledger-builder.js';

/**
 * The options of `ladder adopt` (functions/cli/adopt-command.ts) as an operator types them: the
 * argv through ADOPT_OPTIONS as ladder.ts parses it, each value checked by adoptOptionsOf /
 * parseMapping (a bad one is a usage error naming the flag and what was given), what each option
 * then changes in the proposal (shared/sheets/ledger-detect.ts), and --json against the text
 * report. Every message below is the code's wording, written out by hand.
 */

const dir = mkdtempSync(join(tmpdir(), 'adopt-options-'));
/** a synonyms file in the scratch folder, with the text given */
function synonymsFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, 'utf8');
  return path;
}
const argv = (args: string[]) => parseArgs({ args, options: ADOPT_OPTIONS, strict: true, allowPositionals: true });

/** the default words: 7 key words, then 6 + 6 + 5 + 4 + 5 + 3 + 5 + 3 + 3 editable ones and 指定等级 / 指定原因 / 指定截止月, all distinct once normalised */
const DEFAULT_WORDS = 7 + 6 + 6 + 5 + 4 + 5 + 3 + 5 + 3 + 3 + 3;

describe('the argv of ladder adopt (ADOPT_OPTIONS, as ladder.ts parses it)', () => {
  it('reads every option: --map as often as given, --dry-run and --json as switches, the file as the positional', () => {
    const { values, positionals } = argv(['台账.xlsx', '--branch', 'B01', '--tab', '11月台账', '--header-row', '4', '--map', '核心客户号=客户号', '--map', 'G=手机号码', '--map', '备注=-', '--missing', 'append', '--synonyms', 'words.json', '--dry-run', '--json']);
    expect(positionals).toEqual(['台账.xlsx']);
    expect({ ...values }).toEqual({ branch: 'B01', tab: '11月台账', 'header-row': '4', map: ['核心客户号=客户号', 'G=手机号码', '备注=-'], missing: 'append', synonyms: 'words.json', 'dry-run': true, json: true });
  });

  it('leaves out what is not given: no --dry-run means undefined (adoptCommand reads it as false: the adoption is done)', () => {
    const { values } = argv(['台账.xlsx', '--branch', 'B01']);
    expect({ ...values }).toEqual({ branch: 'B01' });
  });

  const refused: { name: string; args: string[]; code: string }[] = [
    { name: 'a value given to the --dry-run switch', args: ['--dry-run=yes'], code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' },
    { name: '--header-row with no value after it', args: ['--header-row'], code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' },
    { name: 'an option adopt does not have', args: ['--sheet', '11月台账'], code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} (${c.code}: ladder prints the usage and exits 2)`, () => {
      let error: unknown = null;
      try {
        argv(['台账.xlsx', '--branch', 'B01', ...c.args]);
      } catch (e) {
        error = e;
      }
      expect((error as { code?: string } | null)?.code).toBe(c.code);
    });
  }
});

describe('adoptOptionsOf: the values that are accepted, and what they become', () => {
  it('with no options: the default words only, nothing chosen', async () => {
    const options = await adoptOptionsOf({ branch: 'B01' });
    expect(Object.keys(options)).toEqual(['synonyms']);
    expect(options.synonyms.size).toBe(DEFAULT_WORDS);
    expect(options.synonyms.get('手机')).toBe('手机号码');
    expect(options.synonyms.get('移动电话号码')).toBeUndefined();
  });

  const cases: { name: string; values: AdoptValues; expected: Record<string, unknown> }[] = [
    { name: '--tab as typed', values: { tab: '11月台账' }, expected: { tab: '11月台账' } },
    { name: '--header-row 4', values: { 'header-row': '4' }, expected: { headerRow: 4 } },
    { name: '--header-row 1 (the lowest row there is)', values: { 'header-row': '1' }, expected: { headerRow: 1 } },
    { name: '--missing list', values: { missing: 'list' }, expected: { missing: 'list' } },
    { name: '--missing append', values: { missing: 'append' }, expected: { missing: 'append' } },
    {
      name: 'several --map, by header word and by letter, to a layout column, to a computed one, to the branch’s own',
      values: { map: ['联系电话=手机号码', 'D=客户号', '客户等级=当前等级', '电话=-', '备注=', ' 单位 = 工作单位 '] },
      expected: {
        map: [
          { theirs: '联系电话', layout: '手机号码' },
          { theirs: 'D', layout: '客户号' },
          { theirs: '客户等级', layout: '当前等级' },
          // '-' and nothing after '=' both keep the column the branch's own
          { theirs: '电话', layout: null },
          { theirs: '备注', layout: null },
          // spaces around either side are not part of the names
          { theirs: '单位', layout: '工作单位' },
        ],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { synonyms: _words, ...chosen } = await adoptOptionsOf(c.values);
      expect(chosen).toEqual(c.expected);
    });
  }

  it('--synonyms FILE adds the bank’s words to the default ones (compared normalised: CIF号 is cif号)', async () => {
    const file = synonymsFile('bank.json', JSON.stringify({ 手机号码: ['移动电话号码'], 客户号: ['CIF号'] }));
    const { synonyms } = await adoptOptionsOf({ synonyms: file });
    expect(synonyms.size).toBe(DEFAULT_WORDS + 2);
    expect(synonyms.get('移动电话号码')).toBe('手机号码');
    expect(synonyms.get('cif号')).toBe('客户号');
    // the default words are still there
    expect(synonyms.get('客户编号')).toBe('客户号');
  });

  it('--synonyms: a bank word that is a default word of the same column with a note (手机（必填）) is no clash and no new word', async () => {
    const file = synonymsFile('same.json', JSON.stringify({ 手机号码: ['手机（必填）'] }));
    const { synonyms } = await adoptOptionsOf({ synonyms: file });
    expect(synonyms.size).toBe(DEFAULT_WORDS);
  });
});

describe('adoptOptionsOf: bad values are usage errors naming the flag and what was given', () => {
  const EDITABLE = '家庭住址、工作单位、手机号码、家庭电话、风险特征、产品偏好、最近联系日期、最近联系方式、联系备注、指定等级、指定原因、指定截止月';
  const cases: { name: string; values: () => AdoptValues; message: string | RegExp }[] = [
    { name: 'a header row of 0', values: () => ({ 'header-row': '0' }), message: '--header-row must be a row number (1 or more), got "0"' },
    { name: 'a header row that is not a number', values: () => ({ 'header-row': 'x' }), message: '--header-row must be a row number (1 or more), got "x"' },
    { name: 'a header row between two rows', values: () => ({ 'header-row': '2.5' }), message: '--header-row must be a row number (1 or more), got "2.5"' },
    { name: 'a header row in hexadecimal', values: () => ({ 'header-row': '0x4' }), message: '--header-row must be a row number (1 or more), got "0x4"' },
    { name: 'a header row with spaces around it', values: () => ({ 'header-row': ' 4 ' }), message: '--header-row must be a row number (1 or more), got " 4 "' },
    { name: 'a header row in exponent form', values: () => ({ 'header-row': '4e0' }), message: '--header-row must be a row number (1 or more), got "4e0"' },
    { name: 'a negative header row', values: () => ({ 'header-row': '-3' }), message: '--header-row must be a row number (1 or more), got "-3"' },
    { name: 'an empty header row', values: () => ({ 'header-row': '' }), message: '--header-row must be a row number (1 or more), got ""' },
    { name: '--missing other than list or append', values: () => ({ missing: 'add' }), message: '--missing must be list or append, got "add"' },
    { name: 'a --map without =', values: () => ({ map: ['联系电话'] }), message: `--map must be THEIRS=LAYOUT (e.g. '联系电话=手机号码', or '备注=-' for a column of the branch's own), got "联系电话"` },
    { name: 'a --map with nothing before =', values: () => ({ map: ['=手机号码'] }), message: `--map must be THEIRS=LAYOUT (e.g. '联系电话=手机号码', or '备注=-' for a column of the branch's own), got "=手机号码"` },
    { name: 'one bad --map among good ones', values: () => ({ map: ['联系电话=手机号码', '手机号码'] }), message: `--map must be THEIRS=LAYOUT (e.g. '联系电话=手机号码', or '备注=-' for a column of the branch's own), got "手机号码"` },
    {
      name: 'a synonyms file that is not there',
      values: () => ({ synonyms: join(dir, 'none.json') }),
      message: `--synonyms ${join(dir, 'none.json')}: ENOENT: no such file or directory, open '${join(dir, 'none.json')}'`,
    },
    // the JSON parser's own words follow the file name
    { name: 'a synonyms file that is not JSON', values: () => ({ synonyms: synonymsFile('comma.json', '{"手机号码": ["移动电话号码"],}') }), message: new RegExp(`^--synonyms ${join(dir, 'comma.json')}: .*JSON`) },
    {
      name: 'a synonyms file naming a computed column',
      values: () => ({ synonyms: synonymsFile('computed.json', JSON.stringify({ 当前等级: ['等级'] })) }),
      message: `--synonyms ${join(dir, 'computed.json')}: synonyms: 当前等级: must be the key (客户号) or an editable column (${EDITABLE})`,
    },
    {
      name: 'a synonyms file giving a word that already names another column (座机 is 家庭电话’s)',
      values: () => ({ synonyms: synonymsFile('twice.json', JSON.stringify({ 手机号码: ['座机'] })) }),
      message: `--synonyms ${join(dir, 'twice.json')}: synonyms: “座机” would name both 家庭电话 and 手机号码`,
    },
    {
      name: 'a synonyms file making a mobile word the key',
      values: () => ({ synonyms: synonymsFile('key.json', JSON.stringify({ 客户号: ['手机'] })) }),
      message: `--synonyms ${join(dir, 'key.json')}: synonyms: “手机” would name both 手机号码 and 客户号`,
    },
    {
      name: 'a synonyms file with a word instead of a list',
      values: () => ({ synonyms: synonymsFile('string.json', JSON.stringify({ 手机号码: '移动电话号码' })) }),
      message: `--synonyms ${join(dir, 'string.json')}: synonyms: 手机号码: Invalid input: expected array, received string`,
    },
    {
      name: 'a synonyms file with an empty word',
      values: () => ({ synonyms: synonymsFile('empty.json', JSON.stringify({ 手机号码: [''] })) }),
      message: `--synonyms ${join(dir, 'empty.json')}: synonyms: 手机号码[0]: Too small: expected string to have >=1 characters`,
    },
    {
      name: 'a synonyms file that is a list, not an object',
      values: () => ({ synonyms: synonymsFile('list.json', JSON.stringify(['移动电话号码'])) }),
      message: `--synonyms ${join(dir, 'list.json')}: synonyms: (top): Invalid input: expected record, received array`,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const values = c.values();
      await expect(adoptOptionsOf(values)).rejects.toThrow(AdoptUsageError);
      const error = await adoptOptionsOf(values).catch((e: Error) => e);
      if (typeof c.message === 'string') expect((error as Error).message).toBe(c.message);
      else expect((error as Error).message).toMatch(c.message);
    });
  }

  it('parseMapping refuses text without = by itself too', () => {
    expect(() => parseMapping('客户等级')).toThrow(AdoptUsageError);
    expect(parseMapping('D=客户号')).toEqual({ theirs: 'D', layout: '客户号' });
  });
});

/** 10月台账 and 11月台账, both with a header row of ledger words: which one is the ledger is the operator's to say */
const TWO_MONTHS = workbookOf(
  ledgerTab('10月台账', [['城东支行管户台账（2026年10月）'], ['序号', '客户编号', '客户姓名', '移动电话号码', '联系电话'], ['1', '0031000001', '张一', '13800000001', '']], { merges: ['A1:E1'] }),
  ledgerTab('11月台账', [['城东支行管户台账（2026年11月）'], ['序号', '客户编号', '客户姓名', '移动电话号码', '联系电话'], ['1', '0031000001', '张一', '13800000001', ''], ['2', '0031000002', '李二', '13900000002', '13700000002']], { merges: ['A1:E1'] }),
);
const proposed = async (args: string[]) => proposeBinding(TWO_MONTHS, await adoptOptionsOf(argv(['台账.xlsx', '--branch', 'B01', ...args]).values));

describe('what each option changes in the proposal', () => {
  it('without --tab, two tabs with a header row are ambiguous', async () => {
    expect(summaryOf(await proposed([]))).toEqual({ problems: ['AMBIGUOUS_TAB'] });
  });

  it('--tab chooses the tab; the header is its row 2 under the title; 联系电话 is the default word for 手机号码, 移动电话号码 is no word of the defaults', async () => {
    expect(summaryOf(await proposed(['--tab', '11月台账']))).toEqual({ tab: '11月台账', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', E: '手机号码' }, notes: [] });
  });

  it('--synonyms with 移动电话号码 for 手机号码: D and E both look like 手机号码, so neither is bound (AMBIGUOUS_FIELD)', async () => {
    const file = synonymsFile('mobile.json', JSON.stringify({ 手机号码: ['移动电话号码'] }));
    expect(summaryOf(await proposed(['--tab', '11月台账', '--synonyms', file]))).toEqual({ tab: '11月台账', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号' }, notes: ['AMBIGUOUS_FIELD', 'NOTHING_ELSE_BOUND'] });
  });

  it('--map settles it, by header word (联系电话=-) or by letter (D=手机号码)', async () => {
    const file = synonymsFile('mobile-2.json', JSON.stringify({ 手机号码: ['移动电话号码'] }));
    const byWord = await proposed(['--tab', '11月台账', '--synonyms', file, '--map', '联系电话=-']);
    expect(summaryOf(byWord)).toMatchObject({ bound: { B: '客户号', D: '手机号码' }, notes: [] });
    expect(proposalOf(byWord).columns[3]).toMatchObject({ letter: 'D', header: '移动电话号码', role: 'editable', field: '手机号码', by: 'synonym' });
    const byLetter = await proposed(['--tab', '11月台账', '--map', 'D=手机号码', '--map', 'E=-']);
    expect(proposalOf(byLetter).columns[3]).toMatchObject({ letter: 'D', role: 'editable', field: '手机号码', by: 'map' });
    expect(proposalOf(byLetter).columns[4]).toMatchObject({ letter: 'E', role: 'own', field: null, by: null });
  });

  it('--header-row 2 is the header found; --header-row 3 (a customer’s row) has no key', async () => {
    expect(summaryOf(await proposed(['--tab', '11月台账', '--header-row', '2']))).toMatchObject({ headerRow: 2 });
    const wrong = await proposed(['--tab', '11月台账', '--header-row', '3']);
    expect(wrong).toEqual({ ok: false, problems: [{ code: 'HEADER_ROW_WITHOUT_KEY', zh: '工作表“11月台账”第 3 行没有客户号列（如 客户编号）；请检查表头行，或用 --map 指定客户号列', en: 'row 3 of tab "11月台账" has no key column; check the header row or name the key with --map' }] });
  });

  it('--tab naming no tab: TAB_NOT_FOUND, with the tabs there are', async () => {
    expect(await proposed(['--tab', '12月台账'])).toEqual({ ok: false, problems: [{ code: 'TAB_NOT_FOUND', zh: '找不到名为“12月台账”的工作表（现有：10月台账、11月台账）', en: 'no tab named "12月台账" (tabs: 10月台账, 11月台账)' }] });
  });

  // parseMapping takes any name after '=': whether it is a layout column is the proposal's to say
  it('--map to a field the layout does not have: accepted as text, refused by the proposal (MAP_FIELD_UNKNOWN)', async () => {
    expect(parseMapping('联系电话=电话号码')).toEqual({ theirs: '联系电话', layout: '电话号码' });
    expect(await proposed(['--tab', '11月台账', '--map', '联系电话=电话号码'])).toEqual({ ok: false, problems: [{ code: 'MAP_FIELD_UNKNOWN', zh: '--map 的“电话号码”不是系统的列名', en: '--map: "电话号码" is not a layout column' }] });
  });

  it('--map naming a header the tab lacks, and two columns mapped to one field', async () => {
    expect(await proposed(['--tab', '11月台账', '--map', '电话=手机号码'])).toEqual({ ok: false, problems: [{ code: 'MAP_COLUMN_NOT_FOUND', zh: '--map 指定的“电话”不是第 2 行的表头，也不是列号', en: '--map names "电话", which is neither a header of row 2 nor a column letter' }] });
    expect(await proposed(['--tab', '11月台账', '--map', 'D=手机号码', '--map', 'E=手机号码'])).toEqual({ ok: false, problems: [{ code: 'MAP_FIELD_TWICE', zh: '--map 把 D、E 列都指定为“手机号码”', en: '--map binds columns D, E to "手机号码"' }] });
  });
});

describe('--json against the text report', () => {
  const printed = (outcome: AdoptionOutcome, json: boolean) => {
    const out: string[] = [];
    report(outcome, null, json, (t) => out.push(t));
    return out;
  };
  const notFound: AdoptionOutcome = { ok: false, problems: [{ code: 'TAB_NOT_FOUND', zh: '找不到名为“12月台账”的工作表（现有：10月台账、11月台账）', en: 'no tab named "12月台账" (tabs: 10月台账, 11月台账)' }] };

  it('a refusal: one JSON line with the problems, or the reasons in words', () => {
    expect(printed(notFound, true)).toEqual([`${JSON.stringify({ ok: false, problems: notFound.problems })}\n`]);
    expect(printed(notFound, false)).toEqual(['无法连接台账 (no binding):\n', '  ✗ 找不到名为“12月台账”的工作表（现有：10月台账、11月台账）\n']);
  });

  it('a preview: one JSON object (ok, the preview, applied null), or the lines of the preview', async () => {
    const result = await proposed(['--tab', '11月台账']);
    const proposal = proposalOf(result);
    // both customers are B01's; the store holds no archive for either, so row 4's 联系电话 (E, bound to 手机号码) is the one cell to send
    const plan = planAdoption(TWO_MONTHS, proposal, { branchId: 'B01', archives: new Map([['0031000001', {}], ['0031000002', {}]]), owners: new Map([['0031000001', 'B01'], ['0031000002', 'B01']]) });
    const outcome: AdoptionOutcome = { ok: true, proposal, plan };
    const json = printed(outcome, true);
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ ok: true, tab: '11月台账', headerRow: 2, keyColumn: 'B', matched: 2, unmatched: [], archive: { rows: 1, cells: 1, same: 0 }, applied: null });
    const text = printed(outcome, false);
    expect(text[0]).toBe('工作表“11月台账”：表头在第 2 行，标题行 1；客户号列 B\n');
    expect(text).toContain('  E 联系电话 → 档案（读入） 手机号码\n');
    expect(text.join('')).not.toContain('{');
  });
});

describe('adoptCommand refuses bad usage before it reads anything', () => {
  // a stand-in store that fails the test if it is touched: these refusals come before any read
  const untouchable = new Proxy({}, { get: () => { throw new Error('the store was used'); } }) as Firestore;
  const cases: { name: string; file: string; values: AdoptValues; message: string }[] = [
    { name: 'no --branch', file: '台账.xlsx', values: { 'dry-run': true }, message: '--branch is required (the branch whose ledger this is)' },
    { name: 'a file and --spreadsheet', file: '台账.xlsx', values: { branch: 'B01', spreadsheet: 'abc' }, message: 'adopt either FILE.xlsx or --spreadsheet ID (a Google spreadsheet id), not both' },
    { name: 'a bad --header-row', file: '台账.xlsx', values: { branch: 'B01', 'header-row': '0', 'dry-run': true, json: true }, message: '--header-row must be a row number (1 or more), got "0"' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const out: string[] = [];
      const error = await adoptCommand(untouchable, c.file, c.values, {}, (t) => out.push(t), (t) => out.push(t)).catch((e: Error) => e);
      expect(error).toBeInstanceOf(AdoptUsageError);
      expect((error as Error).message).toBe(c.message);
      expect(out).toEqual([]);
    });
  }
});
