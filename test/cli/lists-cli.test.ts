import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `ladder lists` on test/fixtures/lists-facts.jsonl and lists-contacts.jsonl, BOC with the
 * d2 standards, on Wednesday 2025-06-11 (June: D = 30, d = 11, r = 19; the week ends Sunday
 * 15 June; June's tier is the May assessment's). Every figure below is worked by hand.
 *
 * The customers (mda = monthly daily average; day-sums in the fixture are mda × days):
 *   line 1  L-up4    B2  base, Apr–May mda 170,000, June S 1,870,000, today 170,000, [DEP]
 *   line 2  L-up1    B1  licai, Apr–May 850,000, June S 9,900,000, today 900,000, 3 kinds,
 *                        born 1985-03-02 (40), M-01 理财经理, WMP 300,000 maturing 2025-07-01
 *   line 3  L-up3    B2  licai, Apr–May 900,000, June S 9,900,000, today 900,000, [DEP, LCCARD],
 *                        born 1972-01-10 (53), M-02 个金科负责人 (wrong role for 200k–1m)
 *   line 4  L-up2    B1  the same figures as L-up4
 *   line 5  L-far    B1  licai, Apr–May 790,000 (21% short of wealth), no manager, employer ""
 *   line 6  L-bad        month "2025-13" → rejected
 *   line 7  L-watch3 B1  licai met Feb, mda 100,000 Mar–May (3 below), June S 1,100,000, today 100,000
 *   line 8  L-watch5 B2  wealth met Dec 2024, mda 300,000 Jan–May (5 below), June S 3,300,000, today 300,000
 *   line 9  L-new    B1  mda 100,000 Apr → 250,000 May (base → licai); month-end 900,000 → 600,000;
 *                        born 1990-06-15, M-04 柜员
 *   line 10 L-greeted B2 licai, 400,000, born 1988-06-13, greeted by phone on 10 June (contacts)
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/functions/cli/ladder.js');
const fixture = (name: string) => join(root, 'test/fixtures', name);

function lists(outDir: string) {
  const run = spawnSync(
    process.execPath,
    [bin, 'lists', '--scheme', 'boc', '--facts', fixture('lists-facts.jsonl'), '--contacts', fixture('lists-contacts.jsonl'), '--date', '2025-06-11', '--out-dir', outDir],
    { cwd: root, encoding: 'utf8' },
  );
  return { code: run.status, stderr: run.stderr };
}

function jsonLines(path: string): any[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

const dir = mkdtempSync(join(tmpdir(), 'ladder-lists-'));
const first = lists(dir);
const out = (name: string) => join(dir, name);

describe('ladder lists', () => {
  it('writes every list and exits 1 because one facts line was rejected', () => {
    for (const name of ['promotion.jsonl', 'watch.jsonl', 'tasks.jsonl', 'owners.jsonl', 'archive.jsonl', 'branch-coverage.json', 'rejects.jsonl']) {
      expect(existsSync(out(name)), name).toBe(true);
    }
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('read 10 customers, rejected 1');
    expect(first.stderr).toContain('4 promotion candidates, 2 on watch, 5 tasks, 2 owner mismatches');
  });

  it('rejects the bad line with its line number, customer and reason', () => {
    const rejects = jsonLines(out('rejects.jsonl'));
    expect(rejects.map((r) => [r.line, r.customerId, r.reason])).toEqual([[6, 'L-bad', 'months[0].month: must be a month as YYYY-MM between 1900-01 and 2100-12, got "2025-13"']]);
  });

  it('ranks the promotion list by score, then gap, then id', () => {
    // L-up1: room floor(40 × 8500 / 10000) = 34 + 3 kinds 12 + age 40 floor(20 × 25 / 30) = 16 + maturity 20 = 82
    // L-up3: room (bp 1000) 36 + 2 kinds 8 + age 53 floor(20 × 12 / 30) = 8 = 52
    // L-up2, L-up4: room (base → licai, 30,000 short of 200,000 = bp 1500) 34 + 1 kind 4 + unknown age 10 = 48; same gap → by id
    // L-far: 210,000 / 1,000,000 = 21% > 20% → not listed
    const rows = jsonLines(out('promotion.jsonl'));
    expect(rows.map((r) => [r.rank, r.customerId, r.tier, r.nextTier, r.score, r.shortfallPercent])).toEqual([
      [1, 'L-up1', 'licai', 'wealth', 82, '15.00'],
      [2, 'L-up3', 'licai', 'wealth', 52, '10.00'],
      [3, 'L-up2', 'base', 'licai', 48, '15.00'],
      [4, 'L-up4', 'base', 'licai', 48, '15.00'],
    ]);
  });

  it('explains the top candidate and gives the June top-up', () => {
    // need ceil((1,000,000 × 30 − 9,900,000) / 19) = ceil(2,010,000,000 fen / 19) = 105,789,474 fen; today 900,000
    const [top] = jsonLines(out('promotion.jsonl'));
    expect(top).toEqual({
      rank: 1,
      customerId: 'L-up1',
      branchId: 'B1',
      managerId: 'M-01',
      tier: 'licai',
      nextTier: 'wealth',
      shortfallPercent: '15.00',
      gap: [{ metric: 'mda', value: '850000.00', min: '1000000.00', shortfall: '150000.00' }],
      balanceNeeded: '1057894.74',
      topUpToday: '157894.74',
      // next month from its first day: 1,000,000 − 900,000 held
      topUpForNextPeriod: '100000.00',
      topUpPath: 0, // wealth has a single path, the daily-average one
      score: 82,
      points: { room: 34, products: 12, age: 16, maturity: 20 },
      reasons: ['差额为标准的15.00%', '持有3类产品', '40岁', 'WMP于2025-07-01到期（300000.00元）'],
    });
  });

  it('gives a base candidate the top-up toward licai: ceil((6,000,000 − 1,870,000) / 19) = 217,368.43, less 170,000 held', () => {
    // 413,000,000 fen / 19 = 21,736,842.1… → 21,736,843 fen
    const row = jsonLines(out('promotion.jsonl')).find((r) => r.customerId === 'L-up4');
    expect([row.balanceNeeded, row.topUpToday, row.gap]).toEqual(['217368.43', '47368.43', [{ metric: 'mda', value: '170000.00', min: '200000.00', shortfall: '30000.00' }]]);
  });

  it('ranks the watch list: 1 assessment left before 3, with what keeps the tier', () => {
    // L-watch5 wealth: ceil((30,000,000 − 3,300,000) / 19) = 1,405,263.16, less 300,000 held
    // L-watch3 licai: ceil((6,000,000 − 1,100,000) / 19) = 257,894.74, less 100,000 held
    expect(jsonLines(out('watch.jsonl'))).toEqual([
      { rank: 1, customerId: 'L-watch5', branchId: 'B2', managerId: 'M-05', tier: 'wealth', belowCount: 5, remaining: 1, keepPath: 0, balanceNeeded: '1405263.16', topUpToday: '1105263.16' },
      { rank: 2, customerId: 'L-watch3', branchId: 'B1', managerId: 'M-03', tier: 'licai', belowCount: 3, remaining: 3, keepPath: 0, balanceNeeded: '257894.74', topUpToday: '157894.74' },
    ]);
  });

  it('lists the tasks with owners and due dates; L-greeted’s birthday is not listed (greeted on 10 June)', () => {
    // L-up1: WMP matures 1 July → due 24 June; L-watch3: 3rd miss = watchAfter → due 1 June + 6
    // L-new: outflow 300,000 ≥ 200,000 and ≥ 30% of 900,000 → due 3 June; base → licai in May → 7 June; birthday 15 June
    const tasks = jsonLines(out('tasks.jsonl'));
    expect(tasks.map((t) => [t.id, t.owner, t.due, t.status, t.kindZh])).toEqual([
      ['L-up1:maturity:WMP:2025-07-01', 'M-01', '2025-06-24', 'normal', '产品到期'],
      ['L-watch3:enter-watch:2025-06', 'M-03', '2025-06-07', 'overdue', '进入降级预警'],
      ['L-new:large-outflow:2025-05', 'M-04', '2025-06-03', 'overdue', '大额资金流出'],
      ['L-new:tier-change:2025-06:0>1', 'M-04', '2025-06-07', 'overdue', '等级变动'],
      ['L-new:birthday:2025-06-15', 'M-04', '2025-06-15', 'this-week', '生日祝福'],
    ]);
    expect(tasks.every((t) => typeof t.owner === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t.due))).toBe(true);
    expect(tasks.find((t) => t.id.startsWith('L-new:large-outflow'))!.title).toBe('2025-05月末金融资产减少300000.00元（900000.00 → 600000.00），了解资金去向');
  });

  it('re-running gives a byte-identical tasks.jsonl', () => {
    const again = mkdtempSync(join(tmpdir(), 'ladder-lists-again-'));
    const second = lists(again);
    expect(second.code).toBe(1);
    expect(readFileSync(join(again, 'tasks.jsonl'), 'utf8')).toBe(readFileSync(out('tasks.jsonl'), 'utf8'));
    const ids = jsonLines(out('tasks.jsonl')).map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists owner mismatches: L-up3 (个金科负责人 on a 200k–1m customer) and L-far (no manager)', () => {
    expect(jsonLines(out('owners.jsonl')).map((o) => [o.customerId, o.band, o.reason])).toEqual([
      ['L-up3', 'mid', '管户经理M-02为个金科负责人，资产20万–100万元客户应由理财经理、大堂经理、营销经理、柜员管户'],
      ['L-far', 'mid', '资产20万–100万元客户未指定管户经理，应由理财经理、大堂经理、营销经理、柜员管户'],
    ]);
  });

  it('writes one archive line per customer read; L-far misses its employer (5 of 6 = 83%)', () => {
    const archive = jsonLines(out('archive.jsonl'));
    expect(archive.map((a) => a.customerId)).toEqual(['L-up4', 'L-up1', 'L-up3', 'L-up2', 'L-far', 'L-watch3', 'L-watch5', 'L-new', 'L-greeted']);
    const far = archive.find((a) => a.customerId === 'L-far');
    expect(far).toMatchObject({ assets: '790000.00', required: 6, filled: 5, completeness: 83, missing: ['工作单位'], archived: false, productKinds: 3, meetsKinds: null, heldRequired: ['信用卡', '网银U盾'], missingRequired: ['理财金卡'] });
  });

  it('tallies each branch against the D3 targets', () => {
    // B1: ≥ 50k: L-up1, L-up2, L-far, L-watch3, L-new = 5, only L-up1 archived → 20%
    //     ≥ 200k: L-up1, L-far, L-new = 3, 1 archived → 33%; 理财金卡 0/3; 信用卡 and U盾 L-far only, 1/3
    // B2: ≥ 50k: L-up4, L-up3, L-watch5, L-greeted = 4, 3 archived (not L-up4) → 75% < 80
    //     ≥ 200k: 3 of 3 → 100% ≥ 90; 理财金卡 3/3; 信用卡 L-watch5, L-greeted 2/3; U盾 L-watch5 1/3
    const coverage = JSON.parse(readFileSync(out('branch-coverage.json'), 'utf8')) as { branchId: string; figures: { rule: string }[] }[];
    const byRule = (branch: string) => Object.fromEntries(coverage.find((b) => b.branchId === branch)!.figures.map(({ rule, ...rest }) => [rule, rest]));
    expect(coverage.map((b) => b.branchId)).toEqual(['B1', 'B2']);
    expect(byRule('B1')).toEqual({
      '建档覆盖率·资产5万以上': { customers: 5, meeting: 1, percent: 20, target: 80, met: false },
      '建档覆盖率·资产20万以上': { customers: 3, meeting: 1, percent: 33, target: 90, met: false },
      '产品覆盖·资产20万以上持有理财金卡': { customers: 3, meeting: 0, percent: 0, target: 80, met: false },
      '产品覆盖·资产20万以上持有信用卡': { customers: 3, meeting: 1, percent: 33, target: 80, met: false },
      '产品覆盖·资产20万以上持有网银U盾': { customers: 3, meeting: 1, percent: 33, target: 80, met: false },
    });
    expect(byRule('B2')).toEqual({
      '建档覆盖率·资产5万以上': { customers: 4, meeting: 3, percent: 75, target: 80, met: false },
      '建档覆盖率·资产20万以上': { customers: 3, meeting: 3, percent: 100, target: 90, met: true },
      '产品覆盖·资产20万以上持有理财金卡': { customers: 3, meeting: 3, percent: 100, target: 80, met: true },
      '产品覆盖·资产20万以上持有信用卡': { customers: 3, meeting: 2, percent: 66, target: 80, met: false },
      '产品覆盖·资产20万以上持有网银U盾': { customers: 3, meeting: 1, percent: 33, target: 80, met: false },
    });
  });
});
