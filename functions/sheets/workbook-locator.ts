import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isWorkbookName } from './workbook-watcher.js';
import { readIdentity } from './xlsx-workbook-identity.js';
import { readWorkbook } from './xlsx-workbook-file.js';

/**
 * Where the local workbook of a spreadsheet id is. A local workbook's id is `xlsx:<uuid>`, kept
 * in its `_ladder` tab (xlsx-workbook-identity.ts) and registered on its branch as
 * `branches/{id}.workbookId`; the file may be renamed or moved within its folder, so the id,
 * not the name, says which file it is. `refresh` asks again after the file was not found
 * where it was (renamed, replaced). The gateway checks the identity of every file it opens.
 */
export type WorkbookLocator = (spreadsheetId: string, refresh?: boolean) => Promise<string>;

export class WorkbookNotFoundError extends Error {
  override readonly name = 'WorkbookNotFoundError';
}

/** Known files: id → path (e.g. the workbooks a run has just prepared). */
export function workbooksAt(paths: Iterable<readonly [string, string]>): WorkbookLocator {
  const known = new Map(paths);
  return async (spreadsheetId) => {
    const path = known.get(spreadsheetId);
    if (path === undefined) throw new WorkbookNotFoundError(`no local workbook is known for ${spreadsheetId}`);
    return path;
  };
}

/**
 * The workbooks of a folder, found by the id each carries (read once, read again when an id is
 * not found or a file moved). Two files with one id — a copy of a workbook saved beside it —
 * are refused by name: which one is the branch's sheet is the operator's call.
 */
export function workbookFolder(dir: string): WorkbookLocator {
  let index: Map<string, string[]> | null = null;
  const scan = async (): Promise<Map<string, string[]>> => {
    const found = new Map<string, string[]>();
    for (const file of (await readdir(dir)).filter(isWorkbookName).sort()) {
      try {
        const workbook = await readWorkbook(join(dir, file));
        const identity = readIdentity(workbook);
        if (identity !== null) found.set(identity.workbookId, [...(found.get(identity.workbookId) ?? []), join(dir, file)]);
      } catch {
        // not a readable workbook (half saved, damaged, not ours): it cannot be the one asked for
      }
    }
    return found;
  };
  return async (spreadsheetId, refresh = false) => {
    if (index === null || refresh || !index.has(spreadsheetId)) index = await scan();
    const paths = index.get(spreadsheetId) ?? [];
    if (paths.length === 0) throw new WorkbookNotFoundError(`no workbook in ${dir} is ${spreadsheetId}`);
    if (paths.length > 1) throw new WorkbookNotFoundError(`${paths.join(' and ')} are both ${spreadsheetId} (a copy saved beside the workbook?): move the copy out of ${dir}`);
    return paths[0] as string;
  };
}
