import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { validateRowEdit, type CellVerdict } from '../../shared/sheets/sheet-edit-validation.js';

/**
 * A 家庭电话 typed as 02112345678 into a cell formatted as a number arrives as 2112345678: it
 * is refused, in words that say what happened and how to put it right. A number with its area
 * code starts with 0 (10–12 digits); 9–11 digits without that 0 and not a mobile is one that lost it.
 */

const boc = bundledScheme('boc')!;
const today = parseCivilDay('2026-11-29')!;
const homePhone = (value: string) => validateRowEdit({ customerId: 'C1', cells: { 家庭电话: value } }, boc, today).cells[0] as CellVerdict;

describe('a home phone that lost its leading 0', () => {
  it.each([
    // Shanghai 021-12345678 as a number: 10 digits starting 2
    ['2112345678', false],
    // Beijing 010-12345678 without its 0: 10 digits starting 1, not a mobile (a mobile is 11 digits)
    ['1012345678', false],
    // Shenzhen 0755-12345678 → 11 digits starting 7
    ['75512345678', false],
    // Hangzhou 0571-8888666 (7-digit local) → 9 digits
    ['5718888666', false],
    ['571888866', false],
    // kept as typed: with its 0, with a hyphen or a space, a local number alone, a mobile
    ['02112345678', true],
    ['021-12345678', true],
    ['21 12345678', true],
    ['88886666', true],
    ['8888666', true],
    ['13800138000', true],
    // 12 digits without a 0 is no Chinese number either way: left to the general rule (accepted)
    ['755123456789', true],
  ])('%s → accepted: %s', (value, accepted) => {
    expect(homePhone(value).ok).toBe(accepted);
  });

  it('says what happened and what to do, in the manager’s words', () => {
    expect(homePhone('2112345678')).toEqual({
      column: '家庭电话',
      ok: false,
      zh: '家庭电话 2112345678 看起来丢失了开头的 0（表格把它当成了数字）；请把该列设为文本格式后重新输入，如 02112345678',
      en: 'home phone 2112345678 looks like a number with an area code whose leading 0 the spreadsheet dropped',
    });
  });

  it('a 手机号码 of 11 digits starting 1 is not affected', () => {
    const verdict = validateRowEdit({ customerId: 'C1', cells: { 手机号码: '13912345678' } }, boc, today).cells[0];
    expect(verdict).toEqual({ column: '手机号码', ok: true, value: '13912345678' });
  });
});
