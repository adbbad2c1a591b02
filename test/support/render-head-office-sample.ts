import { writeHeadOfficeWorkbook } from '../../functions/head-office/xlsx-head-office.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { BranchSummary, GroupFigures } from '../../shared/head-office/branch-summary.js';
import { headOfficeContent, totalOf } from '../../shared/head-office/consolidation.js';

/**
 * Writes a sample head-office workbook (three branches, a year of months) for the picture in
 * docs/head-office.md; not part of any test. After `npm run build`:
 *   node dist/test/support/render-head-office-sample.js out/head-office-sample
 *   soffice --headless --convert-to pdf --outdir out/head-office-sample out/head-office-sample/总行汇总-2026-11-10.xlsx
 *   pdftoppm -png -r 80 -f 3 -l 3 -singlefile out/head-office-sample/总行汇总-2026-11-10.pdf docs/head-office   # page 3 is 月度趋势
 * The figures are made up (a steady climb month by month) and carry no one's name.
 */

const scheme = bundledScheme('boc')!;
const dir = process.argv[2] ?? 'out/head-office-sample';

function figures(month: number, branch: number): GroupFigures {
  // month 0 = 2025-12 … 11 = 2026-11; branch 0..2: customers grow, some climb a tier
  const base = 400 + 120 * branch + 6 * month;
  const licai = 60 + 20 * branch + 4 * month;
  const wealth = 12 + 3 * branch + Math.floor(month / 2);
  const privateBank = 1 + branch + Math.floor(month / 5);
  return {
    customers: base + licai + wealth + privateBank,
    byTier: { base, licai, wealth, private: privateBank },
    promotions: 3 + ((month + branch) % 4),
    losses: (month + 2 * branch) % 3,
    watch: 2 + branch,
    aum: (base * 30_000 + licai * 400_000 + wealth * 2_000_000 + privateBank * 8_000_000) * 100,
    aumAverage: 0,
    coverage: [],
    contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 },
  };
}

const names = ['城东支行', '城西支行', '城北支行'];
const months = Array.from({ length: 12 }, (_, m) => {
  const month = m === 0 ? '2025-12' : `2026-${String(m).padStart(2, '0')}`;
  const summaries: BranchSummary[] = names.map((_, b) => ({ branchId: `B0${b + 1}`, businessDate: `${month}-28`, schemeId: 'boc', schemeVersion: scheme.version, ...figures(m, b), managers: [] }));
  return { month, summaries };
});
const latest = months[11]!.summaries.map((summary, b) => ({ summary: { ...summary, businessDate: '2026-11-10' }, name: names[b]!, managerNames: new Map<string, string>() }));
const content = headOfficeContent(
  scheme,
  '2026-11-10',
  latest,
  months.map((m) => ({ month: m.month, total: totalOf(scheme, m.summaries) })),
  months.slice(-2),
);
const report = await writeHeadOfficeWorkbook(dir, content);
console.log(report.path);
