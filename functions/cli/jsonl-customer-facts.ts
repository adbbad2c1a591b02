import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { describeErrors } from '../../shared/located-error.js';
import { parseFactsLine } from '../../shared/facts.schema.js';
import type { CustomerFactsSource } from '../../shared/ports.js';

/**
 * CustomerFactsSource over a facts file (JSON lines, as `ladder export` writes). The file
 * must hold each customer once, sorted by customer id; a line that does not parse stops the
 * source with its line number (files with bad lines go through `ladder assess`, which keeps
 * going and writes rejects).
 */
export function jsonlCustomerFacts(path: string): CustomerFactsSource {
  return {
    async *customers(branchId?: string): AsyncGenerator<CustomerFacts> {
      let lineNumber = 0;
      let previous: string | null = null;
      for await (const text of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
        lineNumber++;
        if (text.trim() === '') continue;
        const parsed = parseFactsLine(JSON.parse(text));
        if (!parsed.ok) throw new Error(`${path}:${lineNumber}: ${describeErrors(parsed.errors)}`);
        const facts = parsed.line.facts;
        if (previous !== null && facts.customerId <= previous) throw new Error(`${path}:${lineNumber}: customers must be sorted by id, once each (${facts.customerId} after ${previous})`);
        previous = facts.customerId;
        if (branchId === undefined || facts.branchId === branchId) yield facts;
      }
    },
  };
}
