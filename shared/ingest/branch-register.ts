import { z } from 'zod';
import { customerIdProblem } from '../customer-id.js';
import { ROLE_ZH, ROLES, type Role } from '../service/service-vocabulary.js';
import { MAX_TEXT_CELL, type FileCounts } from './day-ingest.js';
import type { RawRow, RowRejection } from './ingest-files.js';

/**
 * The branch register as extracts: branches.csv (机构: id, name, parent) and staff.csv (人员:
 * who works at which branch in which role) → what each branches/{id} document is to hold.
 * Pure: rows and the ids already stored in, branches, their managers and located rejections
 * out. A bad row is rejected alone; the rest of the file goes on.
 *
 * staff.csv, when sent, is the whole staff of the branches it covers: every branch of
 * branches.csv and every branch it names gets exactly its rows as managers (a branch of
 * branches.csv with no row gets none). Without staff.csv no branch's managers change. A
 * column the extract does not carry (no parent_id header) changes nothing either, and a bad
 * parent cell is rejected alone: the branch is stored, its parent left as it was.
 */

export interface RegisterBranch {
  branchId: string;
  name: string;
  /** null: a top-level branch; absent: the extract does not say (no column, or a cell rejected), so the stored parent is kept */
  parentId?: string | null;
}

/** One entry of branches/{id}.managers, the shape the nightly run and head office read. */
export interface RegisterManager {
  managerId: string;
  name: string;
  role: Role;
}

export interface BranchRegister {
  /** the rows of branches.csv used, in file order */
  branches: RegisterBranch[];
  /** branch id → its whole staff, for each branch whose managers are replaced; null when staff.csv was not sent (or not readable) */
  managers: ReadonlyMap<string, RegisterManager[]> | null;
  rejections: RowRejection[];
  counts: { branches?: FileCounts; staff?: FileCounts };
}

export interface RegisterRows {
  branches?: readonly RawRow[] | undefined;
  staff?: readonly RawRow[] | undefined;
}

/** Longest branch or staff number: far above a core system's, well under Firestore's 1,500-byte document id. */
export const MAX_REGISTER_ID_LENGTH = 100;

/**
 * The words a staff extract may use for a role: the code (wealth-manager …), the Chinese a
 * branch sheet shows for it (理财经理 …), and 客户经理, which many banks' HR systems use for the
 * same relationship-manager post.
 */
export const ROLE_WORDS: ReadonlyMap<string, Role> = new Map<string, Role>([...ROLES.map((r) => [r, r] as const), ...ROLES.map((r) => [ROLE_ZH[r], r] as const), ['客户经理', 'wealth-manager']]);

const ROLE_LIST = `${ROLES.map((r) => `${r} ${ROLE_ZH[r]}`).join(', ')} (客户经理 is taken as wealth-manager)`;

export function roleOf(word: string): Role | null {
  const text = word.trim();
  return ROLE_WORDS.get(text) ?? ROLE_WORDS.get(text.toLowerCase()) ?? null;
}

/** Why `id` cannot name a branch or a staff member (it names a document, or sits in one), or null. */
export function registerIdProblem(id: string, what: 'branch number' | 'staff number'): string | null {
  if (id.length > MAX_REGISTER_ID_LENGTH) return `is ${id.length} characters long; a ${what} has at most ${MAX_REGISTER_ID_LENGTH}`;
  return customerIdProblem(id);
}

const idCell = (what: 'branch number' | 'staff number') =>
  z
    .string()
    .trim()
    .superRefine((id, ctx) => {
      const problem = registerIdProblem(id, what);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });

const textCell = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (text === '') ctx.addIssue({ code: 'custom', message: 'is empty' });
    else if (text.length > MAX_TEXT_CELL) ctx.addIssue({ code: 'custom', message: `is ${text.length} characters long, at most ${MAX_TEXT_CELL}` });
  });

const branchRow = z.object({
  branch_id: idCell('branch number'),
  name: textCell,
  parent_id: z.string().trim().optional(),
});

const staffRow = z.object({
  staff_id: idCell('staff number'),
  branch_id: idCell('branch number'),
  name: textCell,
  role: z
    .string()
    .trim()
    .transform((word, ctx): Role => {
      const role = roleOf(word);
      if (role === null) {
        ctx.addIssue({ code: 'custom', message: word === '' ? `is empty; must be one of ${ROLE_LIST}` : `“${word}” is not a role; must be one of ${ROLE_LIST}` });
        return z.NEVER;
      }
      return role;
    }),
});

/** The branch ids the rows name (their own, parents', staff's), those that can be ids: what to look up in the store first. */
export function branchIdsNamed(rows: RegisterRows): string[] {
  const ids = new Set<string>();
  const add = (cell: string | undefined) => {
    const id = (cell ?? '').trim();
    if (id !== '' && registerIdProblem(id, 'branch number') === null) ids.add(id);
  };
  for (const row of rows.branches ?? []) {
    add(row.cells['branch_id']);
    add(row.cells['parent_id']);
  }
  for (const row of rows.staff ?? []) add(row.cells['branch_id']);
  return [...ids].sort();
}

/**
 * The register's rows → branches and managers. `stored` holds the branch ids already in the
 * store (of those `branchIdsNamed` gives): a parent or a staff member's branch must be in
 * branches.csv or there.
 */
export function readBranchRegister(rows: RegisterRows, stored: ReadonlySet<string>): BranchRegister {
  const rejections: RowRejection[] = [];
  const counts: BranchRegister['counts'] = {};
  const each = (kind: keyof RegisterRows, handle: (row: RawRow) => RowRejection | null) => {
    const list = rows[kind];
    if (!list) return;
    const c: FileCounts = { read: 0, accepted: 0, rejected: 0 };
    for (const row of list) {
      c.read++;
      const problem = handle(row);
      if (problem) {
        c.rejected++;
        rejections.push(problem);
      } else c.accepted++;
    }
    counts[kind] = c;
  };

  const branches = new Map<string, RegisterBranch>();
  const lineOf = new Map<string, RawRow>();
  const inFile = new Set((rows.branches ?? []).map((row) => (row.cells['branch_id'] ?? '').trim()));
  const unknown = (id: string) => (inFile.has(id) ? 'whose row in branches.csv was rejected and which is not in Firestore' : 'which is neither in branches.csv nor in Firestore');
  each('branches', (row) => {
    const parsed = branchRow.safeParse(row.cells);
    if (!parsed.success) return rejectionOf(row, parsed.error);
    const { branch_id: branchId, name, parent_id: parent } = parsed.data;
    if (branches.has(branchId)) return rejectRow(row, 'branch_id', `branch ${branchId} appears twice in branches.csv; the first row is kept`);
    branches.set(branchId, parent === undefined ? { branchId, name } : { branchId, name, parentId: parent === '' ? null : parent });
    lineOf.set(branchId, row);
    return null;
  });

  // Parents are checked once the whole file is read: a parent may come after its children.
  // A bad parent cell is rejected alone (the row is used), like a bad optional cell of the customer master.
  const parentProblem = (b: RegisterBranch, reason: string) => {
    rejections.push(rejectRow(lineOf.get(b.branchId)!, 'parent_id', `${reason}; the cell was not used (the parent stored, if any, is kept)`));
    delete b.parentId;
  };
  for (const b of branches.values()) {
    const parent = b.parentId;
    if (parent === undefined || parent === null) continue;
    const idProblem = registerIdProblem(parent, 'branch number');
    if (idProblem !== null) parentProblem(b, idProblem);
    else if (parent === b.branchId) parentProblem(b, 'names the branch itself as its parent');
    else if (!branches.has(parent) && !stored.has(parent)) parentProblem(b, `names branch ${parent}, ${unknown(parent)}`);
  }
  // Every branch of a loop is told (none of them is more wrong than another); found before any is cut.
  const loops = [...branches.values()].flatMap((b) => {
    const loop = loopOf(b, branches);
    return loop === null ? [] : [{ b, loop }];
  });
  for (const { b, loop } of loops) parentProblem(b, `would make a loop of parents (${loop.join(' → ')})`);

  let managers: Map<string, RegisterManager[]> | null = null;
  if (rows.staff !== undefined) {
    const staff = new Map<string, RegisterManager[]>([...branches.keys()].map((id) => [id, []]));
    const seen = new Set<string>();
    each('staff', (row) => {
      const parsed = staffRow.safeParse(row.cells);
      if (!parsed.success) return rejectionOf(row, parsed.error);
      const { staff_id: managerId, branch_id: branchId, name, role } = parsed.data;
      if (seen.has(managerId)) return rejectRow(row, 'staff_id', `staff ${managerId} appears twice in staff.csv; the first row is kept`);
      if (!branches.has(branchId) && !stored.has(branchId)) return rejectRow(row, 'branch_id', `names branch ${branchId}, ${unknown(branchId)}`);
      seen.add(managerId);
      const list = staff.get(branchId) ?? [];
      list.push({ managerId, name, role });
      staff.set(branchId, list);
      return null;
    });
    managers = staff;
  }
  return { branches: [...branches.values()], managers, rejections, counts };
}

/** The chain of parents from `start` back to itself within the file, or null when it ends. */
function loopOf(start: RegisterBranch, branches: ReadonlyMap<string, RegisterBranch>): string[] | null {
  const chain = [start.branchId];
  let next = start.parentId;
  while (typeof next === 'string' && branches.has(next)) {
    chain.push(next);
    if (next === start.branchId) return chain;
    if (chain.length > branches.size + 1) return null; // a loop that does not pass through start
    next = branches.get(next)!.parentId;
  }
  return null;
}

function rejectRow(row: RawRow, column: string | null, reason: string): RowRejection {
  const branchId = (row.cells['branch_id'] ?? '').trim();
  return { file: row.file, line: row.line, column, customerId: null, branchId: branchId === '' ? null : branchId, reason, raw: row.raw };
}

/** zod's first issue (columns are checked ids first, then name, then role) as the row's rejection. */
function rejectionOf(row: RawRow, error: z.ZodError): RowRejection {
  const issue = error.issues[0]!;
  return rejectRow(row, issue.path.length > 0 ? String(issue.path[0]) : null, issue.message);
}
