import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { locatedErrorsOf } from '../../shared/located-error.js';
import type { WorkbookIdentity } from './xlsx-workbook-identity.js';

/**
 * What the system last knew of a local workbook's editable cells, kept beside it in
 * `DIR/.ladder/<file>.json` (not inside the workbook: an editor that still holds the workbook
 * open saves its own copy over the system's write-back, and a snapshot inside that copy would
 * be the old one, so the same edit would be sent again).
 *
 * - `cells`: per 客户号, the text of each editable cell as the system wrote it (a new row's
 *   archive) or as it was last sent through the sheet-edit path (accepted or refused). A cell
 *   whose text differs is an edit; a row with no entry compares against empty cells.
 * - `refused`: the cells refused, with the text refused and the Chinese reason for the note.
 * - `answered`: computed cells the edit path answered since the last full write, re-applied
 *   when an editor's save has put older ones back.
 * - `fileHash`: sha256 of the workbook as the snapshot fully reflects it (after the system's
 *   write-back): the same bytes are not read again. null when an unsent edit may be in the file.
 */

export const SNAPSHOT_DIR = '.ladder';

const cellTexts = z.record(z.string(), z.record(z.string(), z.string()));
const snapshotSchema = z.strictObject({
  version: z.literal(1),
  workbookId: z.string().min(1),
  branchId: z.string().min(1),
  cells: cellTexts,
  refused: z.record(z.string(), z.record(z.string(), z.strictObject({ value: z.string(), zh: z.string() }))),
  answered: cellTexts,
  fileHash: z.string().nullable(),
});
export type WorkbookSnapshot = z.infer<typeof snapshotSchema>;

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/** Where the snapshot of a workbook lives: a hidden folder beside it, one file per workbook. */
export function snapshotPath(workbookPath: string): string {
  return join(dirname(workbookPath), SNAPSHOT_DIR, `${basename(workbookPath)}.json`);
}

export function emptySnapshot(identity: WorkbookIdentity): WorkbookSnapshot {
  return { version: 1, workbookId: identity.workbookId, branchId: identity.branchId, cells: {}, refused: {}, answered: {}, fileHash: null };
}

/** The stored snapshot, or null when there is none. A damaged one is an error naming the file, never silently replaced. */
export async function readSnapshot(path: string): Promise<WorkbookSnapshot | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${path} is not JSON (${(error as Error).message}); delete it to send every filled editable cell once more`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const where = locatedErrorsOf(parsed.error).map((e) => `${e.path || '(top)'}: ${e.message}`).join('; ');
    throw new SnapshotError(`${path} is not a workbook snapshot (${where}); delete it to send every filled editable cell once more`);
  }
  return parsed.data;
}

/**
 * The snapshot another file name holds for this workbook id, if any: the workbook was renamed
 * (its old file is gone) or copied (both files are there). Unreadable snapshots are skipped.
 */
export async function snapshotUnderAnotherName(workbookPath: string, workbookId: string): Promise<{ file: string; snapshot: WorkbookSnapshot } | null> {
  const folder = join(dirname(workbookPath), SNAPSHOT_DIR);
  const own = `${basename(workbookPath)}.json`;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return null;
  }
  for (const name of names.filter((n) => n.endsWith('.json') && n !== own).sort()) {
    const snapshot = await readSnapshot(join(folder, name)).catch(() => null);
    if (snapshot?.workbookId === workbookId) return { file: name.slice(0, -'.json'.length), snapshot };
  }
  return null;
}

/** The snapshot for this workbook: the stored one if it is this workbook's, else a fresh one. */
export function snapshotOf(stored: WorkbookSnapshot | null, identity: WorkbookIdentity): WorkbookSnapshot {
  return stored !== null && stored.workbookId === identity.workbookId ? stored : emptySnapshot(identity);
}

/** Written to a temporary file and renamed into place: a crash leaves the old snapshot or the new one, never half of one. */
export async function writeSnapshot(path: string, snapshot: WorkbookSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshotSchema.parse(snapshot)) + '\n', 'utf8');
  await rename(temporary, path);
}

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
