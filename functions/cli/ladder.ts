#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { bundledScheme, BUNDLED_SCHEME_IDS } from '../../shared/bundled-schemes.js';
import { schemeToJson } from '../../shared/scheme.schema.js';
import { DEFAULT_STANDARDS_ID, BUNDLED_STANDARDS_IDS } from '../../shared/service/bundled-standards.js';
import { parseContactLine, type ContactEntry } from '../../shared/service/contact-log.schema.js';
import { ConfigError, loadScheme, loadStandards } from '../scheme-source.js';
import { contactsLineProcessor, groupByCustomer, holidaysOutput } from './contact-commands.js';
import { assessLineProcessor, statusLineProcessor } from './fact-commands.js';
import { closeOutput, openInput, openOutput, readJsonLines, runJsonLines, type LineOutcome } from './jsonl-run.js';
import { listsCommand } from './lists-command.js';
import { createFirestore, parseStoreConfig, ConfigurationError } from '../config.js';
import { exportCommand, ingestCommand } from './store-commands.js';
import { WATCH_OPTIONS, watchCommand } from './watch-command.js';
import { ADOPT_OPTIONS, adoptCommand, AdoptUsageError } from './adopt-command.js';
import { unbindWorkbook, UnbindError } from '../sheets/xlsx-ledger-unbind.js';
import { unbindSpreadsheetCommand } from './unbind-command.js';
import { NIGHTLY_OPTIONS, nightlyCommand, STORE_UNAVAILABLE_EXIT } from './nightly-command.js';
import { runHistoryIngest } from '../ingest/run-history-ingest.js';
import { generateDemoBank } from '../demo/demo-bank.js';
import { writeDemoExtracts } from '../demo/demo-extracts.js';
import { DEMO_LEDGER_BRANCH, writeDemoLedger } from '../demo/demo-ledger.js';
import { DEMO_LEDGER_FILE } from '../demo/demo-ledger-adoption.js';
import { join } from 'node:path';
import { parseBusinessDate } from '../../shared/business-date.js';

/**
 * The `ladder` command. Exit codes: 0 all lines used, 1 some lines rejected (the rest were
 * written; see the rejects file), 2 usage or configuration error (nothing was run).
 */

const USAGE = `ladder — customer tiers, gaps, watch status and contacts due

  ladder assess   --scheme ID|FILE --facts FILE.jsonl [--out FILE.jsonl] [--rejects FILE.jsonl]
  ladder status   --scheme ID|FILE --facts FILE.jsonl --date YYYY-MM-DD [--out …] [--rejects …]
  ladder contacts --scheme ID|FILE --facts FILE.jsonl --contacts FILE.jsonl --date YYYY-MM-DD
                  [--standards ID|FILE] [--out …] [--rejects …]
  ladder lists    --scheme ID|FILE --facts FILE.jsonl --contacts FILE.jsonl --date YYYY-MM-DD
                  --out-dir DIR [--standards ID|FILE] [--workbooks DIR]   (one .xlsx per branch)
  ladder ingest   --date YYYY-MM-DD [--scheme ID|FILE] [--rejects FILE] DIR
                  one business date's core-banking extracts (CSV, UTF-8 or GB18030) into Firestore
  ladder ingest-history FILE          past months' totals (history.csv, the initial load) into Firestore
  ladder export   [--branch ID] [--out FILE.jsonl]   customers and monthly facts from Firestore
  ladder watch    DIR [--once] [--register] [--scheme ID|FILE] [--standards ID|FILE] [--editor NAME]
                  managers' saved edits of the branch workbooks in DIR through the sheet-edit path,
                  answers written back (--once: what is there, then exit; --register: make each
                  workbook its branch's registered workbook)
  ladder nightly  [--date YYYY-MM-DD] [--concurrency N] [--rerun] [--pubsub] [--sheets-per-minute N]
                  [--head-office DIR] [--workbooks DIR]
                  every branch's nightly run (tiers, tier events, branch sheet — Google, or the
                  registered local workbooks in --workbooks DIR —, summary), then
                  head office (a workbook in DIR, or HEAD_OFFICE_SPREADSHEET_ID on Google);
                  resumes a date (branches done are skipped) unless --rerun;
                  --pubsub: through Pub/Sub (PUBSUB_EMULATOR_HOST, or an emulator it starts)
  ladder adopt    FILE.xlsx | --spreadsheet ID  --branch ID [--tab NAME] [--header-row N]
                  [--map 'THEIRS=LAYOUT' …] [--missing list|append] [--synonyms FILE] [--dry-run]
                  [--json] [--editor NAME]
                  adopt the ledger a branch already keeps, a workbook or a Google spreadsheet
                  (SHEETS_API_ROOT or application default credentials): preview (--dry-run writes
                  nothing), then the binding recorded, the workbook or spreadsheet registered as the
                  branch's (never one of another branch), the archive read in (exit 2: no binding)
  ladder unbind   FILE.xlsx | --spreadsheet ID   undo an adoption: the system's columns emptied, its
                  tabs, tags (metadata on Google) and identity removed, the workbook or spreadsheet
                  no longer the branch's; the branch's cells kept
  ladder demo     --date YYYY-MM-DD --out DIR [--seed N]   a made-up bank as core-banking extracts,
                  and branch B01's own ledger in DIR/workbooks to adopt
  ladder holidays --year YYYY          the year's greeting holidays as JSON
  ladder schemes                       list the bundled schemes
  ladder scheme   ID|FILE              validate a scheme and print it as JSON

  ingest, export, adopt, watch and nightly use FIRESTORE_EMULATOR_HOST (the local emulator) or GOOGLE_CLOUD_PROJECT.
  --facts -      reads standard input; without --out results go to standard output.
  Bundled schemes: ${BUNDLED_SCHEME_IDS.join(', ')}; bundled standards: ${BUNDLED_STANDARDS_IDS.join(', ')} (default ${DEFAULT_STANDARDS_ID}).
  Exit code: 0 ok, 1 some lines rejected (see the rejects file), 2 usage or configuration error.`;

export class UsageError extends Error {}

const FACTS_OPTIONS = {
  scheme: { type: 'string' },
  facts: { type: 'string' },
  out: { type: 'string' },
  rejects: { type: 'string' },
  date: { type: 'string' },
  contacts: { type: 'string' },
  standards: { type: 'string' },
  'out-dir': { type: 'string' },
  workbooks: { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'assess':
    case 'status':
    case 'contacts':
      return runFactsCommand(command, rest);
    case 'lists': {
      const { values } = parseArgs({ args: rest, options: FACTS_OPTIONS, strict: true });
      return listsCommand(values, required);
    }
    case 'ingest': {
      const { values, positionals } = parseArgs({ args: rest, options: { date: { type: 'string' }, scheme: { type: 'string' }, rejects: { type: 'string' } }, strict: true, allowPositionals: true });
      const date = required(values.date, '--date', 'the business date as YYYY-MM-DD');
      const dir = required(positionals[0], 'DIR', 'the folder holding the extract files');
      const scheme = await loadScheme(values.scheme ?? 'boc');
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        return await ingestCommand(db, scheme, date, dir, values.rejects ?? `ingest-${date}.rejects.jsonl`);
      } finally {
        await db.terminate();
      }
    }
    case 'ingest-history': {
      const { positionals } = parseArgs({ args: rest, options: {}, strict: true, allowPositionals: true });
      const file = required(positionals[0], 'FILE', 'the history.csv to load');
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        const report = await runHistoryIngest(db, file);
        for (const r of report.rejections) process.stderr.write(`${JSON.stringify(r)}\n`);
        process.stderr.write(`ladder ingest-history: ${report.file} (${report.encoding}) read ${report.read}, accepted ${report.accepted}, rejected ${report.rejections.length}\n`);
        return report.rejections.length > 0 ? 1 : 0;
      } finally {
        await db.terminate();
      }
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { date: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } }, strict: true });
      const date = required(values.date, '--date', 'the business date the demo runs up to');
      if (parseBusinessDate(date) === null) throw new UsageError(`--date must be a date as YYYY-MM-DD, got "${date}"`);
      const out = required(values.out, '--out', 'the folder for the extract files');
      const bank = generateDemoBank({ seed: Number(values.seed ?? 20_240_601), today: date, scheme: await loadScheme('boc') });
      const extracts = await writeDemoExtracts(bank, out);
      // the branch that keeps a ledger of its own, to adopt with `ladder adopt` (kept if it is there already)
      const ledgerPath = join(out, 'workbooks', DEMO_LEDGER_FILE);
      const ledger = await writeDemoLedger(bank, ledgerPath);
      process.stderr.write(`ladder demo: ${bank.customers.length} customers in ${bank.branches.length} branches → ${extracts.historyFile}, ${extracts.dailyDirs.length} daily folders, ${extracts.contactsFile}; ${DEMO_LEDGER_BRANCH}'s own ledger ${ledgerPath}${ledger === null ? ' (kept as it was)' : ''}\n`);
      return 0;
    }
    case 'export': {
      const { values } = parseArgs({ args: rest, options: { branch: { type: 'string' }, out: { type: 'string' } }, strict: true });
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        return await exportCommand(db, values.out, values.branch);
      } finally {
        await db.terminate();
      }
    }
    case 'adopt': {
      const { values, positionals } = parseArgs({ args: rest, options: ADOPT_OPTIONS, strict: true, allowPositionals: true });
      // with --spreadsheet a FILE too is a usage error (adoptCommand says so), not silently dropped
      const file = values.spreadsheet === undefined ? required(positionals[0], 'FILE', 'the branch ledger (.xlsx) to adopt') : (positionals[0] ?? '');
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        return await adoptCommand(db, file, values, process.env);
      } catch (error) {
        if (error instanceof AdoptUsageError) throw new UsageError(error.message);
        throw error;
      } finally {
        await db.terminate();
      }
    }
    case 'unbind': {
      const { values, positionals } = parseArgs({ args: rest, options: { spreadsheet: { type: 'string' } }, strict: true, allowPositionals: true });
      if (values.spreadsheet !== undefined) {
        if (positionals.length > 0 || values.spreadsheet.trim() === '') throw new UsageError('unbind either FILE.xlsx or --spreadsheet ID (a Google spreadsheet id), not both');
        return unbindSpreadsheetCommand(values.spreadsheet.trim());
      }
      const file = required(positionals[0], 'FILE', 'the adopted ledger (.xlsx)');
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        const r = await unbindWorkbook(db, file);
        process.stderr.write(`ladder unbind: ${file} is branch ${r.branchId}'s own again: ${r.computedColumnsCleared} computed columns emptied, tabs removed: ${r.tabsRemoved.join(', ') || 'none'}, ${r.tagsRemoved} tags removed${r.unregistered ? `, no longer registered as the branch's workbook (${r.workbookId})` : ''}\n`);
        return 0;
      } catch (error) {
        if (error instanceof UnbindError) {
          process.stderr.write(`ladder unbind: ${error.message}\n`);
          return 2;
        }
        throw error;
      } finally {
        await db.terminate();
      }
    }
    case 'watch': {
      const { values, positionals } = parseArgs({ args: rest, options: WATCH_OPTIONS, strict: true, allowPositionals: true });
      const dir = required(positionals[0], 'DIR', 'the folder of branch workbooks');
      const db = createFirestore(parseStoreConfig(process.env));
      try {
        return await watchCommand(db, dir, values);
      } finally {
        await db.terminate();
      }
    }
    case 'nightly': {
      const { values } = parseArgs({ args: rest, options: NIGHTLY_OPTIONS, strict: true });
      const db = createFirestore(parseStoreConfig(process.env));
      let code: number;
      try {
        code = await nightlyCommand(db, values, process.env);
      } catch (error) {
        await db.terminate();
        throw error;
      }
      // The store stopped answering: the Firestore client still retries the calls the run gave up
      // on (up to 10 minutes each) and terminating it under them makes it throw; leave now.
      if (code === STORE_UNAVAILABLE_EXIT) process.exit(code);
      await db.terminate();
      return code;
    }
    case 'holidays': {
      const { values } = parseArgs({ args: rest, options: { year: { type: 'string' } }, strict: true });
      const year = required(values.year, '--year', 'YYYY');
      try {
        process.stdout.write(JSON.stringify(holidaysOutput(year), null, 2) + '\n');
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      return 0;
    }
    case 'schemes':
      for (const id of BUNDLED_SCHEME_IDS) {
        const scheme = bundledScheme(id)!;
        process.stdout.write(`${id.padEnd(12)} ${scheme.assess.padEnd(9)} ${scheme.tiers.map((t) => t.code).join(' < ')}  ${scheme.name.zh}\n`);
      }
      return 0;
    case 'scheme': {
      if (!rest[0]) throw new UsageError('ladder scheme needs a bundled id or a file');
      process.stdout.write(JSON.stringify(schemeToJson(await loadScheme(rest[0])), null, 2) + '\n');
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function required(value: string | undefined, flag: string, hint?: string): string {
  if (!value) throw new UsageError(`${flag} is required${hint ? ` (${hint})` : ''}`);
  return value;
}

async function runFactsCommand(command: 'assess' | 'status' | 'contacts', args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: FACTS_OPTIONS, strict: true });
  const schemeSource = required(values.scheme, '--scheme', 'a bundled id or a scheme file');
  const factsPath = required(values.facts, '--facts', 'a JSON-lines file, or - for standard input');
  if (command !== 'assess') required(values.date, '--date', `ladder ${command} needs the date as YYYY-MM-DD`);
  if (command === 'contacts') required(values.contacts, '--contacts', 'the contact log, a JSON-lines file');
  const scheme = await loadScheme(schemeSource);
  const standards = command === 'contacts' ? await loadStandards(values.standards ?? DEFAULT_STANDARDS_ID, scheme) : null;
  const rejectsPath = values.rejects ?? (values.out ? values.out.replace(/(\.jsonl)?$/, '.rejects.jsonl') : 'ladder-rejects.jsonl');
  const rejects = await openOutput(rejectsPath);
  let contactRejected = 0;
  let log = new Map<string, ContactEntry[]>();
  if (command === 'contacts') {
    const contactsPath = values.contacts as string;
    const read = await readJsonLines<ContactEntry>(openInput(contactsPath), rejects, contactOutcome, contactsPath);
    log = groupByCustomer(read.items);
    contactRejected = read.counts.rejected;
  }
  let processLine: (value: unknown) => LineOutcome;
  try {
    processLine =
      command === 'assess'
        ? assessLineProcessor(scheme)
        : command === 'status'
          ? statusLineProcessor(scheme, values.date as string)
          : contactsLineProcessor(scheme, standards!, log, values.date as string);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const output = values.out ? await openOutput(values.out) : process.stdout;
  const input = openInput(factsPath);
  const inputFailed = new Promise<never>((_, reject) => input.once('error', reject));
  const counts = await Promise.race([runJsonLines(input, output, rejects, processLine, factsPath), inputFailed]);
  await closeOutput(output);
  await closeOutput(rejects);
  const rejected = counts.rejected + contactRejected;
  process.stderr.write(
    `ladder ${command}: read ${counts.read} customers, wrote ${counts.written}, rejected ${counts.rejected}` +
      (command === 'contacts' ? `; contact log lines rejected ${contactRejected}` : '') +
      (rejected > 0 ? ` (reasons in ${rejectsPath})` : '') +
      '\n',
  );
  return rejected > 0 ? 1 : 0;
}

function contactOutcome(value: unknown): { ok: true; output: ContactEntry } | { ok: false; customerId: string | null; errors: { path: string; message: string }[] } {
  const parsed = parseContactLine(value);
  return parsed.ok ? { ok: true, output: parsed.entry } : parsed;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ladder: ${(error as Error).message}\n\n${USAGE}\n`);
    } else if (error instanceof ConfigurationError) {
      process.stderr.write(`ladder: ${error.message}\n`);
    } else if (error instanceof ConfigError) {
      process.stderr.write(`ladder: ${error.code}: ${error.message}\n`);
    } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`ladder: file not found: ${(error as NodeJS.ErrnoException).path ?? (error as Error).message}\n`);
    } else {
      process.stderr.write(`ladder: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
