import type { Firestore } from '@google-cloud/firestore';
import { writeFile } from 'node:fs/promises';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { toFactsLine } from '../../shared/facts-output.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { runIngest } from '../ingest/run-ingest.js';
import { streamCustomerFacts } from '../store/firestore-facts-reader.js';
import { BufferedWriter, closeOutput, openOutput } from './jsonl-run.js';

/** `ladder ingest --date D DIR`: one business date's extracts into Firestore; rejected rows to a file and to the run record. */
export async function ingestCommand(db: Firestore, scheme: Scheme, dateText: string, dir: string, rejectsPath: string): Promise<number> {
  const date = parseCivilDay(dateText);
  if (date === null) throw new Error(`--date must be a date as YYYY-MM-DD, got "${dateText}"`);
  const report = await runIngest(db, { date, dir, scheme, now: () => new Date() });
  await writeFile(rejectsPath, report.rejections.map((r) => JSON.stringify(r)).join('\n') + (report.rejections.length > 0 ? '\n' : ''));
  for (const f of report.files) {
    process.stderr.write(`  ${f.kind.padEnd(10)} ${f.encoding.padEnd(8)} read ${f.read}, accepted ${f.accepted}, rejected ${f.rejected}\n`);
  }
  if (report.missing.length > 0) process.stderr.write(`  not present: ${report.missing.join(', ')}\n`);
  process.stderr.write(
    `ladder ingest ${report.businessDate}: ${report.write.customersWritten} customers written, ${report.write.withdrawn} earlier contributions withdrawn, ` +
      `${report.rejections.length} rows rejected${report.rejections.length > 0 ? ` (reasons in ${rejectsPath})` : ''}; run ${report.runId}\n`,
  );
  return report.rejections.length > 0 ? 1 : 0;
}

/** `ladder export [--branch B] --out F`: customers and their monthly facts from Firestore as facts lines. */
export async function exportCommand(db: Firestore, outPath: string | undefined, branchId: string | undefined): Promise<number> {
  const output = outPath ? await openOutput(outPath) : process.stdout;
  const lines = new BufferedWriter(output);
  let count = 0;
  for await (const facts of streamCustomerFacts(db, branchId === undefined ? {} : { branchId })) {
    await lines.write(JSON.stringify(toFactsLine(facts)));
    count++;
  }
  await lines.flush();
  await closeOutput(output);
  process.stderr.write(`ladder export: ${count} customers${branchId ? ` of branch ${branchId}` : ''}\n`);
  return 0;
}
