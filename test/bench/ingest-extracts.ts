import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCivilDay, isoWeekday, type CivilDay } from '../../shared/calendar/civil-date.js';
import { INGEST_FILES } from '../../shared/ingest/ingest-files.js';
import { createSeededRandom } from '../../functions/demo/seeded-random.js';

/**
 * A core-banking extract set for one business date, the same for a given seed: the full
 * customer master (banks send it every day; about 1% of its rows, a new mobile, differ from
 * one date to the next), FX rates, about three balance rows per customer
 * (some in USD or HKD), card transactions for a third of the customers, loans for a tenth
 * and maturity-dated holdings for a twentieth. Every row is valid, so every row is written.
 */

export interface ExtractCounts {
  customers: number;
  balances: number;
  cards: number;
  loans: number;
  holdings: number;
  bytes: number;
}

const BRANCHES = 40;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军', '杰', '霞'];
const DEPOSITS = ['DEP', 'TD', 'WMP', 'FUND', 'INS', 'GOLD'];
const CATEGORIES = ['grocery', 'dining', 'travel', 'online', 'fuel', 'car'];

export function customerIdOf(n: number): string {
  return `C${String(n).padStart(8, '0')}`;
}

/** The first `count` business days (Monday to Friday) from `first` on. */
export function businessDays(first: CivilDay, count: number): CivilDay[] {
  const days: CivilDay[] = [];
  for (let day = first; days.length < count; day++) if (isoWeekday(day) <= 5) days.push(day);
  return days;
}

const money = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** Writes the date's six extract files into `dir` (created). */
export function writeExtracts(dir: string, date: CivilDay, customers: number, seed: number): ExtractCounts {
  mkdirSync(dir, { recursive: true });
  // One stream for who each customer is (the same every date), one for the date's figures.
  const stable = createSeededRandom(seed);
  const daily = createSeededRandom(seed ^ (date * 2654435761));
  const dateText = formatCivilDay(date).replaceAll('-', '');
  const master = ['customer_id,branch_id,name,birthday,mobile,risk_profile,manager_id,manager_role'];
  const balances = ['customer_id,account_id,product,currency,balance'];
  const cards = ['customer_id,txn_id,amount,currency,category,zero_discount'];
  const loans = ['customer_id,loan_id,balance,currency,class'];
  const holdings = ['customer_id,product,amount,currency,maturity_date'];
  for (let n = 0; n < customers; n++) {
    const id = customerIdOf(n);
    const branch = `B${String(1 + (n % BRANCHES)).padStart(3, '0')}`;
    const name = `${stable.pick(SURNAMES)}${stable.pick(GIVEN)}${stable.chance(0.5) ? stable.pick(GIVEN) : ''}`;
    const birthday = `${stable.int(1950, 2000)}${String(stable.int(1, 12)).padStart(2, '0')}${String(stable.int(1, 28)).padStart(2, '0')}`;
    const stableMobile = `1${stable.int(3, 9)}${String(stable.int(0, 999_999_999)).padStart(9, '0')}`;
    // about one master row in a hundred differs from the day before: a number of the day's own
    const mobile = daily.chance(0.01) ? `1${daily.int(3, 9)}${String(daily.int(0, 999_999_999)).padStart(9, '0')}` : stableMobile;
    master.push(`${id},${branch},${name},${birthday},${mobile},C${stable.int(1, 5)},M${branch}-${stable.int(1, 8)},wealth-manager`);
    // lognormal wealth around 200k yuan, so that every tier has customers
    const wealth = Math.exp(12.2 + 1.3 * stable.normal()) * 100;
    const accounts = stable.int(1, 5);
    for (let k = 0; k < accounts; k++) {
      const fen = Math.max(0, Math.round((wealth / accounts) * (0.97 + 0.06 * daily.next())));
      const foreign = stable.chance(0.08);
      balances.push(`${id},A${n}-${k},${stable.pick(DEPOSITS)},${foreign ? stable.pick(['USD', 'HKD']) : 'CNY'},${money(foreign ? Math.round(fen / 7) : fen)}`);
    }
    if (daily.chance(1 / 3)) {
      for (let t = daily.int(1, 3); t > 0; t--) cards.push(`${id},T${dateText}-${n}-${t},${money(daily.int(500, 500_000))},CNY,${daily.pick(CATEGORIES)},${daily.chance(0.05) ? 'Y' : 'N'}`);
    }
    if (stable.chance(0.1)) loans.push(`${id},L${n},${money(stable.int(10_000_00, 3_000_000_00))},CNY,${stable.chance(0.95) ? 'normal' : '关注'}`);
    if (stable.chance(0.05)) holdings.push(`${id},TD,${money(stable.int(50_000_00, 1_000_000_00))},CNY,2027${String(stable.int(1, 12)).padStart(2, '0')}15`);
  }
  const fx = ['currency,rate', 'USD,7.123456', 'HKD,0.912345', 'EUR,7.654321'];
  const files: [string, string[]][] = [
    [INGEST_FILES.customers.file, master],
    [INGEST_FILES.fx.file, fx],
    [INGEST_FILES.balances.file, balances],
    [INGEST_FILES.cards.file, cards],
    [INGEST_FILES.loans.file, loans],
    [INGEST_FILES.holdings.file, holdings],
  ];
  let bytes = 0;
  for (const [file, lines] of files) {
    const text = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, file), text);
  }
  const rows = (lines: string[]) => lines.length - 1;
  return { customers: rows(master), balances: rows(balances), cards: rows(cards), loans: rows(loans), holdings: rows(holdings), bytes };
}
