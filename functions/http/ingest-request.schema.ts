import { z } from 'zod';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { locatedErrorsOf, type LocatedError } from '../../shared/located-error.js';
import { EXTRACT_FILE_NAMES, type ExtractFileName } from '../ingest/read-extracts.js';

/**
 * The body of a POST to the ingest function: the business date, optionally a scheme id, and
 * the date's extract files by name, each base64-encoded (bytes as the core banking system
 * wrote them, UTF-8 or GB18030). Only the known extract file names are accepted.
 */

const base64File = z.base64({ error: 'must be the file’s bytes encoded as base64 (standard alphabet, with padding)' });

const filesSchema = z
  .strictObject(Object.fromEntries(EXTRACT_FILE_NAMES.map((name) => [name, base64File.optional()])) as Record<ExtractFileName, z.ZodOptional<typeof base64File>>)
  .refine((files) => Object.values(files).some((content) => content !== undefined), { error: `at least one extract file is needed (${EXTRACT_FILE_NAMES.join(', ')})` });

export const ingestRequestSchema = z.strictObject({
  businessDate: z.string({ error: 'must be a date as YYYY-MM-DD' }).transform((text, ctx): CivilDay => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseCivilDay(text) : null;
    if (day === null) {
      ctx.addIssue({ code: 'custom', message: `must be a date as YYYY-MM-DD, got "${text.slice(0, 40)}"` });
      return z.NEVER;
    }
    return day;
  }),
  scheme: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a scheme id (lower-case letters, digits and hyphens), e.g. boc' })
    .optional(),
  files: filesSchema,
});

export interface IngestRequestBody {
  businessDate: CivilDay;
  scheme: string | undefined;
  /** file name → bytes, only the files that were sent */
  files: Map<ExtractFileName, Uint8Array>;
}

/** A parsed JSON body → the request, or every problem with it, located (`files.fx.csv: …`). */
export function parseIngestRequest(body: unknown): { ok: true; request: IngestRequestBody } | { ok: false; errors: LocatedError[] } {
  const parsed = ingestRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: locatedErrorsOf(parsed.error) };
  const files = new Map<ExtractFileName, Uint8Array>();
  for (const name of EXTRACT_FILE_NAMES) {
    const content = parsed.data.files[name];
    if (content !== undefined) files.set(name, Buffer.from(content, 'base64'));
  }
  return { ok: true, request: { businessDate: parsed.data.businessDate, scheme: parsed.data.scheme, files } };
}
