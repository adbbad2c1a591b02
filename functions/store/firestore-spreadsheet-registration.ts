import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from './collections.js';

/**
 * Which branch a Google spreadsheet is registered to (`branches/{id}.spreadsheetId`), and making
 * it a branch's. A spreadsheet is one branch's at most: the sheet-edit path accepts a sheet's
 * edits as the branch's that registered it, so registering another branch's spreadsheet would
 * hand one branch's customers to another. The check and the write are one transaction (the query
 * is read inside it), so two adoptions at once cannot both take the same spreadsheet.
 */

export type SpreadsheetRegistration =
  /** it was the branch's already */
  | { state: 'registered' }
  /** it is the branch's now; `replaced` is the spreadsheet the branch had before, if any */
  | { state: 'registered now'; replaced: string | null }
  | { state: 'no such branch' }
  /** another branch has it: nothing was written */
  | { state: 'taken'; by: string };

/** The branches that have this spreadsheet registered (one at most, unless the store was edited by hand). */
export async function branchesWithSpreadsheet(db: Firestore, spreadsheetId: string): Promise<string[]> {
  const found = await db.collection(COLLECTIONS.branches).where('spreadsheetId', '==', spreadsheetId).select().get();
  return found.docs.map((d) => d.id);
}

/** Makes `spreadsheetId` branch `branchId`'s, unless another branch has it or the branch is not in the register. */
export async function registerSpreadsheet(db: Firestore, branchId: string, spreadsheetId: string): Promise<SpreadsheetRegistration> {
  const ref = db.collection(COLLECTIONS.branches).doc(branchId);
  const holders = db.collection(COLLECTIONS.branches).where('spreadsheetId', '==', spreadsheetId).select();
  return db.runTransaction(async (tx) => {
    const [branch, held] = await Promise.all([tx.get(ref), tx.get(holders)]);
    if (!branch.exists) return { state: 'no such branch' };
    const other = held.docs.find((d) => d.id !== branchId);
    if (other !== undefined) return { state: 'taken', by: other.id };
    const current = (branch.get('spreadsheetId') as string | null | undefined) ?? null;
    if (current === spreadsheetId) return { state: 'registered' };
    tx.update(ref, { spreadsheetId });
    return { state: 'registered now', replaced: current };
  });
}

/**
 * The spreadsheet is no branch's any more (`ladder unbind --spreadsheet`): every branch that has
 * it registered gets `spreadsheetId: null`, in one transaction. Returns those branches' ids.
 */
export async function unregisterSpreadsheet(db: Firestore, spreadsheetId: string): Promise<string[]> {
  const holders = db.collection(COLLECTIONS.branches).where('spreadsheetId', '==', spreadsheetId).select();
  return db.runTransaction(async (tx) => {
    const held = await tx.get(holders);
    for (const doc of held.docs) tx.update(doc.ref, { spreadsheetId: null });
    return held.docs.map((d) => d.id);
  });
}
