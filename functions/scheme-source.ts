import { readFile } from 'node:fs/promises';
import { bundledScheme, BUNDLED_SCHEME_IDS } from '../shared/bundled-schemes.js';
import { describeErrors } from '../shared/located-error.js';
import { parseScheme, type Scheme } from '../shared/scheme.schema.js';

/** Broken configuration (a scheme that cannot be loaded): the one kind of error that stops a run. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: 'SCHEME_NOT_FOUND' | 'SCHEME_INVALID' | 'SCHEME_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

/** A bundled scheme by id, or a bank's own scheme file by path. */
export async function loadScheme(idOrPath: string): Promise<Scheme> {
  const bundled = bundledScheme(idOrPath);
  if (bundled) return bundled;
  let text: string;
  try {
    text = await readFile(idOrPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError('SCHEME_NOT_FOUND', `no bundled scheme "${idOrPath}" (bundled: ${BUNDLED_SCHEME_IDS.join(', ')}) and no file at that path`);
    }
    throw new ConfigError('SCHEME_UNREADABLE', `cannot read scheme file ${idOrPath}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError('SCHEME_INVALID', `${idOrPath}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parseScheme(document);
  if (!parsed.ok) throw new ConfigError('SCHEME_INVALID', `${idOrPath}: ${describeErrors(parsed.errors)}`);
  return parsed.scheme;
}
