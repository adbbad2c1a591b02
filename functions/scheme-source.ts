import { readFile } from 'node:fs/promises';
import { bundledScheme, BUNDLED_SCHEME_IDS } from '../shared/bundled-schemes.js';
import { describeErrors, type LocatedError } from '../shared/located-error.js';
import { parseScheme, type Scheme } from '../shared/scheme.schema.js';
import { bundledStandards, BUNDLED_STANDARDS_IDS } from '../shared/service/bundled-standards.js';
import { parseStandards, standardsErrorsFor, type ServiceStandards } from '../shared/service/standards.schema.js';

/** Broken configuration (a scheme or standards file that cannot be loaded): the one kind of error that stops a run. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: 'CONFIG_NOT_FOUND' | 'CONFIG_INVALID' | 'CONFIG_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

/** A bundled scheme by id, or a bank's own scheme file by path. */
export function loadScheme(idOrPath: string): Promise<Scheme> {
  return loadDocument('scheme', idOrPath, bundledScheme, BUNDLED_SCHEME_IDS, (doc) => {
    const parsed = parseScheme(doc);
    return parsed.ok ? { ok: true, value: parsed.scheme } : parsed;
  });
}

/** Bundled service standards by id, or a bank's own standards file by path, checked against the scheme they serve. */
export async function loadStandards(idOrPath: string, scheme: Scheme): Promise<ServiceStandards> {
  const standards = await loadDocument('standards', idOrPath, bundledStandards, BUNDLED_STANDARDS_IDS, (doc) => {
    const parsed = parseStandards(doc);
    return parsed.ok ? { ok: true, value: parsed.standards } : parsed;
  });
  const errors = standardsErrorsFor(standards, scheme);
  if (errors.length > 0) throw new ConfigError('CONFIG_INVALID', `${idOrPath}: ${describeErrors(errors)}`);
  return standards;
}

async function loadDocument<T>(
  what: string,
  idOrPath: string,
  bundled: (id: string) => T | null,
  bundledIds: readonly string[],
  parse: (document: unknown) => { ok: true; value: T } | { ok: false; errors: LocatedError[] },
): Promise<T> {
  const found = bundled(idOrPath);
  if (found) return found;
  let text: string;
  try {
    text = await readFile(idOrPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError('CONFIG_NOT_FOUND', `no bundled ${what} "${idOrPath}" (bundled: ${bundledIds.join(', ')}) and no file at that path`);
    }
    throw new ConfigError('CONFIG_UNREADABLE', `cannot read ${what} file ${idOrPath}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID', `${idOrPath}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parse(document);
  if (!parsed.ok) throw new ConfigError('CONFIG_INVALID', `${idOrPath}: ${describeErrors(parsed.errors)}`);
  return parsed.value;
}
