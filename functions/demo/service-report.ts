import type { DemoBank } from './demo-bank.js';
import { compliancePercent, type ServiceSummary } from './service-summary.js';
import { maskName } from './summary-report.js';
import { formatTable, groupThousands } from './text-table.js';

/** The printed service section of the demo: contact work, tasks, prospects, owners, coverage. */
export function renderServiceSummary(summary: ServiceSummary, bank: DemoBank, tierName: (code: string) => string, files: { contacts: string; lists: string; workbooks: string; rerun: string }): string {
  const out: string[] = [];
  const branchName = new Map(bank.branches.map((b) => [b.branchId, b.name]));
  const customerName = new Map(bank.customers.map((c) => [c.customerId, c.name]));
  const compliance = compliancePercent(summary);
  const due = summary.dueSoFar;
  out.push('', `联系服务 Contact work (${summary.served} 位达标准客户 customers under a service standard)`);
  out.push(
    `  截至今日应完成 due so far: ${due.onTime + due.late + due.overdue} 项 items — 按时 on time ${due.onTime} · 逾期完成 late ${due.late} · 逾期未做 overdue ${due.overdue}` +
      (compliance === null ? '' : ` · 按时率 on-time ${compliance}%`),
  );
  out.push(`  今日到期 due today ${summary.dueToday} · 本周到期 rest of this week ${summary.dueThisWeek}`);
  out.push('', `待办 Tasks: ${summary.tasks.total} (逾期 overdue ${summary.tasks.overdue})  ` + summary.tasks.byKind.map((k) => `${k.kindZh} ${k.count}`).join(' · '));
  out.push('', `升级名单 Promotion prospects (前 top ${summary.topPromotions.length}, D4 排序 ranked by room, products, age, maturities)`);
  out.push(
    ...formatTable(
      ['名次 rank', '客户号 customer', '姓名 name', '支行 branch', '目标 next', '得分 score', '本期需补足 this period', '下期起需补足 from next', '理由 why'],
      summary.topPromotions.map((p) => [
        String(p.rank),
        p.customerId,
        maskName(customerName.get(p.customerId) ?? ''),
        branchName.get(p.branchId ?? '') ?? p.branchId ?? '',
        tierName(p.nextTier),
        String(p.score),
        p.topUpToday === null ? '-' : groupThousands(p.topUpToday),
        p.topUpForNextPeriod === null ? '-' : groupThousands(p.topUpForNextPeriod),
        p.reasons.join('，'),
      ]),
      ['right', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'],
    ),
  );
  out.push('', `管户岗位不符 Owner not of the role D2 asks: ${summary.ownerMismatches} 位 customers`);
  out.push('', '建档与产品覆盖 Archive and product coverage vs D3 targets (达标 ✓ / 未达标 ✗)');
  const rules = [...new Set(summary.coverage.flatMap((b) => b.figures.map((f) => f.rule)))];
  out.push(
    ...formatTable(
      ['支行 branch', ...rules.map((r) => r.replace(/^建档覆盖率·/, '建档 ').replace(/^产品覆盖·/, ''))],
      summary.coverage.map((b) => [
        branchName.get(b.branchId) ?? b.branchId,
        ...rules.map((rule) => {
          const f = b.figures.find((x) => x.rule === rule);
          return f === undefined || f.percent === null ? '-' : `${f.percent}%/${f.target}% ${f.met ? '✓' : '✗'}`;
        }),
      ]),
      ['left', ...rules.map(() => 'right' as const)],
    ),
  );
  out.push('', '文件 Files');
  out.push(`  联系到期 contacts due  ${files.contacts}`);
  out.push(`  名单 lists             ${files.lists}/ (promotion, watch, tasks, owners, archive, branch-coverage)`);
  out.push(`  支行工作簿 workbooks   ${files.workbooks}/ — one .xlsx per branch (客户名单, 升级名单, 降级预警, 待办, 考核); Excel, WPS and LibreOffice open them`);
  out.push(`  重新生成 re-run        ${files.rerun}`);
  return out.join('\n') + '\n';
}
