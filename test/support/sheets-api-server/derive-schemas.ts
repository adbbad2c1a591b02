import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Derives discovery-schemas.json, the field names and JSON types the test server accepts, from
 * Google's Sheets v4 discovery document: for each method the server answers, its request and
 * response schema, and every schema reachable from them (names, types, formats, `$ref`s and
 * enum values; no descriptions). The server refuses what this file does not allow
 * (discovery-validation.ts), so what it allows is what Google's document allows.
 *
 * Run after `npm run build`:
 *   node dist/test/support/sheets-api-server/derive-schemas.js [--check] [path/to/sheets-v4-discovery.json]
 * (default: SHEETS_DISCOVERY_JSON, else ../shared/reference/sheets-v4-discovery.json beside the
 * checkout); `--check` writes nothing and fails when the committed file differs (`npm run
 * schemas:check`). Google's document is not part of the repository, so the unit tests check the
 * derivation on a small document of their own and the committed file's consistency.
 */

/** a field as the validator needs it: one of the discovery document's JSON types */
export type DerivedField =
  | { type: 'string'; format?: string; enum?: string[] }
  | { type: 'integer'; format: string }
  | { type: 'number'; format: string }
  | { type: 'boolean' }
  | { type: 'any' }
  | { type: 'array'; items: DerivedField }
  | { type: 'map'; values: DerivedField }
  | { type: 'ref'; ref: string };

export interface DerivedSchemas {
  /** the discovery document's revision the file was derived from */
  revision: string;
  /** the test server's operation name → the discovery method's request and response schema */
  methods: Record<string, { id: string; request?: string; response?: string }>;
  /** schema name → field name → type */
  schemas: Record<string, Record<string, DerivedField>>;
}

/**
 * The methods the test server answers, by its operation names (handlers.ts), with the
 * discovery method id of each. A method added to the server is added here and the file derived again.
 */
export const SERVED_METHODS: Readonly<Record<string, string>> = {
  'spreadsheets.create': 'sheets.spreadsheets.create',
  'spreadsheets.get': 'sheets.spreadsheets.get',
  'spreadsheets.batchUpdate': 'sheets.spreadsheets.batchUpdate',
  'values.get': 'sheets.spreadsheets.values.get',
  'values.batchGet': 'sheets.spreadsheets.values.batchGet',
  'values.batchUpdate': 'sheets.spreadsheets.values.batchUpdate',
  'values.batchUpdateByDataFilter': 'sheets.spreadsheets.values.batchUpdateByDataFilter',
  'developerMetadata.search': 'sheets.spreadsheets.developerMetadata.search',
  'developerMetadata.get': 'sheets.spreadsheets.developerMetadata.get',
};

interface DiscoveryProperty {
  type?: string;
  format?: string;
  $ref?: string;
  enum?: string[];
  items?: DiscoveryProperty;
  additionalProperties?: DiscoveryProperty;
}
interface DiscoveryMethod {
  id: string;
  request?: { $ref: string };
  response?: { $ref: string };
}
interface DiscoveryResource {
  methods?: Record<string, DiscoveryMethod>;
  resources?: Record<string, DiscoveryResource>;
}
export interface DiscoveryDocument extends DiscoveryResource {
  revision: string;
  schemas: Record<string, { properties?: Record<string, DiscoveryProperty> }>;
}

function allMethods(resource: DiscoveryResource, into = new Map<string, DiscoveryMethod>()): Map<string, DiscoveryMethod> {
  for (const method of Object.values(resource.methods ?? {})) into.set(method.id, method);
  for (const child of Object.values(resource.resources ?? {})) allMethods(child, into);
  return into;
}

function toField(property: DiscoveryProperty, where: string): DerivedField {
  if (property.$ref !== undefined) return { type: 'ref', ref: property.$ref };
  switch (property.type) {
    case 'string': {
      const field: DerivedField = { type: 'string' };
      if (property.format !== undefined) field.format = property.format;
      if (property.enum !== undefined) field.enum = [...property.enum];
      return field;
    }
    case 'integer':
    case 'number':
      return { type: property.type, format: property.format ?? (property.type === 'integer' ? 'int32' : 'double') };
    case 'boolean':
      return { type: 'boolean' };
    case 'any':
      return { type: 'any' };
    case 'array':
      if (property.items === undefined) throw new Error(`${where}: an array without items`);
      return { type: 'array', items: toField(property.items, `${where}[]`) };
    case 'object':
      if (property.additionalProperties === undefined) throw new Error(`${where}: an object without a schema`);
      return { type: 'map', values: toField(property.additionalProperties, `${where}{}`) };
    default:
      throw new Error(`${where}: unknown discovery type ${String(property.type)}`);
  }
}

function refsOf(field: DerivedField): string[] {
  if (field.type === 'ref') return [field.ref];
  if (field.type === 'array') return refsOf(field.items);
  if (field.type === 'map') return refsOf(field.values);
  return [];
}

/** the trimmed schema file for SERVED_METHODS, from a parsed discovery document */
export function deriveSchemas(discovery: DiscoveryDocument, served: Readonly<Record<string, string>> = SERVED_METHODS): DerivedSchemas {
  const byId = allMethods(discovery);
  const methods: DerivedSchemas['methods'] = {};
  const pending: string[] = [];
  for (const [operation, id] of Object.entries(served)) {
    const method = byId.get(id);
    if (method === undefined) throw new Error(`the discovery document has no method ${id}`);
    const entry: DerivedSchemas['methods'][string] = { id };
    if (method.request !== undefined) pending.push((entry.request = method.request.$ref));
    if (method.response !== undefined) pending.push((entry.response = method.response.$ref));
    methods[operation] = entry;
  }
  const schemas: DerivedSchemas['schemas'] = {};
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (Object.hasOwn(schemas, name)) continue;
    const schema = discovery.schemas[name];
    if (schema === undefined) throw new Error(`the discovery document has no schema ${name}`);
    const fields: Record<string, DerivedField> = {};
    for (const [fieldName, property] of Object.entries(schema.properties ?? {})) {
      fields[fieldName] = toField(property, `${name}.${fieldName}`);
      pending.push(...refsOf(fields[fieldName]));
    }
    schemas[name] = fields;
  }
  const sorted: DerivedSchemas['schemas'] = {};
  for (const name of Object.keys(schemas).sort()) sorted[name] = schemas[name] as Record<string, DerivedField>;
  return { revision: discovery.revision, methods, schemas: sorted };
}

/** the specs folder beside the checkout (`../shared/reference/`), where every machine and CI lay it */
export const DEFAULT_DISCOVERY_PATH = resolve(process.cwd(), '..', 'shared', 'reference', 'sheets-v4-discovery.json');

/** the file's text exactly as committed: two-space JSON and a final newline */
export function deriveSchemasText(discoveryPath: string): string {
  const discovery = JSON.parse(readFileSync(discoveryPath, 'utf8')) as DiscoveryDocument;
  return `${JSON.stringify(deriveSchemas(discovery), null, 2)}\n`;
}

/** where the committed file lives in the source tree (also when this runs from dist/) */
export function committedSchemasPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return `${here.replace(/\/dist\/test\//, '/test/')}discovery-schemas.json`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const source = process.argv.slice(2).find((a) => a !== '--check') ?? process.env['SHEETS_DISCOVERY_JSON'] ?? DEFAULT_DISCOVERY_PATH;
  const target = committedSchemasPath();
  const derived = deriveSchemasText(source);
  if (check) {
    const same = readFileSync(target, 'utf8') === derived;
    console.log(same ? `${target} is what ${source} gives` : `${target} differs from what ${source} gives: run this script without --check and commit the file`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(target, derived);
    console.log(`wrote ${target} from ${source}`);
  }
}
