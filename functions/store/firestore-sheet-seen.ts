import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { SeenCells } from '../../shared/sheets/sheet-reconcile.js';
import { COLLECTIONS } from './collections.js';

/**
 * What the system last saw in a branch sheet's editable cells (shared/sheets/sheet-reconcile.ts):
 * per sheet, per 客户号, the editable texts as the nightly run last read them or wrote them on a
 * new row. Kept in CHUNKS documents per sheet — `sheetSeen/{sheetId}_{NN}`, a customer in the
 * chunk its number hashes to — plus `sheetSeen/{sheetId}_meta` (when it was last read), so that
 * a branch of 10,000 customers costs CHUNKS + 1 document reads a night (one getAll) and a write
 * only for a chunk whose texts changed. A chunk of ~160 customers × 12 short texts stays far
 * below Firestore's 1 MiB document limit.
 */

export const CHUNKS = 64;

const chunkSchema = z.object({ sheetId: z.string(), branchId: z.string(), chunk: z.number().int(), cells: z.record(z.string(), z.record(z.string(), z.string())) });
const metaSchema = z.object({ sheetId: z.string(), branchId: z.string(), readAt: z.date() });

export interface SheetSeen {
  /** null when the system has never seen this sheet */
  cells: SeenCells | null;
  /** when the sheet was last read for these cells (edits logged after it may not be in them) */
  readAt: Date | null;
  /** the chunks as stored, to write back only those that changed */
  stored: readonly string[];
}

/** A stable chunk for a customer number (FNV-1a), the same in every process. */
export function chunkOf(customerId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    h ^= customerId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % CHUNKS;
}

function docId(sheetId: string, part: number | 'meta'): string {
  return `${encodeURIComponent(sheetId)}_${part === 'meta' ? 'meta' : String(part).padStart(2, '0')}`;
}

/** Every chunk of a sheet in one getAll. */
export async function readSheetSeen(db: Firestore, sheetId: string): Promise<SheetSeen> {
  const col = db.collection(COLLECTIONS.sheetSeen);
  const refs = [col.doc(docId(sheetId, 'meta')), ...Array.from({ length: CHUNKS }, (_, i) => col.doc(docId(sheetId, i)))];
  const [meta, ...chunks] = await db.getAll(...refs);
  if (!meta?.exists) return { cells: null, readAt: null, stored: Array.from({ length: CHUNKS }, () => '') };
  const parsedMeta = metaSchema.parse({ ...meta.data(), readAt: meta.get('readAt')?.toDate?.() });
  const cells: SeenCells = {};
  const stored = chunks.map((doc) => {
    if (!doc.exists) return '';
    const chunk = chunkSchema.parse(doc.data());
    Object.assign(cells, chunk.cells);
    return canonical(chunk.cells);
  });
  return { cells, readAt: parsedMeta.readAt, stored };
}

/** Stores what is seen now: the chunks whose texts changed, and the meta document. Returns the documents written. */
export async function writeSheetSeen(db: Firestore, branchId: string, sheetId: string, before: SheetSeen, cells: SeenCells, readAt: Date): Promise<number> {
  const parts: SeenCells[] = Array.from({ length: CHUNKS }, () => ({}));
  for (const [customerId, texts] of Object.entries(cells)) (parts[chunkOf(customerId)] as SeenCells)[customerId] = texts;
  const col = db.collection(COLLECTIONS.sheetSeen);
  const batch = db.batch();
  let written = 0;
  parts.forEach((part, i) => {
    const text = canonical(part);
    // an empty chunk that was never written needs no document: a missing chunk reads as empty
    if (text === (before.stored[i] || canonical({}))) return;
    batch.set(col.doc(docId(sheetId, i)), { sheetId, branchId, chunk: i, cells: part });
    written++;
  });
  batch.set(col.doc(docId(sheetId, 'meta')), { sheetId, branchId, readAt });
  await batch.commit();
  return written + 1;
}

/** Cells in one order, so that a chunk read back compares equal to the same cells computed again. */
function canonical(cells: SeenCells): string {
  return JSON.stringify(
    Object.keys(cells)
      .sort()
      .map((id) => [id, Object.entries(cells[id] as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]),
  );
}
