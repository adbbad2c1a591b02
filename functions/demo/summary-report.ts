import { formatYuan } from '../../shared/money.js';
import type { MetricName } from '../../shared/metric.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { DemoBank } from './demo-bank.js';
import type { DemoSummary, GapEntry, Ranked, TierMove, WatchEntry } from './demo-summary.js';
import { formatTable, groupThousands } from './text-table.js';

/**
 * The demo's printed summary: the summary's figures with the bank's names put back,
 * Chinese first and English after, so it reads like a branch report.
 */

export interface ReportFiles {
  facts: string;
  assessments: string;
  rejects: string;
  rerun: string;
}

const METRIC_SHORT: Readonly<Record<MetricName, string>> = {
  mda: '月日均 MDA',
  qda: '季日均 QDA',
  pda: '期日均 PDA',
  monthEndAssets: '月末资产 month-end',
  loanBalance: '贷款 loan',
  cardSpend12: '卡消费12月 card 12m',
  txnCount12: '交易笔数 txns 12m',
  productCount: '产品数 products',
};

export function renderSummary(summary: DemoSummary, bank: DemoBank, scheme: Scheme, files: ReportFiles): string {
  const tierName = new Map(scheme.tiers.map((t) => [t.code, t.name.zh]));
  const tierLabel = (code: string) => tierName.get(code) ?? code;
  const branchName = new Map(bank.branches.map((b) => [b.branchId, b.name]));
  const managerName = new Map(bank.branches.flatMap((b) => b.managers.map((m) => [m.managerId, m.name] as const)));
  const customer = new Map(bank.customers.map((c) => [c.customerId, c]));
  const who = (customerId: string) => {
    const c = customer.get(customerId);
    return { name: c ? maskName(c.name) : '', manager: c ? (managerName.get(c.managerId) ?? '') : '' };
  };
  const branchOf = (branchId: string) => branchName.get(branchId) ?? branchId;

  const out: string[] = [];
  out.push(`wealth-ladder 演示银行 demo bank — ${scheme.name.zh} (${scheme.id})`);
  out.push(
    `今天 today ${bank.today} (Asia/Shanghai) · 数据 facts ${bank.firstMonth} … ${bank.lastMonth} · 评定月 assessed ${summary.assessedAt ?? '-'} · ` +
      `${summary.customers} 位客户 customers · ${bank.branches.length} 家支行 branches`,
  );

  out.push('', '等级分布 Tier counts');
  const tiers = summary.tierOrder;
  out.push(
    ...formatTable(
      ['支行 branch', ...tiers.map(tierLabel), '合计 total'],
      [
        ...summary.byBranch.map((b) => [branchOf(b.branchId), ...tiers.map((t) => String(b.counts[t] ?? 0)), String(b.total)]),
        ['全行 all', ...tiers.map((t) => String(summary.overall[t] ?? 0)), String(summary.customers)],
      ],
      ['left', ...tiers.map(() => 'right' as const), 'right'],
    ),
  );

  const moveTable = (title: string, moves: Ranked<TierMove>) => {
    out.push('', `${title}: ${moves.count}${moves.count > moves.top.length ? ` (前 top ${moves.top.length})` : ''}`);
    if (moves.top.length === 0) return;
    out.push(
      ...formatTable(
        ['客户号 customer', '姓名 name', '支行 branch', '客户经理 RM', '原等级 from', '新等级 to'],
        moves.top.map((m) => [m.customerId, who(m.customerId).name, branchOf(m.branchId), who(m.customerId).manager, tierLabel(m.from), tierLabel(m.to)]),
        ['left', 'left', 'left', 'left', 'left', 'left'],
      ),
    );
  };
  moveTable(`本次升级 Promotions at ${summary.assessedAt ?? '-'}`, summary.promotions);
  moveTable(`本次降级 Downgrades at ${summary.assessedAt ?? '-'}`, summary.downgrades);

  const watch: Ranked<WatchEntry> = summary.watch;
  out.push('', `关注客户 Watch list (剩余 = 再连续未达标几次即降级 left = failed assessments before losing the tier): ${watch.count}${watch.count > watch.top.length ? ` (前 top ${watch.top.length})` : ''}`);
  if (watch.top.length > 0) {
    out.push(
      ...formatTable(
        ['客户号 customer', '姓名 name', '支行 branch', '客户经理 RM', '等级 tier', '连续未达标 below', '剩余 left'],
        watch.top.map((w) => [w.customerId, who(w.customerId).name, branchOf(w.branchId), who(w.customerId).manager, tierLabel(w.tier), String(w.belowCount), String(w.remaining)]),
        ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
      ),
    );
  }

  const closest: Ranked<GapEntry> = summary.closest;
  out.push('', `距下一等级最近 Closest to the next tier (主要差额 primary gap): 前 top ${closest.top.length} / ${closest.count}`);
  if (closest.top.length > 0) {
    out.push(
      ...formatTable(
        ['客户号 customer', '姓名 name', '支行 branch', '客户经理 RM', '当前 now', '下一等级 next', '差额(元) short (yuan)', '指标 metric'],
        closest.top.map((g) => [
          g.customerId,
          who(g.customerId).name,
          branchOf(g.branchId),
          who(g.customerId).manager,
          tierLabel(g.tier),
          tierLabel(g.nextTier),
          groupThousands(formatYuan(g.shortfall)),
          g.metrics.map((m) => METRIC_SHORT[m as MetricName] ?? m).join(' + '),
        ]),
        ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'left'],
      ),
    );
  }

  out.push('', '文件 Files');
  out.push(`  客户数据 facts        ${files.facts}`);
  out.push(`  评定结果 assessments  ${files.assessments}`);
  out.push(`  拒收记录 rejects      ${files.rejects}`);
  out.push(`  重新评定 re-run       ${files.rerun}`);
  return out.join('\n') + '\n';
}

/** 张伟明 → 张*明, 张伟 → 张*: consolidated reports show customers masked (docs/head-office.md, "Masking"). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
