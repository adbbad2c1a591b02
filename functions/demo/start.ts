import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { AssessLine } from '../../shared/assessment-output.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { assessLineProcessor } from '../cli/fact-commands.js';
import { closeOutput, openInput, openOutput, runJsonLines, type LineOutcome } from '../cli/jsonl-run.js';
import { generateDemoBank } from './demo-bank.js';
import { summarizeAssessments } from './demo-summary.js';
import { renderSummary } from './summary-report.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { toFactsLine } from '../../shared/facts-output.js';
import { runIngest } from '../ingest/run-ingest.js';
import { runHistoryIngest } from '../ingest/run-history-ingest.js';
import { streamCustomerFacts } from '../store/firestore-facts-reader.js';
import { writeDemoExtracts } from './demo-extracts.js';
import { withDemoStore } from './demo-store.js';
import { writeContacts } from '../store/firestore-service-log.js';
import { readFile } from 'node:fs/promises';
import { contactsLineProcessor, groupByCustomer } from '../cli/contact-commands.js';
import { listsCommand } from '../cli/lists-command.js';
import { parseContactLine, type ContactEntry } from '../../shared/service/contact-log.schema.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { renderServiceSummary } from './service-report.js';
import { summarizeService, type ContactsLine } from './service-summary.js';
import { createFirestore, DEFAULT_PROJECT, parseStoreConfig } from '../config.js';
import { startFirestoreEmulator } from '../emulator/firestore-emulator.js';
import { watchCommand } from '../cli/watch-command.js';
import { nightlyIntoWorkbooks } from './demo-workbooks.js';
import { xlsxHeadOfficeWriter } from '../head-office/xlsx-head-office.js';
import { backfillMonthEnds } from './demo-trend.js';
import { adoptDemoLedger, DEMO_LEDGER_FILE, describeDemoLedger } from './demo-ledger-adoption.js';

/**
 * `npm start`: generate the demo bank, write its facts file, assess it exactly as
 * `ladder assess` does, and print what a branch manager would read. The one place the
 * demo reads the clock. The branch workbooks (out/workbooks) are written by the nightly run
 * itself, through the local workbook gateway (demo-workbooks.ts).
 *
 * `npm start -- --watch`: the same, then the Firestore emulator stays up and out/workbooks is
 * watched (`ladder watch out/workbooks --register`) until Ctrl-C, so that a workbook edited
 * and saved in LibreOffice, WPS or Excel goes through the sheet-edit path and is recomputed.
 */

/** Fixed so that every run shows the same bank (only the months move with today). */
const DEMO_SEED = 20_240_601;
const SCHEME_ID = 'boc';
const OUT_DIR = 'out';
/** Months in head office's trend: the past month ends are run first (demo-trend.ts); six keep `npm start` quick. */
const DEMO_TREND_MONTHS = 6;

async function main(): Promise<number> {
  const today = DateTime.now().setZone('Asia/Shanghai').toISODate();
  if (today === null) throw new Error('cannot read today in Asia/Shanghai from the clock');
  const scheme = bundledScheme(SCHEME_ID);
  if (scheme === null) throw new Error(`the bundled scheme ${SCHEME_ID} is missing`);

  const bank = generateDemoBank({ seed: DEMO_SEED, today, scheme });
  const factsPath = join(OUT_DIR, 'demo-facts.jsonl');
  const toDatePath = join(OUT_DIR, 'demo-facts-to-date.jsonl');
  const assessPath = join(OUT_DIR, 'assessments.jsonl');
  const rejectsPath = join(OUT_DIR, 'assessments.rejects.jsonl');
  const workbooksDir = join(OUT_DIR, 'workbooks');
  const headOfficeDir = join(OUT_DIR, 'head-office');
  const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
  await mkdir(OUT_DIR, { recursive: true });

  // The bank goes in as core-banking extracts through the real ingest into Firestore (the
  // local emulator), branch register included, and comes back out of Firestore as the facts the engine reads.
  const extracts = await writeDemoExtracts(bank, join(OUT_DIR, 'extracts'));
  const ingested = await withDemoStore(async (db) => {
    const history = await runHistoryIngest(db, extracts.historyFile);
    const branchOf = new Map(bank.customers.map((c) => [c.customerId, c.branchId]));
    const contacts = bank.contactLines.flatMap((line) => {
      const parsed = parseContactLine(line);
      return parsed.ok ? [parsed.entry] : [];
    });
    await writeContacts(db, contacts, (id) => branchOf.get(id) ?? null);
    let dailyRejected = 0;
    for (const { date, dir } of extracts.dailyDirs) {
      const report = await runIngest(db, { date: parseCivilDay(date)!, dir, scheme, now: () => new Date() });
      dailyRejected += report.rejections.length;
    }
    const complete: string[] = [];
    const toDate: string[] = [];
    const currentMonth = today.slice(0, 7);
    for await (const facts of streamCustomerFacts(db)) {
      const line = toFactsLine(facts);
      toDate.push(JSON.stringify(line));
      complete.push(JSON.stringify({ ...line, months: line.months.filter((m) => m.month < currentMonth) }));
    }
    await writeFile(factsPath, complete.join('\n') + '\n', 'utf8');
    await writeFile(toDatePath, toDate.join('\n') + '\n', 'utf8');
    // Past month ends first (head office's trend), then the nightly run of today, from Firestore, writes each branch's workbook.
    await backfillMonthEnds({ db, scheme, standards, now: () => new Date() }, today, DEMO_TREND_MONTHS - 1);
    // One branch keeps a ledger of its own: adopted as it is (its tabs, titles, words and formulas kept), then written by the nightly run like the others.
    const ledger = await adoptDemoLedger({ db, scheme, standards, now: () => new Date(), today: () => parseCivilDay(today)! }, bank, join(workbooksDir, DEMO_LEDGER_FILE));
    const nightly = await nightlyIntoWorkbooks({ db, scheme, standards, now: () => new Date(), headOffice: xlsxHeadOfficeWriter(headOfficeDir) }, today, bank.branches.map((b) => b.branchId), workbooksDir, new Map([[ledger.branchId, ledger.path]]));
    return {
      ledger, historyRows: history.accepted, historyRejected: history.rejections.length, days: extracts.dailyDirs.length, dailyRejected, customers: toDate.length, nightly };
  });
  process.stdout.write(
    `入库 Ingest (Firestore emulator): 历史 history ${ingested.historyRows} 行 rows, 日终文件 daily extracts ${ingested.days} 天 days → ${ingested.customers} 位客户 customers; ` +
      `拒收 rejected ${ingested.historyRejected + ingested.dailyRejected} (extracts in ${join(OUT_DIR, 'extracts')})\n`,
  );
  process.stdout.write(`${describeDemoLedger(ingested.ledger)}\n`);
  const nightly = ingested.nightly.branches;
  const done = nightly.filter((b) => b.status === 'done');
  process.stdout.write(
    `夜间批处理 Nightly run ${today}: ${done.length}/${nightly.length} 个支行 branches → ${workbooksDir}/ (${done.map((b) => b.file).join(', ')}); ` +
      `等级变动 tier events ${done.reduce((n, b) => n + b.tierEventsCreated, 0)}, 写入单元格 cells written ${done.reduce((n, b) => n + b.cellsWritten, 0)}\n\n`,
  );
  for (const b of nightly.filter((x) => x.status === 'failed')) process.stderr.write(`demo: the nightly run of ${b.branchId} failed: ${b.error}\n`);
  const consolidation = ingested.nightly.consolidation;
  if ('error' in consolidation) process.stderr.write(`demo: head office was not consolidated: ${consolidation.error}\n`);
  else process.stdout.write(`总行汇总 Head office: ${consolidation.location ?? '(not written)'} (支行汇总, 客户经理, 月度趋势, 季度考核, with charts; managers' names masked)\n\n`);

  // The CLI's own path (file → line processor → output and rejects), keeping each
  // assessed line for the summary instead of reading the output back.
  const assessed: AssessLine[] = [];
  const processLine = assessLineProcessor(scheme);
  const keep = (value: unknown): LineOutcome => {
    const outcome = processLine(value);
    if (outcome.ok) assessed.push(outcome.output as AssessLine);
    return outcome;
  };
  const output = await openOutput(assessPath);
  const rejects = await openOutput(rejectsPath);
  const counts = await runJsonLines(openInput(factsPath), output, rejects, keep);
  await closeOutput(output);
  await closeOutput(rejects);

  // Contacts due and the branch lists, through the same code as `ladder contacts` and `ladder lists`.
  const contactsPath = extracts.contactsFile;
  const log: ContactEntry[] = [];
  for (const line of bank.contactLines) {
    const parsed = parseContactLine(line);
    if (!parsed.ok) throw new Error(`demo contact line refused: ${JSON.stringify(parsed.errors)}`);
    log.push(parsed.entry);
  }
  const contactsOut: ContactsLine[] = [];
  const contactsProcessor = contactsLineProcessor(scheme, standards, groupByCustomer(log), today);
  const dueOutPath = join(OUT_DIR, 'contacts-due.jsonl');
  const dueOutput = await openOutput(dueOutPath);
  const dueRejects = await openOutput(join(OUT_DIR, 'contacts-due.rejects.jsonl'));
  const dueCounts = await runJsonLines(openInput(toDatePath), dueOutput, dueRejects, (value) => {
    const outcome = contactsProcessor(value);
    if (outcome.ok) contactsOut.push(outcome.output as ContactsLine);
    return outcome;
  });
  await closeOutput(dueOutput);
  await closeOutput(dueRejects);
  const listsDir = join(OUT_DIR, 'lists');
  const listsCode = await listsCommand({ scheme: SCHEME_ID, facts: toDatePath, contacts: contactsPath, date: today, 'out-dir': listsDir }, (value, flag) => {
    if (!value) throw new Error(`${flag} missing`);
    return value;
  });
  const jsonLines = async (name: string) => (await readFile(join(listsDir, name), 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  const service = summarizeService(
    contactsOut,
    await jsonLines('tasks.jsonl'),
    await jsonLines('promotion.jsonl'),
    (await jsonLines('owners.jsonl')).length,
    JSON.parse(await readFile(join(listsDir, 'branch-coverage.json'), 'utf8')),
  );

  const summary = summarizeAssessments(assessed, scheme.tiers.map((t) => t.code));
  process.stdout.write(
    renderSummary(summary, bank, scheme, {
      facts: factsPath,
      assessments: assessPath,
      rejects: `${rejectsPath} (${counts.rejected} 条 lines)`,
      rerun: `npx ladder assess --scheme ${SCHEME_ID} --facts ${factsPath} --out ${assessPath}`,
    }),
  );
  const tierName = new Map(scheme.tiers.map((t) => [t.code, t.name.zh]));
  process.stdout.write(
    renderServiceSummary(service, bank, (code) => tierName.get(code) ?? code, {
      contacts: dueOutPath,
      lists: listsDir,
      workbooks: workbooksDir,
      rerun: `npx ladder lists --scheme ${SCHEME_ID} --facts ${toDatePath} --contacts ${contactsPath} --date ${today} --out-dir ${listsDir}`,
    }),
  );
  if (nightly.some((b) => b.status === 'failed') || 'error' in consolidation) return 1;
  if (dueCounts.rejected > 0 || listsCode !== 0) {
    process.stderr.write('demo: the contacts or lists run rejected generated lines; see out/contacts-due.rejects.jsonl and out/lists/rejects.jsonl\n');
    return 1;
  }
  if (counts.rejected > 0) {
    // The demo bank is generated by this package: a rejected line is a defect here, not bad data.
    process.stderr.write(`demo: ${counts.rejected} generated lines were rejected; reasons in ${rejectsPath}\n`);
    return 1;
  }
  return 0;
}

/** With --watch, one emulator serves the demo run and the watch that follows, and is stopped at the end. */
async function run(args: readonly string[]): Promise<number> {
  if (!args.includes('--watch')) return main();
  const emulator = process.env['FIRESTORE_EMULATOR_HOST'] ? null : await startFirestoreEmulator();
  // withDemoStore uses an emulator named here and leaves it running.
  if (emulator !== null) process.env['FIRESTORE_EMULATOR_HOST'] = emulator.host;
  try {
    const code = await main();
    if (code !== 0) return code;
    const workbooks = join(OUT_DIR, 'workbooks');
    process.stdout.write(
      `\n监视 Watching ${workbooks} (Firestore emulator ${process.env['FIRESTORE_EMULATOR_HOST']}): 用 LibreOffice、WPS 或 Excel 打开支行工作簿，修改档案、联系或指定等级后保存， ` +
        `系统即校验、入库并回写计算列（关闭后重新打开可见）。 Open a branch workbook, edit and save it; close and reopen it to see the recomputed cells. Ctrl-C 结束 stops.\n\n`,
    );
    const db = createFirestore(parseStoreConfig({ ...process.env, GOOGLE_CLOUD_PROJECT: process.env['GOOGLE_CLOUD_PROJECT'] ?? DEFAULT_PROJECT }));
    try {
      return await watchCommand(db, workbooks, { register: true });
    } finally {
      await db.terminate();
    }
  } finally {
    await emulator?.stop();
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
