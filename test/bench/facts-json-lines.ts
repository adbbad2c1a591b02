import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { formatYuan } from '../../shared/money.js';
import { formatMonth } from '../../shared/month.js';

/**
 * Generated customers as the lines of a facts file (README "CLI": amounts in yuan), the
 * input `ladder assess` reads. Amounts are written as JSON numbers with two decimals,
 * which parseYuan reads exactly.
 */
export function toFactsJsonLine(customer: CustomerFacts): string {
  const months = customer.months.map(monthJson).join(',');
  const branch = customer.branchId === undefined ? '' : `,"branchId":${JSON.stringify(customer.branchId)}`;
  return `{"customerId":${JSON.stringify(customer.customerId)}${branch},"months":[${months}]}`;
}

function monthJson(m: MonthFacts): string {
  return (
    `{"month":"${formatMonth(m.month)}","assetDaySum":${formatYuan(m.assetDaySum)},"monthEndAssets":${formatYuan(m.monthEndAssets)},` +
    `"loanBalance":${formatYuan(m.loanBalance)},"cardSpend":${formatYuan(m.cardSpend)},"txnCount":${m.txnCount},"products":${JSON.stringify(m.products)}}`
  );
}

/**
 * `count` lines from the customer stream, `batch` lines per chunk, made only when the
 * reader asks for them: memory holds one chunk, never the file. `afterChunk` gets the
 * nanoseconds spent making each chunk (so generation can be taken out of the figures) and
 * the lines made so far.
 */
export function* factsLineChunks(next: () => CustomerFacts, count: number, batch: number, afterChunk: (ns: bigint, linesSoFar: number) => void): Generator<string> {
  for (let done = 0; done < count; ) {
    const start = process.hrtime.bigint();
    const size = Math.min(batch, count - done);
    const lines = new Array<string>(size);
    for (let i = 0; i < size; i++) lines[i] = toFactsJsonLine(next());
    const chunk = lines.join('\n') + '\n';
    done += size;
    afterChunk(process.hrtime.bigint() - start, done);
    yield chunk;
  }
}
