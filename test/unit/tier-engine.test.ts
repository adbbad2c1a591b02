import { describe, expect, it } from 'vitest';
import { toAssessLine } from '../../shared/assessment-output.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { overrideEntryErrors } from '../../shared/override-entry.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import bocJson from '../../shared/schemes/boc.json' with { type: 'json' };
import { createTierEngine, type Decision } from '../../shared/tier-engine.js';
import { customer, fen, month, override, run, type Row } from '../support/facts-builder.js';
import { bundled, code, codes, schemeFrom } from '../support/scheme-builder.js';

/**
 * tier-rules.md, "Assessment" and "Watch", case by case. Every expectation below was
 * worked out by hand from the spec; the arithmetic is in the case name or the comment.
 * Calendar used throughout: 2025 is a common year (Jan 31, Feb 28, Mar 31, Apr 30, May 31,
 * Jun 30, Jul 31, Aug 31, Sep 30, Oct 31, Nov 30, Dec 31); 2024 is a leap year (Feb 29).
 * BOC: licai = mda ≥ 200,000 | loanBalance ≥ 500,000 | cardSpend12 ≥ 100,000;
 * wealth = mda ≥ 1,000,000; private = mda ≥ 6,000,000; retain 6, watchAfter 3.
 */

const boc = bundled('boc');
const branchSix = bundled('branch-six');
const generic = bundled('generic');

function rep<const T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}

function replay(scheme: Scheme, facts: CustomerFacts, through?: string) {
  const a = createTierEngine(scheme).assess(facts, through === undefined ? undefined : month(through));
  return {
    a,
    tier: code(scheme, a.tier),
    tiers: codes(scheme, a.tiers),
    levels: codes(scheme, a.levels),
    decisions: a.decisions,
  };
}

interface HistoryCase {
  name: string;
  rows: Row[];
  levels?: string[];
  tiers: string[];
  decisions?: Decision[];
}

function expectHistory(scheme: Scheme, c: HistoryCase): void {
  const r = replay(scheme, customer(c.rows));
  if (c.levels) expect(r.levels).toEqual(c.levels);
  expect(r.tiers).toEqual(c.tiers);
  if (c.decisions) expect(r.decisions).toEqual(c.decisions);
}

describe('upgrade: as soon as a higher tier is met (BOC, monthly)', () => {
  const cases: HistoryCase[] = [
    {
      name: 'Jan mda 100,000 < 200,000 stays base; Feb mda 250,000 ≥ 200,000 → licai at the Feb assessment',
      rows: [{ month: '2025-01', mda: '100000' }, { month: '2025-02', mda: '250000' }],
      levels: ['base', 'licai'],
      tiers: ['base', 'licai'],
      decisions: ['met', 'upgrade'],
    },
    {
      name: 'base straight to private: Feb mda 6,000,000 ≥ 6,000,000 skips licai and wealth',
      rows: [{ month: '2025-01', mda: '0' }, { month: '2025-02', mda: '6000000' }],
      tiers: ['base', 'private'],
      decisions: ['met', 'upgrade'],
    },
    {
      name: 'licai (Jan mda 300,000) → wealth the month mda reaches 1,000,000 (Feb)',
      rows: [{ month: '2025-01', mda: '300000' }, { month: '2025-02', mda: '1000000' }],
      tiers: ['licai', 'wealth'],
      decisions: ['upgrade', 'upgrade'],
    },
    {
      name: 'an upgrade during retention: wealth (Jan), only licai met in Feb (wealth retained), private met in Mar → private at once',
      rows: [{ month: '2025-01', mda: '1000000' }, { month: '2025-02', mda: '300000' }, { month: '2025-03', mda: '6000000' }],
      levels: ['wealth', 'licai', 'private'],
      tiers: ['wealth', 'wealth', 'private'],
      decisions: ['upgrade', 'retained', 'upgrade'],
    },
  ];
  it.each(cases)('$name', (c) => expectHistory(boc, c));

  it('the new tier comes from the assessment, never from a month still open: through Jan the tier is base although Feb (mda 250,000) is on file', () => {
    const facts = customer([{ month: '2025-01', mda: '100000' }, { month: '2025-02', mda: '250000' }]);
    expect(replay(boc, facts, '2025-01').tier).toBe('base');
    expect(replay(boc, facts, '2025-02').tier).toBe('licai');
  });
});

describe('retain: BOC keeps a tier through 5 consecutive failed months and loses it at the 6th', () => {
  // Jan mda 300,000 meets licai; Feb…Jul mda 100,000 meet nothing.
  const facts = customer([{ month: '2025-01', mda: '300000' }, ...run('2025-02', '2025-07', { mda: '100000' })]);
  const cases = [
    { through: '2025-02', below: 1, tier: 'licai', decision: 'retained' },
    { through: '2025-05', below: 4, tier: 'licai', decision: 'retained' },
    // last 6 assessments = Jan…Jun, Jan met licai → kept
    { through: '2025-06', below: 5, tier: 'licai', decision: 'retained' },
    // last 6 assessments = Feb…Jul, none met licai → lost; nothing below licai is kept → base
    { through: '2025-07', below: 6, tier: 'base', decision: 'downgrade' },
  ];
  it.each(cases)('through $through ($below consecutive months below) → $tier ($decision)', ({ through, tier, decision }) => {
    const r = replay(boc, facts, through);
    expect(r.tier).toBe(tier);
    expect(r.decisions[r.decisions.length - 1]).toBe(decision);
  });

  it('full history: levels [licai, base×6], tiers [licai×6, base]', () => {
    const r = replay(boc, facts);
    expect(r.levels).toEqual(['licai', ...rep('base', 6)]);
    expect(r.tiers).toEqual([...rep('licai', 6), 'base']);
    expect(r.decisions).toEqual(['upgrade', ...rep('retained', 5), 'downgrade']);
  });

  it('one month back at the standard restarts the count: L, 5×below, L (Jul), 5×below keeps licai through Dec; the 6th below (Jan 2026) loses it', () => {
    const r = replay(
      boc,
      customer([
        { month: '2025-01', mda: '300000' },
        ...run('2025-02', '2025-06', { mda: '0' }),
        { month: '2025-07', mda: '200000' },
        ...run('2025-08', '2026-01', { mda: '0' }),
      ]),
    );
    expect(r.tiers).toEqual([...rep('licai', 12), 'base']);
    expect(r.decisions[6]).toBe('met');
  });
});

describe('exactly on the threshold: mda compared as assetDaySum ≥ min × days(M)', () => {
  const cases = [
    { name: 'Feb 2024 has 29 days: 200,000 × 29 = 5,800,000 yuan exactly → licai', month: '2024-02', daySum: '5800000.00', tier: 'licai' },
    { name: 'Feb 2024, 1 fen below: 5,799,999.99 < 5,800,000 → base', month: '2024-02', daySum: '5799999.99', tier: 'base' },
    { name: 'Feb 2024, the 28-day amount 5,600,000 is short in a leap February (mda 193,103.44…) → base', month: '2024-02', daySum: '5600000.00', tier: 'base' },
    { name: 'Feb 2025 has 28 days: 200,000 × 28 = 5,600,000 exactly → licai', month: '2025-02', daySum: '5600000.00', tier: 'licai' },
    { name: 'Feb 2025, 1 fen below: 5,599,999.99 → base', month: '2025-02', daySum: '5599999.99', tier: 'base' },
    { name: 'Feb 2024, wealth: 1,000,000 × 29 = 29,000,000 exactly → wealth', month: '2024-02', daySum: '29000000.00', tier: 'wealth' },
    { name: 'Feb 2024, private: 6,000,000 × 29 = 174,000,000 minus 1 fen → wealth, not private', month: '2024-02', daySum: '173999999.99', tier: 'wealth' },
    { name: 'Mar 2025 has 31 days: 200,000 × 31 = 6,200,000 exactly → licai', month: '2025-03', daySum: '6200000.00', tier: 'licai' },
  ];
  it.each(cases)('$name', (c) => {
    expect(replay(boc, customer([{ month: c.month, daySum: c.daySum }])).tier).toBe(c.tier);
  });
});

describe('cardSpend12: the sum of cardSpend over M-11 … M', () => {
  const cases: HistoryCase[] = [
    {
      name: 'one 100,000 month (Jan 2024) counts for the 12 windows ending Jan…Dec 2024; the window Feb 2024…Jan 2025 has 0 → below from Jan 2025',
      rows: [{ month: '2024-01', card: '100000' }, ...run('2024-02', '2025-02', {})],
      levels: [...rep('licai', 12), 'base', 'base'],
      tiers: rep('licai', 14),
      decisions: ['upgrade', ...rep('met', 11), 'retained', 'retained'],
    },
    {
      name: '60,000 (Mar 2024) + 40,000 (Jun 2024) = 100,000 from Jun 2024; Mar 2025 window Apr 2024…Mar 2025 holds only 40,000',
      rows: [{ month: '2024-03', card: '60000' }, ...run('2024-04', '2024-05', {}), { month: '2024-06', card: '40000' }, ...run('2024-07', '2025-03', {})],
      // Mar, Apr, May 2024 base (60,000); Jun 2024 … Feb 2025 licai (9 months); Mar 2025 base
      levels: [...rep('base', 3), ...rep('licai', 9), 'base'],
      tiers: [...rep('base', 3), ...rep('licai', 10)],
    },
    {
      name: '60,000 + 39,999.99 = 99,999.99 < 100,000: never licai',
      rows: [{ month: '2024-03', card: '60000' }, ...run('2024-04', '2024-05', {}), { month: '2024-06', card: '39999.99' }, ...run('2024-07', '2025-03', {})],
      levels: rep('base', 13),
      tiers: rep('base', 13),
    },
  ];
  it.each(cases)('$name', (c) => expectHistory(boc, c));
});

describe('loanBalance and monthEndAssets paths (amounts, no day arithmetic)', () => {
  const cases = [
    { name: 'BOC: month-end normal loans 500,000.00 ≥ 500,000 → licai by path 1 (loanBalance)', scheme: boc, row: { loan: '500000' }, tier: 'licai', path: 1 },
    { name: 'BOC: loans 499,999.99 < 500,000 → base', scheme: boc, row: { loan: '499999.99' }, tier: 'base', path: null },
    { name: 'BOC: loans 5,000,000 only reach licai: wealth asks for mda ≥ 1,000,000', scheme: boc, row: { loan: '5000000' }, tier: 'licai', path: 1 },
    { name: 'BOC 2012: month-end assets 500,000.00 → licai by path 0 (monthEndAssets)', scheme: bundled('boc-2012'), row: { monthEnd: '500000' }, tier: 'licai', path: 0 },
    { name: 'BOC 2012: loans 1,000,000.00 → licai by path 1', scheme: bundled('boc-2012'), row: { loan: '1000000' }, tier: 'licai', path: 1 },
    { name: 'BOC 2012: loans 999,999.99 and month-end assets 499,999.99 → base', scheme: bundled('boc-2012'), row: { loan: '999999.99', monthEnd: '499999.99' }, tier: 'base', path: null },
  ];
  it.each(cases)('$name', (c) => {
    const r = replay(c.scheme, customer([{ month: '2025-01', ...c.row }]));
    expect(r.tier).toBe(c.tier);
    expect(r.a.qualifiedBy?.path ?? null).toBe(c.path);
  });
});

describe('months missing between first and last fact month count as all zero', () => {
  // branch-six: Q1 2025 = 31 + 28 + 31 = 90 days; silver = qda ≥ 100,000 → day-sum ≥ 9,000,000; effective ≥ 1,800,000.
  const cases = [
    { name: 'Jan 4,500,000 + Feb missing (0) + Mar 4,500,000 = 9,000,000 = 100,000 × 90 → silver', jan: '4500000', mar: '4500000', tier: 'silver' },
    { name: 'Jan 4,500,000 + Mar 4,499,999.99 = 8,999,999.99 < 9,000,000 → effective', jan: '4500000', mar: '4499999.99', tier: 'effective' },
    // 140,000 × 31 × 2 = 8,680,000; over 90 days = 96,444.44 → not silver (over Jan+Mar's 62 days alone it would be 140,000)
    { name: 'Jan and Mar at mda 140,000 (8,680,000) over 90 days = 96,444.44 < 100,000 → effective: Feb days still count', jan: '4340000', mar: '4340000', tier: 'effective' },
  ];
  it.each(cases)('branch-six qda: $name', (c) => {
    const r = replay(branchSix, customer([{ month: '2025-01', daySum: c.jan }, { month: '2025-03', daySum: c.mar }]));
    expect(r.tier).toBe(c.tier);
    expect(r.a.firstAssessment).toBe(month('2025-03'));
  });

  it('BOC: licai in Jan, Feb…Jul missing, Aug on file: the 6 missing months are assessed as 0 and lose licai at Jul', () => {
    const r = replay(boc, customer([{ month: '2025-01', mda: '300000' }, { month: '2025-08', mda: '100000' }]));
    expect(r.levels).toEqual(['licai', ...rep('base', 7)]);
    expect(r.tiers).toEqual([...rep('licai', 6), 'base', 'base']);
    expect(r.decisions).toEqual(['upgrade', ...rep('retained', 5), 'downgrade', 'met']);
  });
});

describe('first month in the middle of a quarter: earlier months add 0 to the day-sum but their days count', () => {
  // branch-six, Q1 2025 = 90 days whatever month the customer starts in.
  const cases = [
    { name: 'from Feb: 4,000,000 (Feb) + 5,000,000 (Mar) = 9,000,000 = 100,000 × 90 → silver', rows: [{ month: '2025-02', daySum: '4000000' }, { month: '2025-03', daySum: '5000000' }], tier: 'silver' },
    { name: 'from Feb at mda 100,000: 2,800,000 + 3,100,000 = 5,900,000 / 90 = 65,555.55 → effective (not silver)', rows: [{ month: '2025-02', mda: '100000' }, { month: '2025-03', mda: '100000' }], tier: 'effective' },
    { name: 'from Mar: 9,000,000 in March alone over 90 days → silver', rows: [{ month: '2025-03', daySum: '9000000' }], tier: 'silver' },
    { name: 'from Mar at mda 100,000: 3,100,000 / 90 = 34,444.44 → effective', rows: [{ month: '2025-03', mda: '100000' }], tier: 'effective' },
  ];
  it.each(cases)('$name', (c) => {
    const r = replay(branchSix, customer(c.rows));
    expect(r.tiers).toEqual([c.tier]);
    expect(r.a.firstAssessment).toBe(month('2025-03'));
  });
});

describe('retain per tier (mass tiers retain 3, private the scheme’s 6)', () => {
  const scheme = schemeFrom({
    id: 'retain-by-tier',
    name: { zh: '分级保留', en: 'retain by tier' },
    assess: 'month',
    retain: 6,
    downgradeTo: 'window-best',
    watchAfter: 1,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      { code: 'silver', name: { zh: '银卡', en: 'Silver' }, paths: [[{ metric: 'mda', min: '50000' }]], retain: 3 },
      { code: 'gold', name: { zh: '金卡', en: 'Gold' }, paths: [[{ metric: 'mda', min: '200000' }]], retain: 3 },
      { code: 'private', name: { zh: '私行', en: 'Private' }, paths: [[{ metric: 'mda', min: '6000000' }]] },
    ],
  });
  const cases: HistoryCase[] = [
    {
      name: 'gold (Jan) then 0 from Feb: kept Feb, Mar; the 3rd failed month (Apr) loses it → base',
      rows: [{ month: '2025-01', mda: '200000' }, ...run('2025-02', '2025-04', { mda: '0' })],
      tiers: ['gold', 'gold', 'gold', 'base'],
      decisions: ['upgrade', 'retained', 'retained', 'downgrade'],
    },
    {
      name: 'private (Jan) then 0 from Feb: no retain of its own → scheme retain 6: kept Feb…Jun, lost at Jul',
      rows: [{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-07', { mda: '0' })],
      tiers: [...rep('private', 6), 'base'],
      decisions: ['upgrade', ...rep('retained', 5), 'downgrade'],
    },
    {
      name: 'private (Jan), gold met in Feb only: at Jul gold’s own window (May…Jul, retain 3) misses Feb → base',
      rows: [{ month: '2025-01', mda: '6000000' }, { month: '2025-02', mda: '200000' }, ...run('2025-03', '2025-07', { mda: '0' })],
      tiers: [...rep('private', 6), 'base'],
    },
    {
      name: 'private (Jan), gold met in May: at Jul gold’s window May…Jul holds May → gold',
      rows: [{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-04', { mda: '0' }), { month: '2025-05', mda: '200000' }, ...run('2025-06', '2025-07', { mda: '0' })],
      tiers: [...rep('private', 6), 'gold'],
      decisions: ['upgrade', ...rep('retained', 5), 'downgrade'],
    },
  ];
  it.each(cases)('$name', (c) => expectHistory(scheme, c));
});

describe('met: level(A) ≥ T meets T, even when T’s own conditions fail', () => {
  // silver asks for 3 products, gold for mda 1,000,000; silver keeps 4 assessments, gold 2.
  const scheme = schemeFrom({
    id: 'met-through-higher',
    name: { zh: '高级达标即低级达标', en: 'higher meets lower' },
    assess: 'month',
    retain: 2,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      { code: 'silver', name: { zh: '银卡', en: 'Silver' }, paths: [[{ metric: 'productCount', min: 3 }]], retain: 4 },
      { code: 'gold', name: { zh: '金卡', en: 'Gold' }, paths: [[{ metric: 'mda', min: '1000000' }]] },
    ],
  });
  it('gold in Jan with 1 product (silver’s own path fails), 0 in Feb, Mar: at Mar gold is lost (window Feb…Mar) but silver was met in Jan through gold and is kept (window Dec…Mar) → silver', () => {
    const r = replay(scheme, customer([{ month: '2025-01', mda: '1000000', products: ['DEP'] }, ...run('2025-02', '2025-03', { mda: '0' })]));
    expect(r.levels).toEqual(['gold', 'base', 'base']);
    expect(r.tiers).toEqual(['gold', 'gold', 'silver']);
    expect(r.decisions).toEqual(['upgrade', 'retained', 'downgrade']);
  });
});

describe('downgradeTo: window-best (best tier still met in its window) vs latest (level at A)', () => {
  const bocLatest = schemeFrom({ ...bocJson, id: 'boc-latest', downgradeTo: 'latest' });
  // Jan meets private; then 5 months at a lower level; Jul is the 6th month below private, so private is lost at Jul.
  const cases = [
    {
      name: 'Feb…Jun licai level (300,000), Jul 0: wealth last met Jan (outside Feb…Jul), licai met Jun',
      rows: [{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-06', { mda: '300000' }), { month: '2025-07', mda: '0' }],
      windowBest: 'licai',
      latest: 'base',
    },
    {
      name: 'Feb…Jun wealth level (1,000,000), Jul licai level (300,000): wealth met Jun is kept',
      rows: [{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-06', { mda: '1000000' }), { month: '2025-07', mda: '300000' }],
      windowBest: 'wealth',
      latest: 'licai',
    },
    {
      name: 'Feb…Jul 0: nothing below private met in its window → base in both modes (not one step down to wealth)',
      rows: [{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-07', { mda: '0' })],
      windowBest: 'base',
      latest: 'base',
    },
  ];
  it.each(cases)('$name → window-best $windowBest, latest $latest', (c) => {
    const best = replay(boc, customer(c.rows));
    const latest = replay(bocLatest, customer(c.rows));
    expect(best.tiers).toEqual([...rep('private', 6), c.windowBest]);
    expect(latest.tiers).toEqual([...rep('private', 6), c.latest]);
    expect(best.decisions[6]).toBe('downgrade');
    expect(latest.decisions[6]).toBe('downgrade');
  });
});

describe('manual override: forces the tier for its periods, then the rules resume with C = the forced tier', () => {
  it('BOC licai customer (mda 300,000 Jan…Jun) forced to wealth for Mar…Apr: wealth was never met, so at Apr wealth is not kept → licai', () => {
    const r = replay(
      boc,
      customer(run('2025-01', '2025-06', { mda: '300000' }), { override: { tier: 'wealth', from: '2025-03', until: '2025-04', reason: 'retention offer', by: 'M-7' } }),
    );
    // the Feb assessment decides March, the Mar assessment decides April: both forced; Apr decides May by the rules
    expect(r.tiers).toEqual(['licai', 'wealth', 'wealth', 'licai', 'licai', 'licai']);
    expect(r.decisions).toEqual(['upgrade', 'override', 'override', 'downgrade', 'met', 'met']);
    expect(replay(boc, customer(run('2025-01', '2025-06', { mda: '300000' }), { override: { tier: 'wealth', from: '2025-03', until: '2025-04', reason: 'r' } }), '2025-03').tier).toBe('wealth');
  });

  it('an override can force a lower tier: wealth customer forced to base for Mar…Apr, back to wealth (level ≥ C = base) at the Apr assessment', () => {
    const r = replay(boc, customer(run('2025-01', '2025-04', { mda: '1000000' }), { override: { tier: 'base', from: '2025-03', until: '2025-04', reason: 'account frozen' } }));
    expect(r.tiers).toEqual(['wealth', 'base', 'base', 'wealth']);
    expect(r.decisions).toEqual(['upgrade', 'override', 'override', 'upgrade']);
  });

  it('assessments during the override still count for retention: wealth met in Jan, forced wealth Mar…Apr, kept while Jan is among the last 6 (to Jun), lost at Jul → licai', () => {
    const r = replay(
      boc,
      customer([{ month: '2025-01', mda: '1000000' }, ...run('2025-02', '2025-08', { mda: '300000' })], {
        override: { tier: 'wealth', from: '2025-03', until: '2025-04', reason: 'r' },
      }),
    );
    expect(r.tiers).toEqual(['wealth', 'wealth', 'wealth', 'wealth', 'wealth', 'wealth', 'licai', 'licai']);
    expect(r.decisions).toEqual(['upgrade', 'override', 'override', 'retained', 'retained', 'retained', 'downgrade', 'met']);
  });

  it('an override covering the first period: forced licai for Jan; the Jan assessment resumes with C = licai, never met → base', () => {
    const r = replay(boc, customer(run('2025-01', '2025-02', { mda: '0' }), { override: { tier: 'licai', from: '2025-01', until: '2025-01', reason: 'r' } }));
    expect(r.tiers).toEqual(['base', 'base']);
    expect(r.decisions).toEqual(['downgrade', 'met']);
  });

  it('quarterly (generic, retain 2): silver forced for Feb…Apr forces both quarters it touches (Q1, Q2); at Jun silver not met in the last 2 (Mar, Jun) → base', () => {
    const r = replay(generic, customer(run('2024-10', '2025-09', { mda: '0' }), { override: { tier: 'silver', from: '2025-02', until: '2025-04', reason: 'r' } }));
    // assessments: Dec 2024 (decides Q1), Mar 2025 (decides Q2), Jun 2025 (decides Q3), Sep 2025 (decides Q4)
    expect(r.tiers).toEqual(['silver', 'silver', 'base', 'base']);
    expect(r.decisions).toEqual(['override', 'override', 'downgrade', 'met']);
  });

  it('an override naming a tier the scheme does not have is refused, not ignored', () => {
    const facts = customer(run('2025-01', '2025-02', { mda: '0' }), { override: { tier: 'gold', from: '2025-01', until: '2025-02', reason: 'r' } });
    const engine = createTierEngine(boc);
    expect(engine.problemWith(facts)).toMatch(/gold/);
    expect(() => engine.assess(facts)).toThrow(/gold/);
  });

  describe('entering an override (overrideEntryErrors, this month 2025-04)', () => {
    const today = month('2025-04');
    const cases = [
      { name: 'with a reason, until this month (not past) → accepted', row: { tier: 'wealth', from: '2025-04', until: '2025-04', reason: 'VIP retention' }, paths: [] as string[] },
      { name: 'with a reason, until next month → accepted', row: { tier: 'wealth', from: '2025-04', until: '2025-05', reason: 'VIP retention' }, paths: [] as string[] },
      { name: 'empty reason → rejected at override.reason', row: { tier: 'wealth', from: '2025-04', until: '2025-05', reason: '' }, paths: ['override.reason'] },
      { name: 'blank reason "   " → rejected at override.reason', row: { tier: 'wealth', from: '2025-04', until: '2025-05', reason: '   ' }, paths: ['override.reason'] },
      { name: 'until 2025-03, already past in 2025-04 → rejected at override.until', row: { tier: 'wealth', from: '2025-01', until: '2025-03', reason: 'late entry' }, paths: ['override.until'] },
      { name: 'no reason and until past → both errors', row: { tier: 'wealth', from: '2025-01', until: '2025-03', reason: '' }, paths: ['override.reason', 'override.until'] },
    ];
    it.each(cases)('$name', (c) => {
      const errors = overrideEntryErrors(override(c.row), boc, today);
      expect(errors.map((e) => e.path).sort()).toEqual(c.paths);
      for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
    });
  });
});

describe('watch: belowCount, watch (BOC watchAfter 3), remaining = retain − belowCount', () => {
  // licai met in Jan (mda 300,000), Feb…Jul mda 100,000 below it.
  const facts = customer([{ month: '2025-01', mda: '300000' }, ...run('2025-02', '2025-07', { mda: '100000' })]);
  const cases = [
    { through: '2025-01', tier: 'licai', belowCount: 0, watch: false, remaining: 6 },
    { through: '2025-02', tier: 'licai', belowCount: 1, watch: false, remaining: 5 },
    { through: '2025-03', tier: 'licai', belowCount: 2, watch: false, remaining: 4 },
    { through: '2025-04', tier: 'licai', belowCount: 3, watch: true, remaining: 3 },
    { through: '2025-05', tier: 'licai', belowCount: 4, watch: true, remaining: 2 },
    { through: '2025-06', tier: 'licai', belowCount: 5, watch: true, remaining: 1 },
    // lost at the 6th: base is met by definition, so nothing is below it
    { through: '2025-07', tier: 'base', belowCount: 0, watch: false, remaining: null },
  ];
  it.each(cases)('through $through: $tier, belowCount $belowCount, watch $watch, remaining $remaining', (c) => {
    const { a, tier } = replay(boc, facts, c.through);
    expect({ tier, belowCount: a.belowCount, watch: a.watch, remaining: a.remaining }).toEqual({
      tier: c.tier,
      belowCount: c.belowCount,
      watch: c.watch,
      remaining: c.remaining,
    });
  });

  it('after a window-best downgrade private → licai (licai met Jun, missed Jul): belowCount 1 against licai, remaining 6 − 1 = 5, not on watch', () => {
    const { a, tier } = replay(boc, customer([{ month: '2025-01', mda: '6000000' }, ...run('2025-02', '2025-06', { mda: '300000' }), { month: '2025-07', mda: '0' }]));
    expect({ tier, belowCount: a.belowCount, watch: a.watch, remaining: a.remaining }).toEqual({ tier: 'licai', belowCount: 1, watch: false, remaining: 5 });
  });

  it('a kept higher tier counts months below it even when a lower tier is met: wealth (Jan), licai level Feb…Mar → belowCount 2 against wealth', () => {
    const { a, tier } = replay(boc, customer([{ month: '2025-01', mda: '1000000' }, ...run('2025-02', '2025-03', { mda: '300000' })]));
    expect({ tier, belowCount: a.belowCount, remaining: a.remaining }).toEqual({ tier: 'wealth', belowCount: 2, remaining: 4 });
  });

  it('meeting the tier again ends the run: licai (Jan), 3 below (Feb…Apr, on watch), licai again in May → belowCount 0, off watch', () => {
    const { a } = replay(boc, customer([{ month: '2025-01', mda: '300000' }, ...run('2025-02', '2025-04', { mda: '0' }), { month: '2025-05', mda: '300000' }]));
    expect({ belowCount: a.belowCount, watch: a.watch, remaining: a.remaining }).toEqual({ belowCount: 0, watch: false, remaining: 6 });
  });

  it('generic (quarterly, retain 2, watchAfter 1): silver in Q1 (qda 50,000 = 4,500,000 / 90), Q2 at 0 → kept, belowCount 1, on watch, remaining 1', () => {
    const { a, tier } = replay(generic, customer([{ month: '2025-01', daySum: '4500000' }, ...run('2025-02', '2025-06', {})]));
    expect({ tier, belowCount: a.belowCount, watch: a.watch, remaining: a.remaining }).toEqual({ tier: 'silver', belowCount: 1, watch: true, remaining: 1 });
  });
});

describe('history entries (the sheet’s lines: assessment month, tier decided, tier met, decision)', () => {
  it('BOC Jan 300,000 / Feb 1,000,000 / Mar 100,000 → licai upgrade, wealth upgrade, wealth retained (met base)', () => {
    const engine = createTierEngine(boc);
    const facts = customer([{ month: '2025-01', mda: '300000' }, { month: '2025-02', mda: '1000000' }, { month: '2025-03', mda: '100000' }]);
    const line = toAssessLine(engine.compiled, engine.assess(facts));
    expect(line.history).toEqual([
      { month: '2025-01', tier: 'licai', met: 'licai', decision: 'upgrade' },
      { month: '2025-02', tier: 'wealth', met: 'wealth', decision: 'upgrade' },
      { month: '2025-03', tier: 'wealth', met: 'base', decision: 'retained' },
    ]);
    expect(line.tier).toBe('wealth');
    expect(line.assessedAt).toBe('2025-03');
  });

  it('generic (quarterly) from Feb to Jul: assessments only at quarter ends Mar and Jun; Jul is mid-quarter and adds none', () => {
    const engine = createTierEngine(generic);
    // Q1: Feb+Mar 20,000,000 / 90 = 222,222.22 ≥ 200,000 → gold; Q2: 0 → gold kept (retain 2)
    const facts = customer([{ month: '2025-02', daySum: '10000000' }, { month: '2025-03', daySum: '10000000' }, ...run('2025-04', '2025-07', {})]);
    const line = toAssessLine(engine.compiled, engine.assess(facts));
    expect(line.history).toEqual([
      { month: '2025-03', tier: 'gold', met: 'gold', decision: 'upgrade' },
      { month: '2025-06', tier: 'gold', met: 'base', decision: 'retained' },
    ]);
    expect(line.assessedAt).toBe('2025-06');
  });
});

describe('qualifiedBy: which path met the tier at the last assessment', () => {
  it('BOC mda path: Jan mda 300,000 → licai by path 0, value 300,000.00, min 200,000.00, shortfall 0', () => {
    const { a } = replay(boc, customer([{ month: '2025-01', mda: '300000' }]));
    expect(a.qualifiedBy).toEqual({ tier: 1, path: 0, conditions: [{ metric: 'mda', value: fen('300000'), min: fen('200000'), shortfall: 0 }] });
  });

  it('BOC card path: 100,000.00 spent in Jan (12-month sum 100,000) → licai by path 2', () => {
    const { a } = replay(boc, customer([{ month: '2025-01', card: '100000' }]));
    expect(a.qualifiedBy).toEqual({ tier: 1, path: 2, conditions: [{ metric: 'cardSpend12', value: fen('100000'), min: fen('100000'), shortfall: 0 }] });
  });

  it('BOC wealth: Jan mda 1,000,000 → wealth (tier 2) by its only path', () => {
    const { a } = replay(boc, customer([{ month: '2025-01', mda: '1000000' }]));
    expect(a.qualifiedBy).toEqual({ tier: 2, path: 0, conditions: [{ metric: 'mda', value: fen('1000000'), min: fen('1000000'), shortfall: 0 }] });
  });

  it('generic silver by path 1: qda 20,000 (1,800,000 / 90) and 20+20+20 = 60 transactions and 2 products (qda < 50,000 so path 0 fails)', () => {
    const { a, tier } = replay(
      generic,
      customer([
        { month: '2025-01', daySum: '1800000', txn: 20 },
        { month: '2025-02', txn: 20 },
        { month: '2025-03', txn: 20, products: ['DEP', 'WMP'] },
      ]),
    );
    expect(tier).toBe('silver');
    expect(a.qualifiedBy).toEqual({
      tier: 1,
      path: 1,
      conditions: [
        { metric: 'qda', value: fen('20000'), min: fen('20000'), shortfall: 0 },
        { metric: 'txnCount12', value: 60, min: 60, shortfall: 0 },
        { metric: 'productCount', value: 2, min: 2, shortfall: 0 },
      ],
    });
  });

  it('a retained tier was not met, so nothing qualified it: wealth (Jan), licai level in Feb → qualifiedBy null', () => {
    const { a, tier } = replay(boc, customer([{ month: '2025-01', mda: '1000000' }, { month: '2025-02', mda: '300000' }]));
    expect(tier).toBe('wealth');
    expect(a.qualifiedBy).toBeNull();
  });

  it('base has no path: mda 199,999.99 → qualifiedBy null', () => {
    const { a, tier } = replay(boc, customer([{ month: '2025-01', mda: '199999.99' }]));
    expect(tier).toBe('base');
    expect(a.qualifiedBy).toBeNull();
  });
});

describe('half-year and year assessment periods (pda over the period’s days)', () => {
  const halfYear = schemeFrom({
    id: 'half-year-test',
    name: { zh: '半年考核', en: 'half-year test' },
    assess: 'half-year',
    retain: 1,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      { code: 'star', name: { zh: '星级', en: 'Star' }, paths: [[{ metric: 'pda', min: '100000' }]] },
    ],
  });
  const year = schemeFrom({
    id: 'year-test',
    name: { zh: '年度考核', en: 'year test' },
    assess: 'year',
    retain: 1,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      { code: 'member', name: { zh: '会员', en: 'Member' }, paths: [[{ metric: 'pda', min: '50000' }]] },
    ],
  });

  const cases = [
    {
      name: 'half-year 2025: Jan…Jun mda 100,000 → 100,000 × 181 = 18,100,000 exactly → star at Jun; H2 at 0 with retain 1 → base at Dec',
      scheme: halfYear,
      rows: [...run('2025-01', '2025-06', { mda: '100000' }), ...run('2025-07', '2025-12', {})],
      first: '2025-06',
      tiers: ['star', 'base'],
      decisions: ['upgrade', 'downgrade'] as Decision[],
    },
    {
      name: 'half-year 2024 (182 days, needs 18,200,000): Jan…May mda 100,000 + Jun 2,999,999.99 = 18,199,999.99 → base',
      scheme: halfYear,
      rows: [...run('2024-01', '2024-05', { mda: '100000' }), { month: '2024-06', daySum: '2999999.99' }],
      first: '2024-06',
      tiers: ['base'],
      decisions: ['met'] as Decision[],
    },
    {
      name: 'half-year starting Apr 2025: Apr…Jun mda 100,000 = 9,100,000 over 181 days (Jan…Mar count as 0) = 50,276.24 → base',
      scheme: halfYear,
      rows: run('2025-04', '2025-06', { mda: '100000' }),
      first: '2025-06',
      tiers: ['base'],
    },
    {
      name: 'half-year starting Apr 2025: Apr day-sum 18,100,000 = 100,000 × 181 → star',
      scheme: halfYear,
      rows: [{ month: '2025-04', daySum: '18100000' }, ...run('2025-05', '2025-06', {})],
      first: '2025-06',
      tiers: ['star'],
    },
    {
      name: 'year 2024 from Mar: mda 60,000 × 306 days (Mar…Dec) = 18,360,000 ≥ 50,000 × 366 = 18,300,000 → member at Dec',
      scheme: year,
      rows: run('2024-03', '2024-12', { mda: '60000' }),
      first: '2024-12',
      tiers: ['member'],
    },
    {
      name: 'year 2024 from Mar: mda 59,800 × 306 = 18,298,800 < 18,300,000 → base (Jan, Feb count 60 days at 0)',
      scheme: year,
      rows: run('2024-03', '2024-12', { mda: '59800' }),
      first: '2024-12',
      tiers: ['base'],
    },
    {
      name: 'year 2025 (365 days): 18,250,000 = 50,000 × 365 exactly → member',
      scheme: year,
      rows: [{ month: '2025-01', daySum: '18250000' }, ...run('2025-02', '2025-12', {})],
      first: '2025-12',
      tiers: ['member'],
    },
    {
      name: 'year 2024 (366 days): the same 18,250,000 < 18,300,000 → base',
      scheme: year,
      rows: [{ month: '2024-01', daySum: '18250000' }, ...run('2024-02', '2024-12', {})],
      first: '2024-12',
      tiers: ['base'],
    },
  ];
  it.each(cases)('$name', (c) => {
    const r = replay(c.scheme, customer(c.rows));
    expect(r.a.firstAssessment).toBe(month(c.first));
    expect(r.tiers).toEqual(c.tiers);
    if (c.decisions) expect(r.decisions).toEqual(c.decisions);
  });

  it('period lengths: half-year assessments are 6 months apart, year 12', () => {
    expect(replay(halfYear, customer(run('2025-01', '2025-12', {}))).a.periodMonths).toBe(6);
    expect(replay(year, customer(run('2025-01', '2025-12', {}))).a.periodMonths).toBe(12);
  });
});

describe('no complete assessment yet: the tier is base', () => {
  const cases = [
    { name: 'generic (quarterly): Jan, Feb on file with qda-level 10,000,000; Q1 closes only at Mar', scheme: generic, rows: run('2025-01', '2025-02', { mda: '10000000' }), through: undefined },
    { name: 'generic: first facts Apr, May; Q2 closes only at Jun', scheme: generic, rows: run('2025-04', '2025-05', { mda: '10000000' }), through: undefined },
    { name: 'BOC: no months at all', scheme: boc, rows: [] as Row[], through: undefined },
    { name: 'BOC: facts from Jan 2025, assessed through Dec 2024', scheme: boc, rows: run('2025-01', '2025-03', { mda: '6000000' }), through: '2024-12' },
  ];
  it.each(cases)('$name', (c) => {
    const { a, tier } = replay(c.scheme, customer(c.rows), c.through);
    expect(tier).toBe(c.scheme.tiers[0]!.code);
    expect(a.firstAssessment).toBeNull();
    expect(a.decisions).toEqual([]);
    expect(a.gap).toBeNull();
    expect(a.qualifiedBy).toBeNull();
  });

  it('the tier never changes inside a period: generic silver at Q1 (qda 50,000), Apr…May at gold level → still silver through May', () => {
    const r = replay(generic, customer([{ month: '2025-01', daySum: '4500000' }, ...run('2025-02', '2025-03', {}), ...run('2025-04', '2025-05', { mda: '10000000' })]));
    expect(r.tier).toBe('silver');
    expect(r.tiers).toEqual(['silver']);
  });
});
