/**
 * The adoptSheet call: asks the function to adopt this spreadsheet's own ledger (管户台账) as
 * 客户名单 — a preview first (dryRun), then the binding — and reads its answer. Same URL base,
 * same signature or identity token as sheetEdit (ladder-client.ts postSigned). The function
 * answers 200 with `{ok: true, preview, applied}` or `{ok: false, problems}`; any other status is
 * a failure. Fields the dialog does not show are not checked; a field it shows must have its type.
 */

interface AdoptChoices {
  /** the tab's title, when the manager named it */
  tab?: string;
  /** the header's last row, when the manager named it */
  headerRow?: number;
  /** the manager's mapping, each `THEIRS=LAYOUT` (their header text or column letter = a layout column), e.g. `B=客户号` */
  map?: string[];
}

interface AdoptBody extends AdoptChoices {
  branchId: string;
  spreadsheetId: string;
  editor: string;
  dryRun: boolean;
}

interface AdoptProblem {
  code: string;
  zh: string;
}

interface AdoptPreview {
  tab: string;
  headerRow: number;
  headerRows: number;
  titleRows: number[];
  columns: { column: string; header: string; group: string | null; role: string; field: string | null }[];
  matched: number;
  unmatched: { row: number; value: string; reason: string; zh: string }[];
  conflicts: { row: number; customerId: string; field: string; sheet: string; stored: string }[];
  adds: { kind: string; zh: string }[];
  /** the archive cells the binding would read in, on how many rows, and how many equal what is stored; null when not said */
  archive: { rows: number; cells: number; same: number } | null;
}

interface AdoptArchive {
  accepted: number;
  refused: { row: number; customerId: string; field: string; zh: string }[];
}

type AdoptAnswer = { ok: true; preview: AdoptPreview; archive: AdoptArchive | null; replaced: string | null } | { ok: false; problems: AdoptProblem[] };

type AdoptResult = { ok: true; answer: AdoptAnswer } | { ok: false; zh: string; en: string };

/** adoptSheet's URL: the sheetEdit URL with its last path segment replaced (…/sheetEdit → …/adoptSheet), or null when the URL does not end in /sheetEdit. */
function adoptUrlOf(functionUrl: string): string | null {
  const m = /^(https?:\/\/[^?#]*\/)sheetEdit(\/?)([?#].*)?$/.exec(functionUrl);
  return m === null ? null : `${m[1]}adoptSheet${m[2] ?? ''}${m[3] ?? ''}`;
}

function postAdoption(settings: LadderSettings, url: string, body: AdoptBody): AdoptResult {
  const sent = postSigned(settings, url, body);
  if (!sent.ok) return sent;
  if (sent.status !== 200) return { ok: false, ...httpFailure(sent.status, sent.text) };
  const answer = adoptAnswerOf(parsedJson(sent.text));
  return answer !== null ? { ok: true, answer } : { ok: false, zh: '服务返回了无法识别的结果，请联系管理员', en: `adoptSheet: HTTP 200 with an unexpected body: ${sent.text.slice(0, 200)}` };
}

function adoptAnswerOf(body: unknown): AdoptAnswer | null {
  if (!isObject(body)) return null;
  if (body['ok'] === false) {
    const problems = body['problems'];
    if (!Array.isArray(problems) || problems.length === 0) return null;
    const out: AdoptProblem[] = [];
    for (const p of problems) {
      if (!isObject(p) || typeof p['zh'] !== 'string') return null;
      out.push({ code: typeof p['code'] === 'string' ? p['code'] : '', zh: p['zh'] });
    }
    return { ok: false, problems: out };
  }
  if (body['ok'] !== true) return null;
  const preview = adoptPreviewOf(body['preview']);
  if (preview === null) return null;
  const applied = body['applied'];
  if (applied === undefined || applied === null) return { ok: true, preview, archive: null, replaced: null };
  if (!isObject(applied)) return null;
  const archive = adoptArchiveOf(applied['archive']);
  // the spreadsheet the branch had registered before, which this one now replaces
  const replaced = typeof applied['replaced'] === 'string' && applied['replaced'] !== '' ? applied['replaced'] : null;
  return archive === undefined ? null : { ok: true, preview, archive, replaced };
}

function adoptPreviewOf(p: unknown): AdoptPreview | null {
  if (!isObject(p) || typeof p['tab'] !== 'string' || typeof p['headerRow'] !== 'number' || typeof p['matched'] !== 'number') return null;
  const columns = listOf(p['columns'], (c) => (typeof c['column'] === 'string' && typeof c['role'] === 'string' ? { column: c['column'], header: textOr(c['header']), group: typeof c['group'] === 'string' && c['group'] !== '' ? c['group'] : null, role: c['role'], field: typeof c['field'] === 'string' ? c['field'] : null } : null));
  const unmatched = listOf(p['unmatched'], (u) => (typeof u['row'] === 'number' && typeof u['zh'] === 'string' ? { row: u['row'], value: textOr(u['value']), reason: textOr(u['reason']), zh: u['zh'] } : null));
  const conflicts = listOf(p['conflicts'], (c) => (typeof c['row'] === 'number' && typeof c['customerId'] === 'string' && typeof c['field'] === 'string' ? { row: c['row'], customerId: c['customerId'], field: c['field'], sheet: textOr(c['sheet']), stored: textOr(c['stored']) } : null));
  const adds = listOf(p['adds'], (a) => (typeof a['zh'] === 'string' ? { kind: textOr(a['kind']), zh: a['zh'] } : null));
  if (columns === null || unmatched === null || conflicts === null || adds === null) return null;
  const headerRows = typeof p['headerRows'] === 'number' ? p['headerRows'] : 1;
  const titleRows = Array.isArray(p['titleRows']) ? p['titleRows'].filter((r): r is number => typeof r === 'number') : [];
  const a = p['archive'];
  const archive = isObject(a) && typeof a['rows'] === 'number' && typeof a['cells'] === 'number' && typeof a['same'] === 'number' ? { rows: a['rows'], cells: a['cells'], same: a['same'] } : null;
  return { tab: p['tab'], headerRow: p['headerRow'], headerRows, titleRows, columns, matched: p['matched'], unmatched, conflicts, adds, archive };
}

/** The archive part of `applied`: null when absent, undefined when it is there but unreadable. */
function adoptArchiveOf(a: unknown): AdoptArchive | null | undefined {
  if (a === undefined || a === null) return null;
  if (!isObject(a) || typeof a['accepted'] !== 'number') return undefined;
  const refused = listOf(a['refused'], (r) => (typeof r['row'] === 'number' && typeof r['zh'] === 'string' ? { row: r['row'], customerId: textOr(r['customerId']), field: textOr(r['field']), zh: r['zh'] } : null));
  return refused === null ? undefined : { accepted: a['accepted'], refused };
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function textOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Each item read by `read`; absent is an empty list, an item `read` refuses makes the whole list null. */
function listOf<T>(value: unknown, read: (item: { [key: string]: unknown }) => T | null): T[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const out: T[] = [];
  for (const item of value) {
    const got = isObject(item) ? read(item) : null;
    if (got === null) return null;
    out.push(got);
  }
  return out;
}
