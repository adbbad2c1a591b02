import bocJson from './schemes/boc.json' with { type: 'json' };
import boc2012Json from './schemes/boc-2012.json' with { type: 'json' };
import branchSixJson from './schemes/branch-six.json' with { type: 'json' };
import genericJson from './schemes/generic.json' with { type: 'json' };
import { parseScheme, type Scheme } from './scheme.schema.js';
import { describeErrors } from './located-error.js';

/** The schemes shipped with wealth-ladder, by id (docs/schemes.md says where each comes from). */
const BUNDLED_DOCUMENTS: Readonly<Record<string, unknown>> = {
  boc: bocJson,
  'boc-2012': boc2012Json,
  'branch-six': branchSixJson,
  generic: genericJson,
};

export const BUNDLED_SCHEME_IDS = Object.keys(BUNDLED_DOCUMENTS);

/** A bundled scheme by id, or null when there is none by that id. */
export function bundledScheme(id: string): Scheme | null {
  const document = BUNDLED_DOCUMENTS[id];
  if (document === undefined) return null;
  const parsed = parseScheme(document);
  // A bundled scheme that does not validate is a defect in this package, not user input.
  if (!parsed.ok) throw new Error(`bundled scheme ${id} is invalid: ${describeErrors(parsed.errors)}`);
  return parsed.scheme;
}
