import derivedJson from './discovery-schemas.json' with { type: 'json' };
import type { DerivedField, DerivedSchemas } from './derive-schemas.js';
import { findUnknownMaskPath, type MaskTree } from './field-mask.js';
import { badRequest, invalidPayload, type FieldViolation } from './google-error.js';

/**
 * The check every request passes before a handler sees it: its JSON body against the method's
 * request schema and its `fields=` mask against the response schema, both as Google's discovery
 * document gives them (discovery-schemas.json, derived by derive-schemas.ts). It refuses what
 * Google's JSON transcoder refuses, in its words:
 *
 * - a name the schema does not have: `Invalid JSON payload received. Unknown name "foo" at
 *   'requests[0].add_sheet': Cannot find field.` (no `at` clause for the body itself; every
 *   unknown name of the body is listed, joined by newlines);
 * - a value of the wrong JSON type: `Invalid value at 'requests[0].add_sheet.properties.index'
 *   (TYPE_INT32), "abc"`; a message given as a scalar names its type,
 *   `(type.googleapis.com/google.apps.sheets.v4.SheetProperties)`;
 * - a mask path the response does not have: `Error expanding 'fields' parameter. Cannot find
 *   matching fields for path 'sheets.bogus'.`
 *
 * Paths use the proto (snake_case) names, the unknown name is quoted as sent. The wording was
 * observed from Google's transcoder (the Sheets API in googleapis/google-api-python-client#930 and
 * google-api-dotnet-client#2161; the same transcoder's type and mask messages recorded against the
 * Docs API). Approximated: an unknown enum value is reported as `(TYPE_ENUM)` where Google names the
 * enum's proto type, which the discovery document does not give. What proto3 JSON accepts in
 * more than one spelling (numbers as strings, `null` for a default, enum numbers) is accepted and
 * handed on in one spelling, so the handlers' own schemas see canonical JSON. A method missing from the file
 * (a route added without deriving the file again) is not checked.
 */

const DERIVED = derivedJson as unknown as DerivedSchemas;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] };

function typeLabel(field: DerivedField): string {
  switch (field.type) {
    case 'integer':
      return `TYPE_${field.format.toUpperCase()}`;
    case 'number':
      return field.format === 'float' ? 'TYPE_FLOAT' : 'TYPE_DOUBLE';
    case 'boolean':
      return 'TYPE_BOOL';
    case 'string':
      return field.enum === undefined ? 'TYPE_STRING' : 'TYPE_ENUM';
    case 'ref':
      return `type.googleapis.com/google.apps.sheets.v4.${field.ref}`;
    case 'array':
      return typeLabel(field.items);
    case 'map':
      return 'type.googleapis.com/google.protobuf.Struct';
    case 'any':
      return 'type.googleapis.com/google.protobuf.Value';
  }
}

function scalarFits(field: DerivedField, value: unknown): boolean {
  switch (field.type) {
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return false;
      const range = INT_RANGE[field.format];
      return range === undefined || (n >= range[0] && n <= range[1]);
    }
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) || ['NaN', 'Infinity', '-Infinity'].includes(value)));
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      if (field.enum === undefined) return typeof value === 'string';
      return (typeof value === 'string' && field.enum.includes(value)) || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < field.enum.length);
    default:
      return true;
  }
}

/** checks one value and answers it in canonical JSON (numbers for numeric strings, names for enum numbers) */
function checkValue(field: DerivedField, value: unknown, path: string, out: FieldViolation[]): unknown {
  if (field.type === 'any') return value;
  const wrong = () => {
    out.push({ field: path, description: `Invalid value at '${path}' (${typeLabel(field)}), ${shown(value)}` });
    return value;
  };
  if (field.type === 'array') {
    if (!Array.isArray(value)) return wrong();
    return value.map((item, i) => (item === null ? item : checkValue(field.items, item, `${path}[${i}]`, out)));
  }
  if (field.type === 'map') {
    if (!isObject(value)) return wrong();
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? item : checkValue(field.values, item, `${path}[${shown(key)}]`, out)]));
  }
  if (field.type === 'ref') {
    if (!isObject(value)) return wrong();
    return checkMessage(field.ref, value, path, out);
  }
  if (!scalarFits(field, value)) return wrong();
  if ((field.type === 'integer' || field.type === 'number') && typeof value === 'string') return Number(value);
  if (field.type === 'string' && field.enum !== undefined && typeof value === 'number') return field.enum[value];
  return value;
}

/** a message's fields checked; `null` (a field at its default, in proto3 JSON) is left out */
function checkMessage(schemaName: string, value: Record<string, unknown>, path: string, out: FieldViolation[]): Record<string, unknown> {
  const fields = DERIVED.schemas[schemaName];
  if (fields === undefined) throw new Error(`discovery-schemas.json has no schema ${schemaName}`);
  const canonical: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (field === undefined) {
      const at = path === '' ? '' : ` at '${path}'`;
      const violation: FieldViolation = { description: `Invalid JSON payload received. Unknown name ${shown(name)}${at}: Cannot find field.` };
      if (path !== '') violation.field = path;
      out.push(violation);
      continue;
    }
    if (item === null) continue;
    canonical[name] = checkValue(field, item, path === '' ? snake(name) : `${path}.${snake(name)}`, out);
  }
  return canonical;
}

/** one body checked against a schema of the file: its violations, in the order Google lists them, and its canonical form */
export function checkBody(schemaName: string, body: unknown): { violations: FieldViolation[]; canonical: unknown } {
  const violations: FieldViolation[] = [];
  if (body === undefined || body === null) return { violations, canonical: body };
  if (!isObject(body)) {
    violations.push({ description: `Invalid JSON payload received. Expected an object for ${schemaName}: ${shown(body).slice(0, 40)}` });
    return { violations, canonical: body };
  }
  return { violations, canonical: checkMessage(schemaName, body, '', violations) };
}

export const bodyViolations = (schemaName: string, body: unknown): FieldViolation[] => checkBody(schemaName, body).violations;

/**
 * Throws Google's 400 for a body or a mask the discovery document does not allow; answers the
 * body in the canonical JSON a handler can take (what proto3 JSON accepts but spells otherwise,
 * `"3"` for 3, an enum's number, `null` for a default, is spelled the one way).
 */
export function validateAgainstDiscovery(operation: string, body: unknown, mask: MaskTree | undefined): unknown {
  const method = DERIVED.methods[operation];
  if (method === undefined) return body;
  let canonical = body;
  if (method.request !== undefined) {
    const checked = checkBody(method.request, body);
    if (checked.violations.length > 0) throw invalidPayload(checked.violations);
    canonical = checked.canonical;
  }
  if (mask !== undefined && method.response !== undefined) {
    const unknown = findUnknownMaskPath(mask, method.response, DERIVED.schemas);
    if (unknown !== undefined) throw badRequest(`Error expanding 'fields' parameter. Cannot find matching fields for path '${unknown}'.`);
  }
  return canonical;
}

/** the derived file, for tests that compare it with the discovery document */
export const DISCOVERY_SCHEMAS: DerivedSchemas = DERIVED;
