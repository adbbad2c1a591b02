import iconv from 'iconv-lite';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { civilDay, formatCivilDay } from '../../shared/calendar/civil-date.js';
import { parseBusinessDate } from '../../shared/business-date.js';
import { parseYuan } from '../../shared/money.js';
import { formatYuan } from '../../shared/money.js';
import { ROLE_ZH } from '../../shared/service/service-vocabulary.js';
import type { DemoBank, DemoBranch, FactsLineJson } from './demo-bank.js';

/**
 * Writes the demo bank as core-banking extracts, so the demo goes through the real ingest:
 * history.csv (the months before this one, as a bank's initial load) and one folder per
 * business date of this month up to today (daily/YYYY-MM-DD/: customers.csv in GB18030 with
 * Chinese headers and the branch register — branches.csv, staff.csv in GB18030 — on the first
 * day, fx.csv, balances.csv, loans.csv, card_txns.csv, holdings.csv), plus the contact log.
 * Ingesting the folders in order therefore sets up the branches with no other step.
 */

export interface DemoExtracts {
  historyFile: string;
  dailyDirs: { date: string; dir: string }[];
  contactsFile: string;
}

export async function writeDemoExtracts(bank: DemoBank, outDir: string): Promise<DemoExtracts> {
  const today = parseBusinessDate(bank.today);
  if (today === null) throw new Error(`bad demo date ${bank.today}`);
  await mkdir(outDir, { recursive: true });
  const currentMonth = bank.today.slice(0, 7);

  const history = ['customer_id,branch_id,month,asset_day_sum,month_end_assets,loan_balance,card_spend,txn_count,products'];
  for (const line of bank.factsLines) {
    for (const m of line.months) {
      if (m.month >= currentMonth) continue;
      history.push([line.customerId, line.branchId, m.month, m.assetDaySum, m.monthEndAssets, m.loanBalance, m.cardSpend, m.txnCount, m.products.join(';')].join(','));
    }
  }
  const historyFile = join(outDir, 'history.csv');
  await writeFile(historyFile, history.join('\n') + '\n');

  const dailyDirs: DemoExtracts['dailyDirs'] = [];
  const year = Math.floor(today.month / 12);
  const monthNumber = (today.month % 12) + 1;
  for (let day = 1; day <= today.day; day++) {
    const date = formatCivilDay(civilDay(year, monthNumber, day));
    const dir = join(outDir, 'daily', date);
    await mkdir(dir, { recursive: true });
    await writeDay(dir, bank.factsLinesToDate, currentMonth, day);
    if (day === 1) await writeRegister(dir, bank.branches);
    dailyDirs.push({ date, dir });
  }
  const contactsFile = join(outDir, 'contacts.jsonl');
  await writeFile(contactsFile, bank.contactLines.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return { historyFile, dailyDirs, contactsFile };
}

async function writeDay(dir: string, lines: readonly FactsLineJson[], month: string, day: number): Promise<void> {
  const balances = ['customer_id,account_id,product,currency,balance'];
  const loans = ['customer_id,loan_id,balance,currency,class'];
  const cards = ['customer_id,txn_id,amount,currency,category,zero_discount'];
  const holdings = ['customer_id,product,amount,currency,maturity_date'];
  const master = ['客户号,机构号,姓名,出生日期,手机号码,家庭电话,家庭住址,工作单位,风险等级,产品偏好,客户经理,客户经理岗位'];
  for (const line of lines) {
    const running = line.months.find((m) => m.month === month);
    if (!running) continue;
    // The month-to-date figures hold the same end-of-day balance every day so far.
    const balance = fen(running.monthEndAssets);
    const invested = running.products.includes('WMP') ? Math.floor(balance * 0.4) : 0;
    balances.push(`${line.customerId},${line.customerId}-D,DEP,CNY,${formatYuan(balance - invested)}`);
    if (invested > 0) balances.push(`${line.customerId},${line.customerId}-W,WMP,CNY,${formatYuan(invested)}`);
    if (fen(running.loanBalance) > 0) loans.push(`${line.customerId},${line.customerId}-L,${running.loanBalance},CNY,正常`);
    if (day === 1 && fen(running.cardSpend) > 0) cards.push(`${line.customerId},${line.customerId}-T${month},${running.cardSpend},CNY,grocery,N`);
    for (const m of line.maturities ?? []) holdings.push(`${line.customerId},${m.product},${m.amount},CNY,${m.date}`);
    if (day === 1 && line.profile) {
      const p = line.profile;
      const a = p.archive;
      master.push(
        [line.customerId, line.branchId, p.name, p.birthday, a['mobile'] ?? '', a['homePhone'] ?? '', a['homeAddress'] ?? '', a['employer'] ?? '', a['riskProfile'] ?? '', a['productPreference'] ?? '', p.managerId, p.managerRole]
          .map(csvCell)
          .join(','),
      );
    }
  }
  await writeFile(join(dir, 'balances.csv'), balances.join('\n') + '\n');
  await writeFile(join(dir, 'loans.csv'), loans.join('\n') + '\n');
  await writeFile(join(dir, 'card_txns.csv'), cards.join('\n') + '\n');
  await writeFile(join(dir, 'holdings.csv'), holdings.join('\n') + '\n');
  await writeFile(join(dir, 'fx.csv'), 'currency,rate\nUSD,7.100000\nHKD,0.910000\n');
  // Many Chinese core systems still export the customer master in GB18030.
  if (day === 1) await writeFile(join(dir, 'customers.csv'), iconv.encode(master.join('\n') + '\n', 'gb18030'));
}

/** The branch register as a core system exports it: Chinese headers and role words; staff.csv in GB18030 like the master. */
async function writeRegister(dir: string, branches: readonly DemoBranch[]): Promise<void> {
  const register = ['机构号,机构名称,上级机构号', ...branches.map((b) => [b.branchId, b.name, ''].map(csvCell).join(','))];
  const staff = ['员工号,机构号,姓名,岗位', ...branches.flatMap((b) => b.managers.map((m) => [m.managerId, b.branchId, m.name, ROLE_ZH[m.role]].map(csvCell).join(',')))];
  await writeFile(join(dir, 'branches.csv'), register.join('\n') + '\n');
  await writeFile(join(dir, 'staff.csv'), iconv.encode(staff.join('\n') + '\n', 'gb18030'));
}

function fen(yuan: string): number {
  const parsed = parseYuan(yuan);
  if (!parsed.ok) throw new Error(`demo amount ${yuan} is not an amount`);
  return parsed.fen;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
