import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { BranchCoverageTally } from '../../shared/service/archive-coverage.js';
import { customerServiceView } from '../../shared/service/customer-service-view.js';
import { DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { parseContactLine, type ContactEntry } from '../../shared/service/contact-log.schema.js';
import { coverageOutput, promotionOutput, taskOutput, watchOutput } from '../../shared/service/lists-output.js';
import { ownerMismatch } from '../../shared/service/owner-check.js';
import { rankCandidates, type PromotionCandidate } from '../../shared/service/promotion-candidates.js';
import { rankWatch, type WatchEntry } from '../../shared/service/watch-list.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { loadScheme, loadStandards } from '../scheme-source.js';
import { groupByCustomer } from './contact-commands.js';
import { usableFactsLine } from './fact-commands.js';
import { BranchWorkbooks } from '../sheets/branch-workbooks.js';
import { BufferedWriter, closeOutput, openInput, openOutput, readJsonLines, runJsonLines } from './jsonl-run.js';

/**
 * `ladder lists`: one pass over the customers writes the lists a branch works from into
 * --out-dir: promotion.jsonl (升级名单, ranked), watch.jsonl (降级预警, ranked), tasks.jsonl
 * (待办), owners.jsonl (管户岗位不符), archive.jsonl (建档与产品覆盖, per customer),
 * branch-coverage.json (per branch against the D3 targets) and rejects.jsonl.
 * Per-customer lists stream; only the candidates and the watch list are held to be ranked.
 */
export async function listsCommand(
  values: { scheme?: string; facts?: string; contacts?: string; date?: string; standards?: string; 'out-dir'?: string; workbooks?: string },
  required: (value: string | undefined, flag: string, hint?: string) => string,
): Promise<number> {
  const schemeSource = required(values.scheme, '--scheme');
  const factsPath = required(values.facts, '--facts');
  const contactsPath = required(values.contacts, '--contacts');
  const dateText = required(values.date, '--date');
  const outDir = required(values['out-dir'], '--out-dir');
  const today = parseCivilDay(dateText);
  if (today === null) required(undefined, '--date', `as YYYY-MM-DD, got "${dateText}"`);
  const day = today as number;
  const scheme = await loadScheme(schemeSource);
  const standards = await loadStandards(values.standards ?? DEFAULT_STANDARDS_ID, scheme);
  const engine = createTierEngine(scheme);
  await mkdir(outDir, { recursive: true });
  const file = (name: string) => openOutput(join(outDir, name));
  const rejects = await file('rejects.jsonl');
  const contacts = await readJsonLines<ContactEntry>(openInput(contactsPath), rejects, (v) => {
    const parsed = parseContactLine(v);
    return parsed.ok ? { ok: true, output: parsed.entry } : parsed;
  }, contactsPath);
  const log = groupByCustomer(contacts.items);
  const [tasks, owners, archive] = await Promise.all([file('tasks.jsonl'), file('owners.jsonl'), file('archive.jsonl')]);
  const taskLines = new BufferedWriter(tasks);
  const ownerLines = new BufferedWriter(owners);
  const archiveLines = new BufferedWriter(archive);
  const candidates: PromotionCandidate[] = [];
  const watch: WatchEntry[] = [];
  const tally = new BranchCoverageTally(standards);
  // --workbooks DIR: also one .xlsx per branch (客户名单 computed cells and the list tabs), updated in place.
  const workbooks = values.workbooks ? new BranchWorkbooks(scheme, standards, updatedAtText(dateText)) : null;
  let taskCount = 0;
  let mismatchCount = 0;

  const counts = await runJsonLines(
    openInput(factsPath),
    new Writable({ write: (_chunk, _encoding, done) => done() }),
    rejects,
    async (value) => {
      const line = usableFactsLine(engine, value);
      if ('ok' in line) return line;
      const { facts, balanceToday } = line;
      const service = customerServiceView(engine, standards, facts, log.get(facts.customerId) ?? [], day, balanceToday);
      const { due, coverage, candidate, watch: onWatch, tasks: tasksOfCustomer } = service;
      if (candidate) candidates.push(candidate);
      if (onWatch) watch.push(onWatch);
      for (const t of tasksOfCustomer) {
        taskCount++;
        await taskLines.write(JSON.stringify(taskOutput(t)));
      }
      const mismatch = ownerMismatch(facts, due.band);
      if (mismatch) {
        mismatchCount++;
        await ownerLines.write(JSON.stringify(mismatch));
      }
      tally.add(coverage);
      workbooks?.add(facts, service);
      await archiveLines.write(JSON.stringify(coverageOutput(coverage)));
      return { ok: true, output: undefined };
    },
    factsPath,
  );
  await Promise.all([taskLines.flush(), ownerLines.flush(), archiveLines.flush()]);
  await writeRanked(await file('promotion.jsonl'), rankCandidates(candidates).map((c, i) => promotionOutput(scheme, c, i + 1)));
  await writeRanked(await file('watch.jsonl'), rankWatch(watch).map((w, i) => watchOutput(scheme, w, i + 1)));
  await writeFile(join(outDir, 'branch-coverage.json'), JSON.stringify(tally.result(), null, 2) + '\n');
  await Promise.all([tasks, owners, archive, rejects].map(closeOutput));
  if (workbooks && values.workbooks) {
    await mkdir(values.workbooks, { recursive: true });
    const reports = await workbooks.write(values.workbooks);
    const written = [...reports.values()].reduce((n, r) => n + r.cellsWritten + r.listCellsWritten, 0);
    process.stderr.write(`ladder lists: ${reports.size} branch workbooks in ${values.workbooks} (${written} cells written)\n`);
  }
  const rejected = counts.rejected + contacts.counts.rejected;
  process.stderr.write(
    `ladder lists: read ${counts.read} customers, rejected ${counts.rejected}; contact log lines rejected ${contacts.counts.rejected}; ` +
      `${candidates.length} promotion candidates, ${watch.length} on watch, ${taskCount} tasks, ${mismatchCount} owner mismatches → ${outDir}\n`,
  );
  return rejected > 0 ? 1 : 0;
}

/** The 更新时间 cell: the business date the figures are for (a run on a date is idempotent). */
function updatedAtText(dateText: string): string {
  return dateText;
}

async function writeRanked(sink: WriteStream, rows: readonly unknown[]): Promise<void> {
  const lines = new BufferedWriter(sink);
  for (const row of rows) await lines.write(JSON.stringify(row));
  await lines.flush();
  await closeOutput(sink);
}
