import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { parseMonth } from '../../shared/month.js';
import { validateRowEdit, type CellVerdict } from '../../shared/sheets/sheet-edit-validation.js';

const boc = bundledScheme('boc')!;
const today = parseCivilDay('2026-11-29')!;
const verdict = (cells: Record<string, string>) => validateRowEdit({ customerId: 'C1', cells }, boc, today);
const refused = (cells: Record<string, string>) => verdict(cells).cells.filter((c): c is Extract<CellVerdict, { ok: false }> => !c.ok).map((c) => `${c.column}: ${c.zh}`);

describe('cells a manager edits in 客户名单', () => {
  it.each([
    ['手机号码', '13800138000', '13800138000'],
    ['手机号码', '', null], // clearing a field is allowed
    ['家庭电话', '0571-88886666', '0571-88886666'],
    ['风险特征', 'c3', 'C3'],
    ['最近联系日期', '2026/11/28', '2026-11-28'],
    ['最近联系日期', '2026-11-29', '2026-11-29'], // today itself
    ['最近联系方式', '微信', 'wechat'],
    ['最近联系方式', 'phone', 'phone'],
    ['家庭住址', '=HYPERLINK("x")', '=HYPERLINK("x")'], // kept as text, never evaluated
  ])('accepts %s = %j as %j', (column, raw, value) => {
    expect(verdict({ [column]: raw }).cells).toEqual([{ column, ok: true, value }]);
  });

  it.each([
    ['手机号码', '1380013800', '手机号码: 手机号码应为11位数字，以13–19开头'], // 10 digits
    ['手机号码', '12800138000', '手机号码: 手机号码应为11位数字，以13–19开头'], // starts 12
    ['风险特征', 'C6', '风险特征: 风险特征应为C1–C5之一'],
    ['最近联系日期', '2026-11-30', '最近联系日期: 联系日期不能晚于今天'],
    ['最近联系日期', '2026-02-30', '最近联系日期: 日期格式应为YYYY-MM-DD，例如2026-11-28'],
    ['最近联系方式', '飞鸽传书', '最近联系方式: 联系方式应为：电话、短信、微信、上门拜访、沙龙、礼品、约见'],
    ['当前等级', '私人银行客户', '当前等级: 「当前等级」由系统计算或不可编辑，修改未保存'],
    ['家庭住址', '长'.repeat(50_000), '家庭住址: 内容过长（50000字），最多200字'],
  ])('refuses %s = %j in Chinese', (column, raw, expected) => {
    expect(refused({ [column]: raw })).toEqual([expected]);
  });

  it('judges each cell alone: the good ones of a row go through', () => {
    const v = verdict({ 手机号码: '123', 工作单位: '市第一医院' });
    expect(v.cells.map((c) => [c.column, c.ok])).toEqual([
      ['手机号码', false],
      ['工作单位', true],
    ]);
  });

  it('gives the log an English reason for every refusal', () => {
    const [cell] = verdict({ 风险特征: 'X' }).cells;
    expect(cell).toMatchObject({ ok: false, en: 'risk profile must be one of C1–C5' });
  });
});

describe('an override entered in the sheet', () => {
  it('sets the tier by Chinese name or code with a reason and an end month not yet past', () => {
    expect(verdict({ 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' }).override).toEqual({ tier: 'wealth', reason: '总行批准', until: parseMonth('2027-03') });
    expect(verdict({ 指定等级: 'licai', 指定原因: '代发工资客户', 指定截止月: '2026-11' }).override).toMatchObject({ tier: 'licai' }); // this month is not past
  });

  it.each([
    [{ 指定等级: '中银财富管理客户', 指定截止月: '2027-03' }, '指定等级必须填写指定原因'],
    [{ 指定等级: '中银财富管理客户', 指定原因: 'x', 指定截止月: '2026-10' }, '指定截止月2026-10已过，应不早于本月2026-11'],
    [{ 指定等级: '金卡客户', 指定原因: 'x', 指定截止月: '2027-03' }, '指定等级应为：普通客户、中银理财客户、中银财富管理客户、私人银行客户'],
    [{ 指定等级: 'wealth', 指定原因: 'x', 指定截止月: '2027-3' }, '指定截止月格式应为YYYY-MM，例如2027-03'],
  ])('refuses %j, marking every override cell', (cells, zh) => {
    const v = verdict(cells);
    expect(v.override).toBeNull();
    expect(v.cells.every((c) => !c.ok && c.zh === zh)).toBe(true);
    expect(v.cells.map((c) => c.column).sort()).toEqual(Object.keys(cells).sort());
  });

  it('clears the override when 指定等级 is emptied', () => {
    expect(verdict({ 指定等级: '' }).override).toBe('clear');
  });
});
