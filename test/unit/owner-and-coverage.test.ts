import { describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { CustomerProfile } from '../../shared/customer-profile.js';
import { parseFactsLine } from '../../shared/facts.schema.js';
import { BranchCoverageTally, customerCoverage, type CoverageFigure } from '../../shared/service/archive-coverage.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { ownerMismatch } from '../../shared/service/owner-check.js';
import { bandByAssets } from '../../shared/service/service-band.js';
import type { Role } from '../../shared/service/service-vocabulary.js';
import { fen } from '../support/facts-builder.js';

/**
 * Owner check (D2, D5) and archives / product coverage (D3) under the bundled d2 standards:
 * bands 200k–1m (理财经理、大堂经理、营销经理、柜员), 1m–5m (个金科负责人、网点负责人),
 * ≥ 5m (支行行长、分管行长); archive targets ≥ 50k: 80%, ≥ 200k: 90%, ≥ 1m: 100%; a
 * service plan from 1m; ≥ 1m hold ≥ 5 kinds; ≥ 200k hold 理财金卡 (LCCARD), 信用卡 (CARD),
 * 网银U盾 (UKEY) at ≥ 80%.
 */

const standards = bundledStandards('d2')!;

function person(id: string, profile?: Partial<CustomerProfile>, branchId = 'B1'): CustomerFacts {
  const f: CustomerFacts = { customerId: id, branchId, months: [] };
  if (profile) f.profile = { archive: {}, servicePlan: {}, ...profile };
  return f;
}

const MID = '资产20万–100万元客户';
const HIGH = '资产100万–500万元客户';
const TOP = '资产500万元以上客户';
const MID_ROLES = '理财经理、大堂经理、营销经理、柜员';
const HIGH_ROLES = '个金科负责人、网点负责人';

describe('owner check: the manager’s role is one the band names', () => {
  const cases: { name: string; assets: string; managerId?: string; role?: Role; reason: string | null }[] = [
    { name: 'mid band, no manager', assets: '500000', reason: `${MID}未指定管户经理，应由${MID_ROLES}管户` },
    { name: 'mid band, a role but no manager id: still no owner', assets: '500000', role: 'teller', reason: `${MID}未指定管户经理，应由${MID_ROLES}管户` },
    { name: 'high band, manager with no role on record', assets: '1000000', managerId: 'M1', reason: `管户经理M1的岗位未登记，${HIGH}应由${HIGH_ROLES}管户` },
    { name: 'high band owned by a 理财经理: wrong role', assets: '2000000', managerId: 'M2', role: 'wealth-manager', reason: `管户经理M2为理财经理，${HIGH}应由${HIGH_ROLES}管户` },
    { name: 'mid band owned by a 网点负责人: not a mid-band role', assets: '999999.99', managerId: 'M3', role: 'outlet-head', reason: `管户经理M3为网点负责人，${MID}应由${MID_ROLES}管户` },
    { name: 'top band owned by a 个金科负责人: wrong role', assets: '5000000', managerId: 'M4', role: 'retail-head', reason: `管户经理M4为个金科负责人，${TOP}应由支行行长、分管行长管户` },
    { name: 'mid band, 柜员 (exactly 200,000): right role → none', assets: '200000', managerId: 'M5', role: 'teller', reason: null },
    { name: 'high band, 网点负责人: right role → none', assets: '4999999.99', managerId: 'M6', role: 'outlet-head', reason: null },
    { name: 'top band, 分管行长: right role → none', assets: '8000000', managerId: 'M7', role: 'vice-president', reason: null },
    { name: 'below 200,000 (199,999.99): no band, no owner required → none even without a manager', assets: '199999.99', reason: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const profile: Partial<CustomerProfile> = {};
      if (c.managerId !== undefined) profile.managerId = c.managerId;
      if (c.role !== undefined) profile.managerRole = c.role;
      const f = person('O-1', profile);
      const result = ownerMismatch(f, bandByAssets(standards, fen(c.assets)));
      if (c.reason === null) {
        expect(result).toBeNull();
        return;
      }
      expect(result).not.toBeNull();
      expect(result!.reason).toBe(c.reason);
      expect(result!.customerId).toBe('O-1');
      expect(result!.branchId).toBe('B1');
      expect(result!.managerId).toBe(c.managerId ?? null);
      expect(result!.managerRole).toBe(c.role ?? null);
    });
  }

  it('a customer with no profile at all in the high band: a mismatch naming the band and its roles', () => {
    const result = ownerMismatch(person('O-2'), bandByAssets(standards, fen('3000000')))!;
    expect(result.band).toBe('high');
    expect(result.expectedRoles).toEqual(['retail-head', 'outlet-head']);
    expect(result.reason).toBe(`${HIGH}未指定管户经理，应由${HIGH_ROLES}管户`);
  });
});

const FULL_ARCHIVE = { homeAddress: '北京市西城区复兴门内大街1号', employer: '某某公司', mobile: '13800138000', homePhone: '010-66596688', riskProfile: 'C3', productPreference: '稳健理财' };
const FULL_PLAN = { riskTolerance: '中等', assetsAndLiabilities: '房产一套，无负债', cashFlow: '月入5万', fundFlows: '定期转入理财', productsUsed: '存款、理财、基金' };

describe('archive completeness: six fields; five more (the service plan) from 1,000,000', () => {
  const cases: { name: string; assets: string; archive: Record<string, string>; plan?: Record<string, string>; required: number; filled: number; completeness: number; missing: string[] }[] = [
    { name: '500,000, all six filled → 6/6 = 100%, archived', assets: '500000', archive: FULL_ARCHIVE, required: 6, filled: 6, completeness: 100, missing: [] },
    {
      name: '500,000, employer empty text and home phone absent → 4/6 = 66.7% → 66',
      assets: '500000',
      archive: { ...FULL_ARCHIVE, employer: '', homePhone: '' },
      required: 6,
      filled: 4,
      completeness: 66,
      missing: ['工作单位', '家庭电话'],
    },
    { name: '999,999.99: no service plan required → 6/6', assets: '999999.99', archive: FULL_ARCHIVE, required: 6, filled: 6, completeness: 100, missing: [] },
    {
      name: '1,000,000, six filled, no plan → 6/11 = 54.5% → 54, the five plan fields missing',
      assets: '1000000',
      archive: FULL_ARCHIVE,
      required: 11,
      filled: 6,
      completeness: 54,
      missing: ['服务方案·风险承受能力', '服务方案·资产负债', '服务方案·现金流', '服务方案·资金流向', '服务方案·使用产品'],
    },
    {
      name: '1,000,000, six filled, plan without cash flow and fund flows → 9/11 = 81.8% → 81',
      assets: '1000000',
      archive: FULL_ARCHIVE,
      plan: { ...FULL_PLAN, cashFlow: '', fundFlows: '' },
      required: 11,
      filled: 9,
      completeness: 81,
      missing: ['服务方案·现金流', '服务方案·资金流向'],
    },
    { name: '1,000,000, everything filled → 11/11, archived', assets: '1000000', archive: FULL_ARCHIVE, plan: FULL_PLAN, required: 11, filled: 11, completeness: 100, missing: [] },
    {
      name: '30,000 with nothing on file → 0/6 = 0%, all six missing in archive order',
      assets: '30000',
      archive: {},
      required: 6,
      filled: 0,
      completeness: 0,
      missing: ['家庭住址', '工作单位', '手机号码', '家庭电话', '风险特征', '产品偏好'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = person('A-1', { archive: c.archive, servicePlan: c.plan ?? {} });
      const result = customerCoverage(standards, f, fen(c.assets), ['DEP']);
      expect([result.required, result.filled, result.completeness]).toEqual([c.required, c.filled, c.completeness]);
      expect(result.missing).toEqual(c.missing);
      expect(result.archived).toBe(c.missing.length === 0);
    });
  }

  it('from a facts line: empty or blank text counts as missing (blank is trimmed to empty)', () => {
    const parsed = parseFactsLine({
      customerId: 'A-2',
      months: [],
      profile: { archive: { ...FULL_ARCHIVE, employer: '   ', mobile: '' } },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const result = customerCoverage(standards, parsed.line.facts, fen('300000'), []);
    expect(result.missing).toEqual(['工作单位', '手机号码']);
    expect(result.filled).toBe(4);
    expect(result.archived).toBe(false);
  });
});

describe('product coverage per customer', () => {
  const cases: { name: string; assets: string; products: string[]; kinds: number; meetsKinds: boolean | null; held: string[]; missing: string[] | null }[] = [
    { name: '1,000,000 with 5 kinds incl. CARD → meets 5 kinds; lacks 理财金卡 and U盾', assets: '1000000', products: ['DEP', 'WMP', 'FUND', 'INS', 'CARD'], kinds: 5, meetsKinds: true, held: ['信用卡'], missing: ['理财金卡', '网银U盾'] },
    { name: '1,000,000 with 4 kinds → does not meet 5', assets: '1000000', products: ['DEP', 'LCCARD', 'CARD', 'UKEY'], kinds: 4, meetsKinds: false, held: ['理财金卡', '信用卡', '网银U盾'], missing: [] },
    { name: 'a code listed twice counts once: DEP, DEP, WMP, FUND, INS → 4 kinds', assets: '2000000', products: ['DEP', 'DEP', 'WMP', 'FUND', 'INS'], kinds: 4, meetsKinds: false, held: [], missing: ['理财金卡', '信用卡', '网银U盾'] },
    { name: '999,999.99: the 5-kinds rule does not apply (null); the three-product rule does', assets: '999999.99', products: ['DEP', 'LCCARD'], kinds: 2, meetsKinds: null, held: ['理财金卡'], missing: ['信用卡', '网银U盾'] },
    { name: '200,000 exactly: the three-product rule applies', assets: '200000', products: ['UKEY'], kinds: 1, meetsKinds: null, held: ['网银U盾'], missing: ['理财金卡', '信用卡'] },
    { name: '199,999.99: neither rule applies (null), held products still shown', assets: '199999.99', products: ['CARD'], kinds: 1, meetsKinds: null, held: ['信用卡'], missing: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = customerCoverage(standards, person('P-1'), fen(c.assets), c.products);
      expect(result.productKinds).toBe(c.kinds);
      expect(result.meetsKinds).toBe(c.meetsKinds);
      expect(result.heldRequired).toEqual(c.held);
      expect(result.missingRequired).toEqual(c.missing);
    });
  }
});

describe('branch figures against the D3 targets (exact: meeting × 100 ≥ target × customers)', () => {
  const R5 = '建档覆盖率·资产5万以上';
  const R20 = '建档覆盖率·资产20万以上';
  const R100 = '建档覆盖率·资产100万以上';
  const KINDS = '产品覆盖·资产100万以上持有5种以上';
  const LC = '产品覆盖·资产20万以上持有理财金卡';
  const CARD = '产品覆盖·资产20万以上持有信用卡';
  const UKEY = '产品覆盖·资产20万以上持有网银U盾';

  /** n customers in a branch at the given assets; the first `archived` have a full archive (and plan). */
  function add(tally: BranchCoverageTally, branch: string, n: number, assets: string, archived: number, products: (i: number) => string[]): void {
    for (let i = 0; i < n; i++) {
      const f = person(`${branch}-${assets}-${i}`, i < archived ? { archive: FULL_ARCHIVE, servicePlan: FULL_PLAN } : {}, branch);
      tally.add(customerCoverage(standards, f, fen(assets), products(i)));
    }
  }

  const tally = new BranchCoverageTally(standards);
  // B1: ten at 300,000, nine archived; all hold LCCARD, the first 8 CARD, the first 7 UKEY.
  add(tally, 'B1', 10, '300000', 9, (i) => ['DEP', 'LCCARD', ...(i < 8 ? ['CARD'] : []), ...(i < 7 ? ['UKEY'] : [])]);
  // B2: ten at 300,000, eight archived, all three products.
  add(tally, 'B2', 10, '300000', 8, () => ['LCCARD', 'CARD', 'UKEY']);
  // B3: three at 2,000,000, two archived; the first has 5 kinds, the others 3.
  //     plus four at 60,000 (only the ≥ 50k rule), three archived; plus one at 40,000 (no rule at all).
  add(tally, 'B3', 3, '2000000', 2, (i) => (i === 0 ? ['DEP', 'WMP', 'FUND', 'LCCARD', 'CARD'] : ['DEP', 'WMP', 'UKEY']));
  add(tally, 'B3', 4, '60000', 3, () => ['DEP']);
  add(tally, 'B3', 1, '40000', 0, () => ['DEP']);
  const result = tally.result();
  const figures = (branch: string): Record<string, Omit<CoverageFigure, 'rule'>> =>
    Object.fromEntries(result.find((b) => b.branchId === branch)!.figures.map(({ rule, ...rest }) => [rule, rest]));

  it('lists the branches in id order', () => {
    expect(result.map((b) => b.branchId)).toEqual(['B1', 'B2', 'B3']);
  });

  it('B1: 9 of 10 archived meets 80% and 90%; 理财金卡 10/10, 信用卡 8/10 = 80% meet 80%; U盾 7/10 = 70% does not', () => {
    expect(figures('B1')).toEqual({
      [R5]: { customers: 10, meeting: 9, percent: 90, target: 80, met: true },
      [R20]: { customers: 10, meeting: 9, percent: 90, target: 90, met: true },
      [LC]: { customers: 10, meeting: 10, percent: 100, target: 80, met: true },
      [CARD]: { customers: 10, meeting: 8, percent: 80, target: 80, met: true },
      [UKEY]: { customers: 10, meeting: 7, percent: 70, target: 80, met: false },
    });
  });

  it('B2: 8 of 10 archived meets 80% (≥ 50k) but not 90% (≥ 200k)', () => {
    expect(figures('B2')).toEqual({
      [R5]: { customers: 10, meeting: 8, percent: 80, target: 80, met: true },
      [R20]: { customers: 10, meeting: 8, percent: 80, target: 90, met: false },
      [LC]: { customers: 10, meeting: 10, percent: 100, target: 80, met: true },
      [CARD]: { customers: 10, meeting: 10, percent: 100, target: 80, met: true },
      [UKEY]: { customers: 10, meeting: 10, percent: 100, target: 80, met: true },
    });
  });

  it('B3: 1m customers 2 of 3 archived (66%) miss 100%; ≥ 50k is 5 of 7 (71%) < 80%; 5 kinds 1 of 3; the 40,000 customer counts nowhere', () => {
    // ≥ 50k: three at 2m (2 archived) + four at 60k (3 archived) = 5 of 7 → floor(500 / 7) = 71
    // ≥ 200k: the three at 2m, 2 archived → floor(200 / 3) = 66; ≥ 1m: the same
    // 理财金卡: only the first 2m customer → 1/3 = 33; 信用卡 the same; U盾: the other two → 2/3 = 66
    expect(figures('B3')).toEqual({
      [R5]: { customers: 7, meeting: 5, percent: 71, target: 80, met: false },
      [R20]: { customers: 3, meeting: 2, percent: 66, target: 90, met: false },
      [R100]: { customers: 3, meeting: 2, percent: 66, target: 100, met: false },
      [KINDS]: { customers: 3, meeting: 1, percent: 33, target: 100, met: false },
      [LC]: { customers: 3, meeting: 1, percent: 33, target: 80, met: false },
      [CARD]: { customers: 3, meeting: 1, percent: 33, target: 80, met: false },
      [UKEY]: { customers: 3, meeting: 2, percent: 66, target: 80, met: false },
    });
  });

  it('a customer without a branch is tallied under "(none)"; 4 of 5 at 1,000,000 archived is 80% < 100%', () => {
    const t = new BranchCoverageTally(standards);
    for (let i = 0; i < 5; i++) {
      const f: CustomerFacts = { customerId: `N-${i}`, months: [] };
      if (i < 4) f.profile = { archive: FULL_ARCHIVE, servicePlan: FULL_PLAN };
      t.add(customerCoverage(standards, f, fen('1000000'), ['DEP', 'WMP', 'FUND', 'INS', 'CARD']));
    }
    const [none] = t.result();
    expect(none!.branchId).toBe('(none)');
    const r100 = none!.figures.find((x) => x.rule === R100)!;
    expect([r100.customers, r100.meeting, r100.percent, r100.met]).toEqual([5, 4, 80, false]);
    const kinds = none!.figures.find((x) => x.rule === KINDS)!;
    expect([kinds.customers, kinds.meeting, kinds.percent, kinds.met]).toEqual([5, 5, 100, true]);
  });
});
