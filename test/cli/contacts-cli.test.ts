import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `ladder contacts` and `ladder holidays` as a user runs them: the built bin, real files,
 * real exit codes. BOC with the bundled d2 standards on Monday 21 September 2026 (the
 * week ends Sunday 27 September; September has 30 days; 中秋 is Friday 25 September,
 * 国庆 1 October is more than 7 days off). Worked by hand:
 *
 *   monthly contacts (2): ceil(30/2)=15 and 30 September
 *   product SMS (4): ceil(7.5)=8, 15, ceil(22.5)=23, 30 September
 *
 * test/fixtures/contacts-facts.jsonl (day-sums are mda × 31 for July and August):
 *   K-mid  July, August mda 300,000 → mid; licai. The band started in August (June had no
 *          figures): 5 months to December, 1 salon (ceil 2×5/12) due 31 December.
 *          Born 27 September: greeting due Sunday 27 September.
 *   K-up   July 300,000, August 1,200,000 → high from September; wealth. 4 months: 1 salon
 *          (ceil 8/12) and 1 gift (ceil 4/12), both 31 December. No birthday known.
 *   K-low  August 150,000 → no band, nothing owed; base.
 *
 * test/fixtures/contacts-log.jsonl:
 *   K-mid  product SMS 2 and 9 September (9 September logged twice) → SMS 1 and 2 done;
 *          a gift on 18 September logged as a monthly contact (gift is not a contact channel).
 *   K-up   a salon in March (before the band) → not counted; phone and SMS on 17 September
 *          → one contact, the first, late (due 15th); 中秋 greeting by SMS 20 September → done.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/functions/cli/ladder.js');
const fixture = (name: string) => join(root, 'test/fixtures', name);

function ladder(args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function jsonLines(path: string): any[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

function contacts(log: string, date = '2026-09-21') {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-contacts-'));
  const out = join(dir, 'out.jsonl');
  const run = ladder(['contacts', '--scheme', 'boc', '--facts', fixture('contacts-facts.jsonl'), '--contacts', fixture(log), '--date', date, '--out', out]);
  return { ...run, out, rejects: join(dir, 'out.rejects.jsonl') };
}

/** "due label status" (+ " @doneOn"), the way a branch reads an item. */
const brief = (o: any) => `${o.due} ${o.label} ${o.status}${o.doneOn === null ? '' : ` @${o.doneOn}`}`;
/** Items due on the same day may come in either order; compare them sorted. */
const sortedBrief = (items: any[]) => items.map(brief).sort();

describe('ladder contacts with a clean log', () => {
  const run = contacts('contacts-log.jsonl');
  const byId = new Map(jsonLines(run.out).map((l) => [l.customerId, l]));

  it('exits 0, one line per customer, nothing rejected', () => {
    expect(run.code).toBe(0);
    expect([...byId.keys()]).toEqual(['K-mid', 'K-up', 'K-low']);
    expect(readFileSync(run.rejects, 'utf8')).toBe('');
    expect(run.stderr).toContain('read 3 customers, wrote 3, rejected 0; contact log lines rejected 0');
  });

  it('K-mid: mid since August, tier licai; next is the first monthly contact, overdue since 15 September', () => {
    const k = byId.get('K-mid');
    expect(k.date).toBe('2026-09-21');
    expect(k.tier).toBe('licai');
    expect(k.band).toBe('mid');
    expect(k.bandName).toBe('资产20万–100万元客户');
    expect(k.bandSince).toBe('2026-08');
    // the gift on 18 September is not a contact channel, so the first contact is still open
    expect(k.next).toEqual({ kind: 'monthly-contact', kindZh: '月度联络', seq: 1, label: '第1次月度联络', due: '2026-09-15', doneOn: null, status: 'overdue', statusZh: '逾期' });
  });

  it('K-mid: the open list — SMS 3 and the two occasions this week, the rest later', () => {
    const k = byId.get('K-mid');
    expect(sortedBrief(k.open)).toEqual(
      [
        '2026-09-15 第1次月度联络 overdue',
        '2026-09-23 第3次产品短信 this-week',
        '2026-09-25 中秋问候 this-week',
        '2026-09-27 生日祝福 this-week',
        '2026-09-30 第2次月度联络 normal',
        '2026-09-30 第4次产品短信 normal',
        '2026-12-31 第1次理财沙龙 normal',
      ].sort(),
    );
    expect(k.open.map((o: any) => o.due)).toEqual([...k.open.map((o: any) => o.due)].sort());
    const zhongqiu = k.open.find((o: any) => o.label === '中秋问候');
    expect(zhongqiu).toMatchObject({ kind: 'holiday-greeting', kindZh: '节日问候', occasion: 'zhongqiu', statusZh: '本周' });
  });

  it('K-mid: the product SMS of 2 and 9 September are done (the 9th logged twice counts once)', () => {
    expect(byId.get('K-mid').done.map(brief)).toEqual(['2026-09-08 第1次产品短信 done @2026-09-02', '2026-09-15 第2次产品短信 done @2026-09-09']);
  });

  it('K-up: high since September, tier wealth; the late contact and the 中秋 greeting are done; the March salon is not', () => {
    const k = byId.get('K-up');
    expect(k.tier).toBe('wealth');
    expect(k.band).toBe('high');
    expect(k.bandSince).toBe('2026-09');
    expect(k.done.map(brief)).toEqual(['2026-09-15 第1次月度联络 done-late @2026-09-17', '2026-09-25 中秋问候 done @2026-09-20']);
    expect(k.done[0].statusZh).toBe('逾期完成');
    expect(sortedBrief(k.open)).toEqual(
      [
        '2026-09-08 第1次产品短信 overdue',
        '2026-09-15 第2次产品短信 overdue',
        '2026-09-23 第3次产品短信 this-week',
        '2026-09-30 第2次月度联络 normal',
        '2026-09-30 第4次产品短信 normal',
        '2026-12-31 第1次理财沙龙 normal',
        '2026-12-31 第1次礼品 normal',
      ].sort(),
    );
    expect(brief(k.next)).toBe('2026-09-08 第1次产品短信 overdue');
  });

  it('K-low: below 200,000, no band and nothing owed', () => {
    expect(byId.get('K-low')).toEqual({ customerId: 'K-low', date: '2026-09-21', tier: 'base', band: null, bandName: null, bandSince: null, next: null, open: [], done: [] });
  });
});

describe('ladder contacts with bad contact-log lines', () => {
  const run = contacts('contacts-log-bad.jsonl');
  const rejects = jsonLines(run.rejects);
  const rawLines = readFileSync(fixture('contacts-log-bad.jsonl'), 'utf8').split('\n');

  it('exits 1, still writes every customer, and says how many log lines were refused', () => {
    expect(run.code).toBe(1);
    expect(jsonLines(run.out).map((l) => l.customerId)).toEqual(['K-mid', 'K-up', 'K-low']);
    expect(run.stderr).toContain('read 3 customers, wrote 3, rejected 0; contact log lines rejected 2');
  });

  it('names the file, line, customer and reason of each bad line and keeps it raw', () => {
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ file: fixture('contacts-log-bad.jsonl'), line: 2, customerId: 'K-mid', reason: 'date: must be a date as YYYY-MM-DD, got "2026-09-31"', raw: rawLines[1] });
    expect(rejects[1]).toMatchObject({ file: fixture('contacts-log-bad.jsonl'), line: 3, customerId: 'K-up', reason: 'occasion: a holiday greeting must say which holiday', raw: rawLines[2] });
  });

  it('the refused lines count for nothing: K-up’s 中秋 stays open, K-mid keeps the good SMS of 2 September', () => {
    const byId = new Map(jsonLines(run.out).map((l) => [l.customerId, l]));
    expect(byId.get('K-up').open.map(brief)).toContain('2026-09-25 中秋问候 this-week');
    expect(byId.get('K-mid').done.map(brief)).toEqual(['2026-09-08 第1次产品短信 done @2026-09-02']);
    expect(brief(byId.get('K-mid').next)).toBe('2026-09-15 第1次月度联络 overdue');
  });
});

describe('ladder contacts usage errors', () => {
  it('a --date that is no date exits 2 and says so', () => {
    const run = contacts('contacts-log.jsonl', '2026-02-30');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--date must be a date as YYYY-MM-DD, got "2026-02-30"');
  });

  it('without --contacts it exits 2', () => {
    const run = ladder(['contacts', '--scheme', 'boc', '--facts', fixture('contacts-facts.jsonl'), '--date', '2026-09-21']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--contacts is required');
  });
});

describe('ladder holidays', () => {
  it('prints the seven greeting holidays of 2026 in date order', () => {
    const run = ladder(['holidays', '--year', '2026']);
    expect(run.code).toBe(0);
    // 春节 2026 is 17 February; 元宵 is 14 days later, 3 March; 端午 19 June; 中秋 25 September
    expect(JSON.parse(run.stdout)).toEqual([
      { name: '元旦', key: 'yuandan', date: '2026-01-01' },
      { name: '春节', key: 'chunjie', date: '2026-02-17' },
      { name: '元宵', key: 'yuanxiao', date: '2026-03-03' },
      { name: '劳动节', key: 'laodong', date: '2026-05-01' },
      { name: '端午', key: 'duanwu', date: '2026-06-19' },
      { name: '中秋', key: 'zhongqiu', date: '2026-09-25' },
      { name: '国庆', key: 'guoqing', date: '2026-10-01' },
    ]);
  });

  it.each(['26', '2101', '1899', 'abc', '2026.5'])('--year %s exits 2 with the reason', (year) => {
    const run = ladder(['holidays', '--year', year]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--year must be a year between 1900 and 2100, got "${year}"`);
    expect(run.stdout).toBe('');
  });

  it('without --year it exits 2', () => {
    const run = ladder(['holidays']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--year is required');
  });
});
