import type { z } from 'zod';

/**
 * A problem with one piece of input, said where it is. `path` uses the spelling a person
 * would write: `tiers[2].paths[0][1].min`, `months[3].assetDaySum`.
 */
export interface LocatedError {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** zod's issues → located errors, one per problem, in the order zod found them. */
export function locatedErrorsOf(error: z.ZodError): LocatedError[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      const base = formatPath(issue.path);
      return { path: base === '' ? keys.join(', ') : `${base}.${keys.join(', ')}`, message: 'unknown field' };
    }
    return { path: formatPath(issue.path), message: issue.message };
  });
}

export function describeErrors(errors: readonly LocatedError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; ');
}
