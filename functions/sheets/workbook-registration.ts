import type { Firestore } from '@google-cloud/firestore';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { COLLECTIONS } from '../store/collections.js';
import { isWorkbookName } from './workbook-watcher.js';
import { readIdentity, type WorkbookIdentity } from './xlsx-workbook-identity.js';
import { readWorkbook } from './xlsx-workbook-file.js';

/**
 * Local workbooks and the branch register: a workbook's edits are accepted only when its id
 * is the branch document's `workbookId` (functions/store/firestore-sheet-edits.ts). Registering
 * is an operator's act (`ladder watch DIR --register`, or `npm start -- --watch` for the demo
 * bank it has just written); without it, `ladder watch` says which workbooks are not registered.
 */

export type RegistrationStatus =
  | { file: string; identity: WorkbookIdentity; state: 'registered' | 'not registered' | 'registered now' | 'no such branch'; replaced?: string | null }
  | { file: string; identity: null; state: 'not a branch workbook'; reason: string };

/** Each workbook of `dir` against its branch document; with `register`, its id is written there (replacing another workbook's). */
export async function checkRegistrations(db: Firestore, dir: string, register: boolean): Promise<RegistrationStatus[]> {
  const out: RegistrationStatus[] = [];
  for (const file of (await readdir(dir)).filter(isWorkbookName).sort()) {
    let identity: WorkbookIdentity | null;
    try {
      identity = readIdentity(await readWorkbook(join(dir, file)));
    } catch (error) {
      out.push({ file, identity: null, state: 'not a branch workbook', reason: (error as Error).message });
      continue;
    }
    if (identity === null) {
      out.push({ file, identity: null, state: 'not a branch workbook', reason: 'it has no _ladder tab' });
      continue;
    }
    out.push({ file, identity, ...(await registrationOf(db, identity, register)) });
  }
  return out;
}

/** Makes the workbook its branch's (`branches/{id}.workbookId`), as `--register` does; a branch not in Firestore is not created. */
export async function registerWorkbook(db: Firestore, identity: WorkbookIdentity): Promise<{ state: 'registered' | 'registered now' | 'no such branch'; replaced?: string | null }> {
  return (await registrationOf(db, identity, true)) as { state: 'registered' | 'registered now' | 'no such branch'; replaced?: string | null };
}

async function registrationOf(db: Firestore, identity: WorkbookIdentity, register: boolean): Promise<{ state: 'registered' | 'not registered' | 'registered now' | 'no such branch'; replaced?: string | null }> {
  const ref = db.collection(COLLECTIONS.branches).doc(identity.branchId);
  const branch = await ref.get();
  if (!branch.exists) return { state: 'no such branch' };
  const current = (branch.get('workbookId') as string | undefined) ?? null;
  if (current === identity.workbookId) return { state: 'registered' };
  if (!register) return { state: 'not registered' };
  await ref.update({ workbookId: identity.workbookId });
  return { state: 'registered now', replaced: current };
}

export function describeRegistration(s: RegistrationStatus): string {
  if (s.identity === null) return `${s.file} is not a branch workbook (${s.reason})`;
  const { branchId, workbookId } = s.identity;
  switch (s.state) {
    case 'registered':
      return `${s.file} is branch ${branchId}'s registered workbook ${workbookId}`;
    case 'registered now':
      return `${s.file} registered as branch ${branchId}'s workbook ${workbookId}${s.replaced ? ` (replacing ${s.replaced})` : ''}`;
    case 'no such branch':
      return `${s.file} names branch ${branchId}, which is not in Firestore: its edits will be refused`;
    case 'not registered':
      return `${s.file} (${workbookId}) is not branch ${branchId}'s registered workbook: its edits will be refused until it is registered (ladder watch DIR --register)`;
  }
}
