/**
 * The metrics a tier condition may test (tier-rules.md, "Metrics at month M").
 * Daily averages are never divided before comparing: they are kept as (sum of
 * day-balances, days) and compared as `sum >= min × days`.
 */
export const METRIC_NAMES = [
  'mda',
  'qda',
  'pda',
  'monthEndAssets',
  'loanBalance',
  'cardSpend12',
  'txnCount12',
  'productCount',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** `average`: fen compared over days; `amount`: fen; `count`: a whole number. */
export type MetricKind = 'average' | 'amount' | 'count';

export const METRIC_KIND: Readonly<Record<MetricName, MetricKind>> = {
  mda: 'average',
  qda: 'average',
  pda: 'average',
  monthEndAssets: 'amount',
  loanBalance: 'amount',
  cardSpend12: 'amount',
  txnCount12: 'count',
  productCount: 'count',
};

/** Small integers for the engine's hot loop, in METRIC_NAMES order. */
export const METRIC_ID = {
  mda: 0,
  qda: 1,
  pda: 2,
  monthEndAssets: 3,
  loanBalance: 4,
  cardSpend12: 5,
  txnCount12: 6,
  productCount: 7,
} as const satisfies Record<MetricName, number>;

export function isMoneyMetric(name: MetricName): boolean {
  return METRIC_KIND[name] !== 'count';
}

export const METRIC_LABEL_ZH: Readonly<Record<MetricName, string>> = {
  mda: '月日均金融资产',
  qda: '季日均金融资产',
  pda: '考核期日均金融资产',
  monthEndAssets: '月末金融资产',
  loanBalance: '月末正常类个人贷款余额',
  cardSpend12: '近12个月信用卡消费',
  txnCount12: '近12个月交易笔数',
  productCount: '持有产品种类数',
};
