import { monthOfDay, parseCivilDay, type CivilDay } from '../calendar/civil-date.js';
import { formatMonth, parseMonth, type MonthIndex } from '../month.js';
import type { Scheme } from '../scheme.schema.js';
import { CHANNEL_ZH, RISK_LEVELS, type Channel } from '../service/service-vocabulary.js';
import { EDITABLE_HEADERS } from './branch-layout.js';

/**
 * Checks the cells a branch manager edits in 客户名单 before anything is stored (the
 * sheet-edit path). Each cell is judged on its own: a bad cell is refused with a reason in
 * Chinese for the sheet's note and in English for the log; the good cells of the same row go
 * through. Override columns are judged together (a tier needs a reason and an end month not
 * yet past). Pure: today is passed in.
 */


export type CellVerdict =
  | { column: string; ok: true; value: string | null }
  | { column: string; ok: false; zh: string; en: string };

export interface RowEdit {
  customerId: string;
  /** header → the cell's new text, as the sheet sends it */
  cells: Readonly<Record<string, string>>;
}

export interface RowVerdict {
  customerId: string;
  cells: CellVerdict[];
  /** the override the row sets or clears, when its override cells all passed */
  override: { tier: string; reason: string; until: MonthIndex } | 'clear' | null;
}

const MAX_TEXT = 200;
const MAX_NOTE = 2000;
const CHANNEL_BY_ZH = new Map(Object.entries(CHANNEL_ZH).map(([code, zh]) => [zh, code as Channel]));

export function validateRowEdit(edit: RowEdit, scheme: Scheme, today: CivilDay): RowVerdict {
  const cells: CellVerdict[] = [];
  const todayMonth = monthOfDay(today);
  for (const [column, raw] of Object.entries(edit.cells)) {
    if (column === '指定等级' || column === '指定原因' || column === '指定截止月') continue;
    cells.push(validateCell(column, raw, today));
  }
  const override = validateOverride(edit.cells, scheme, todayMonth, cells);
  return { customerId: edit.customerId, cells, override };
}

/**
 * A 家庭电话 the spreadsheet turned into a number: only digits, 9 to 11 of them, not starting
 * with 0 and not a mobile number (11 digits, 13–19…). A number with its area code always starts
 * with 0 (010-1234567 … 0755-12345678: 10 to 12 digits), so 9–11 digits without the 0 is one that
 * lost it; a local number without area code has 7 or 8 digits and passes, as does anything typed
 * with a space or a hyphen (text, never a number).
 */
export function lostLeadingZero(phone: string): boolean {
  return /^[1-9]\d{8,10}$/.test(phone) && !/^1[3-9]\d{9}$/.test(phone);
}

function validateCell(column: string, raw: string, today: CivilDay): CellVerdict {
  const value = raw.trim();
  const refuse = (zh: string, en: string): CellVerdict => ({ column, ok: false, zh, en });
  if (!(EDITABLE_HEADERS as readonly string[]).includes(column)) return refuse(`「${column}」由系统计算或不可编辑，修改未保存`, `column "${column}" is not editable; the edit was not stored`);
  if (value === '') return { column, ok: true, value: null };
  const limit = column === '联系备注' ? MAX_NOTE : MAX_TEXT;
  if (value.length > limit) return refuse(`内容过长（${value.length}字），最多${limit}字`, `${column}: ${value.length} characters, at most ${limit}`);
  switch (column) {
    case '手机号码':
      return /^1[3-9]\d{9}$/.test(value) ? { column, ok: true, value } : refuse('手机号码应为11位数字，以13–19开头', 'mobile must be 11 digits starting 13–19');
    case '家庭电话':
      if (!/^[0-9][0-9 -]{5,18}[0-9]$/.test(value)) return refuse('家庭电话只能包含数字、空格和连字符', 'home phone must be digits, spaces and hyphens');
      if (lostLeadingZero(value)) {
        return refuse(`家庭电话 ${value} 看起来丢失了开头的 0（表格把它当成了数字）；请把该列设为文本格式后重新输入，如 0${value}`, `home phone ${value} looks like a number with an area code whose leading 0 the spreadsheet dropped`);
      }
      return { column, ok: true, value };
    case '风险特征': {
      const level = value.toUpperCase();
      return (RISK_LEVELS as readonly string[]).includes(level) ? { column, ok: true, value: level } : refuse('风险特征应为C1–C5之一', 'risk profile must be one of C1–C5');
    }
    case '最近联系日期': {
      const day = parseCivilDay(value.replace(/\//g, '-'));
      if (day === null) return refuse('日期格式应为YYYY-MM-DD，例如2026-11-28', 'contact date must be YYYY-MM-DD');
      if (day > today) return refuse('联系日期不能晚于今天', 'contact date is after today');
      return { column, ok: true, value: value.replace(/\//g, '-') };
    }
    case '最近联系方式': {
      const channel = CHANNEL_BY_ZH.get(value) ?? (Object.keys(CHANNEL_ZH).includes(value) ? (value as Channel) : undefined);
      return channel ? { column, ok: true, value: channel } : refuse(`联系方式应为：${[...CHANNEL_BY_ZH.keys()].join('、')}`, `contact channel must be one of ${Object.keys(CHANNEL_ZH).join(', ')}`);
    }
    default:
      return { column, ok: true, value };
  }
}

/** 指定等级 / 指定原因 / 指定截止月 together: all three to set an override, an empty 指定等级 to clear it. */
function validateOverride(cells: Readonly<Record<string, string>>, scheme: Scheme, todayMonth: MonthIndex, verdicts: CellVerdict[]): RowVerdict['override'] {
  const touched = ['指定等级', '指定原因', '指定截止月'].filter((c) => c in cells);
  if (touched.length === 0) return null;
  const tierText = (cells['指定等级'] ?? '').trim();
  const reason = (cells['指定原因'] ?? '').trim();
  const untilText = (cells['指定截止月'] ?? '').trim();
  const refuseAll = (zh: string, en: string) => {
    for (const column of touched) verdicts.push({ column, ok: false, zh, en });
    return null;
  };
  if ('指定等级' in cells && tierText === '') {
    for (const column of touched) verdicts.push({ column, ok: true, value: null });
    return 'clear';
  }
  const tier = scheme.tiers.find((t) => t.code === tierText || t.name.zh === tierText);
  if (!tier) return refuseAll(`指定等级应为：${scheme.tiers.map((t) => t.name.zh).join('、')}`, `override tier "${tierText}" is not a tier of scheme ${scheme.id}`);
  if (reason === '') return refuseAll('指定等级必须填写指定原因', 'an override needs a reason');
  if (reason.length > MAX_TEXT) return refuseAll(`指定原因过长，最多${MAX_TEXT}字`, `override reason longer than ${MAX_TEXT} characters`);
  const until = parseMonth(untilText.replace(/\//g, '-'));
  if (until === null) return refuseAll('指定截止月格式应为YYYY-MM，例如2027-03', 'override end month must be YYYY-MM');
  if (until < todayMonth) return refuseAll(`指定截止月${formatMonth(until)}已过，应不早于本月${formatMonth(todayMonth)}`, `override end month ${formatMonth(until)} is already past`);
  for (const column of touched) verdicts.push({ column, ok: true, value: column === '指定等级' ? tier.code : column === '指定原因' ? reason : formatMonth(until) });
  return { tier: tier.code, reason, until };
}
