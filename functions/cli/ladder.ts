#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { bundledScheme, BUNDLED_SCHEME_IDS } from '../../shared/bundled-schemes.js';
import { schemeToJson } from '../../shared/scheme.schema.js';
import { ConfigError, loadScheme } from '../scheme-source.js';
import { assessLineProcessor, statusLineProcessor } from './fact-commands.js';
import { closeOutput, openInput, openOutput, runJsonLines, type LineOutcome } from './jsonl-run.js';

/**
 * The `ladder` command. Exit codes: 0 all lines used, 1 some lines rejected (the rest were
 * written; see the rejects file), 2 usage or configuration error (nothing was run).
 */

const USAGE = `ladder — customer tiers, gaps and watch status

  ladder assess  --scheme ID|FILE --facts FILE.jsonl [--out FILE.jsonl] [--rejects FILE.jsonl]
  ladder status  --scheme ID|FILE --facts FILE.jsonl --date YYYY-MM-DD [--out FILE.jsonl] [--rejects FILE.jsonl]
  ladder schemes                      list the bundled schemes
  ladder scheme  ID|FILE              validate a scheme and print it as JSON

  --facts -      reads standard input; without --out results go to standard output.
  Bundled schemes: ${BUNDLED_SCHEME_IDS.join(', ')}
  Exit code: 0 ok, 1 some lines rejected (see the rejects file), 2 usage or configuration error.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'assess':
    case 'status':
      return runFactsCommand(command, rest);
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

async function runFactsCommand(command: 'assess' | 'status', args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scheme: { type: 'string' },
      facts: { type: 'string' },
      out: { type: 'string' },
      rejects: { type: 'string' },
      date: { type: 'string' },
    },
    strict: true,
  });
  if (!values.scheme) throw new UsageError('--scheme is required (a bundled id or a scheme file)');
  if (!values.facts) throw new UsageError('--facts is required (a JSON-lines file, or - for standard input)');
  if (command === 'status' && !values.date) throw new UsageError('ladder status needs --date YYYY-MM-DD');
  const scheme = await loadScheme(values.scheme);
  let processLine: (value: unknown) => LineOutcome;
  try {
    processLine = command === 'assess' ? assessLineProcessor(scheme) : statusLineProcessor(scheme, values.date as string);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rejectsPath = values.rejects ?? (values.out ? values.out.replace(/(\.jsonl)?$/, '.rejects.jsonl') : 'ladder-rejects.jsonl');
  const output = values.out ? await openOutput(values.out) : process.stdout;
  const rejects = await openOutput(rejectsPath);
  const input = openInput(values.facts);
  const inputFailed = new Promise<never>((_, reject) => input.once('error', reject));
  const counts = await Promise.race([runJsonLines(input, output, rejects, processLine), inputFailed]);
  await closeOutput(output);
  await closeOutput(rejects);
  process.stderr.write(
    `ladder ${command}: read ${counts.read} customers, wrote ${counts.written}, rejected ${counts.rejected}` +
      (counts.rejected > 0 ? ` (reasons in ${rejectsPath})` : '') +
      '\n',
  );
  return counts.rejected > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ladder: ${(error as Error).message}\n\n${USAGE}\n`);
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
