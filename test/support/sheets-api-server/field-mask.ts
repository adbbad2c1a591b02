/**
 * The `fields` system parameter (a partial-response mask) as Google applies it:
 * `sheets.properties.title`, `spreadsheetId,sheets(properties(sheetId,title))`, `*`.
 * Arrays are masked element by element; empty objects left by the mask are dropped.
 */

import type { DerivedField, DerivedSchemas } from './derive-schemas.js';

export type MaskTree = Map<string, MaskTree | true>;

export function parseFieldMask(fields: string): MaskTree | undefined {
  let pos = 0;
  const parseList = (depth: number): MaskTree => {
    const tree: MaskTree = new Map();
    while (pos < fields.length) {
      const match = /^\s*([A-Za-z0-9_*]+(?:\.[A-Za-z0-9_*]+)*)\s*/.exec(fields.slice(pos));
      if (match === null) throw new Error(`bad field mask at ${pos}: ${fields}`);
      pos += match[0].length;
      const path = (match[1] as string).split('.');
      let leaf: MaskTree | true = true;
      if (fields[pos] === '(') {
        pos += 1;
        leaf = parseList(depth + 1);
        if (fields[pos] !== ')') throw new Error(`unclosed ( in field mask: ${fields}`);
        pos += 1;
      }
      insertPath(tree, path, leaf);
      while (fields[pos] === ' ') pos += 1;
      if (fields[pos] === ',') {
        pos += 1;
        continue;
      }
      if (fields[pos] === ')' && depth > 0) return tree;
      if (pos < fields.length) throw new Error(`bad field mask at ${pos}: ${fields}`);
    }
    return tree;
  };
  if (fields.trim() === '' || fields.trim() === '*') return undefined;
  return parseList(0);
}

function insertPath(tree: MaskTree, path: string[], leaf: MaskTree | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    tree.set(head, leaf);
    return;
  }
  const existing = tree.get(head);
  if (existing === true) return;
  const child: MaskTree = existing ?? new Map();
  tree.set(head, child);
  insertPath(child, rest, leaf);
}

/** Returns only the masked parts of `value`; a syntax error in the mask is a 400 upstream. */
export function applyFieldMask(value: unknown, mask: MaskTree | undefined): unknown {
  if (mask === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => applyFieldMask(item, mask));
  if (value === null || typeof value !== 'object') return value;
  if (mask.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    if (!(key in value)) continue;
    const picked = (value as Record<string, unknown>)[key];
    const masked = sub === true ? picked : applyFieldMask(picked, sub);
    if (masked !== undefined) out[key] = masked;
  }
  return out;
}

/**
 * The first path of a mask that the response schema does not have, dotted from the root as
 * Google reports it (`sheets.properties.bogus`), or undefined when every path exists. A path may
 * go on into a message (`sheets.properties.title`), never past a scalar; `*` matches any field;
 * the keys of a map field are not checked.
 */
export function findUnknownMaskPath(mask: MaskTree, schemaName: string, schemas: DerivedSchemas['schemas'], prefix = ''): string | undefined {
  const fields = schemas[schemaName] ?? {};
  for (const [key, sub] of mask) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (key === '*') continue;
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) return path;
    if (sub === true) continue;
    let inner: DerivedField = field;
    while (inner.type === 'array') inner = inner.items;
    if (inner.type === 'map' || inner.type === 'any') continue;
    if (inner.type !== 'ref') return `${path}.${[...sub.keys()][0] ?? ''}`;
    const unknown = findUnknownMaskPath(sub, inner.ref, schemas, path);
    if (unknown !== undefined) return unknown;
  }
  return undefined;
}
