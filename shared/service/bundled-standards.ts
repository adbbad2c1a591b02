import d2Json from '../standards/d2.json' with { type: 'json' };
import { describeErrors } from '../located-error.js';
import { parseStandards, type ServiceStandards } from './standards.schema.js';

/** The service standards shipped with wealth-ladder, by id (docs/service-standards.md). */
const BUNDLED: Readonly<Record<string, unknown>> = { d2: d2Json };

export const BUNDLED_STANDARDS_IDS = Object.keys(BUNDLED);
export const DEFAULT_STANDARDS_ID = 'd2';

export function bundledStandards(id: string): ServiceStandards | null {
  const document = BUNDLED[id];
  if (document === undefined) return null;
  const parsed = parseStandards(document);
  if (!parsed.ok) throw new Error(`bundled standards ${id} are invalid: ${describeErrors(parsed.errors)}`);
  return parsed.standards;
}
