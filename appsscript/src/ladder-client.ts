/**
 * The HTTP call: POST the edited rows to the sheetEdit function (docs/functions.md) and read
 * its answer (adopt-client.ts posts to adoptSheet the same way). Authenticated by a signature when a key is configured, otherwise by the
 * Google identity token of the account that runs the script (for the edit trigger: the one
 * who enabled sync; the editor travels in the body). Never throws: a failure comes back as a
 * reason in Chinese for the sheet and in English for the log.
 */

interface EditedRowBody {
  row: number;
  customerId: string;
  cells: { [header: string]: string };
}

interface SheetEditBody {
  branchId: string;
  spreadsheetId: string;
  editor: string;
  rows: EditedRowBody[];
}

interface AnsweredRow {
  row: number;
  customerId: string;
  accepted: string[];
  refused: { column: string; zh: string }[];
  computed: { [header: string]: string } | null;
}

type PostResult = { ok: true; rows: AnsweredRow[] } | { ok: false; zh: string; en: string };

function postEditedRows(settings: LadderSettings, body: SheetEditBody): PostResult {
  const sent = postSigned(settings, settings.functionUrl, body);
  return sent.ok ? readAnswer(sent.status, sent.text) : sent;
}

/** What came back: any status, with the body's text; or why nothing did. */
type HttpResult = { ok: true; status: number; text: string } | { ok: false; zh: string; en: string };

/**
 * POSTs `body` as ASCII JSON to `url`, signed with the key when one is set, else with the
 * identity token of the account running the script. The one way this script calls the cloud
 * functions (sheetEdit, adoptSheet). Never throws.
 */
function postSigned(settings: LadderSettings, url: string, body: unknown): HttpResult {
  const raw = asciiJson(body);
  const headers: { [name: string]: string } = {};
  if (settings.secret !== null) {
    headers['X-Ladder-Signature'] = signatureHeader(settings.secret, raw, Math.floor(Date.now() / 1000));
  } else {
    const token = ScriptApp.getIdentityToken();
    if (!token) return { ok: false, zh: '无法取得Google身份令牌（需要openid权限），请在「设置连接」中填写签名密钥', en: 'ScriptApp.getIdentityToken() returned nothing: is the openid scope granted?' };
    headers['Authorization'] = `Bearer ${token}`;
  }
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json', payload: raw, headers, muteHttpExceptions: true, followRedirects: false });
  } catch (error) {
    return { ok: false, zh: '无法连接到财富阶梯服务，请检查网络或「设置连接」中的函数地址', en: `POST ${url} failed: ${messageOf(error)}` };
  }
  return { ok: true, status: response.getResponseCode(), text: response.getContentText('UTF-8') };
}

/**
 * JSON with every character outside ASCII written as a \u escape: the same document, but its
 * bytes are the same in any charset, so what is signed is exactly what arrives.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${`000${c.charCodeAt(0).toString(16)}`.slice(-4)}`);
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, as functions/http/request-signature.ts checks it. */
function signatureHeader(secret: string, rawBody: string, unixSeconds: number): string {
  const mac = Utilities.computeHmacSha256Signature(`${unixSeconds}.${rawBody}`, secret, Utilities.Charset.UTF_8);
  return `t=${unixSeconds},v1=${hexOf(mac)}`;
}

/** Apps Script hands bytes back as signed Java bytes (-128…127): each is masked to 0…255 before it becomes two hex digits. */
function hexOf(bytes: readonly number[]): string {
  let hex = '';
  for (const b of bytes) hex += ((b & 0xff) + 0x100).toString(16).slice(1);
  return hex;
}

function readAnswer(status: number, text: string): PostResult {
  if (status !== 200) return { ok: false, ...httpFailure(status, text) };
  const rows = answeredRows(parsedJson(text));
  return rows !== null ? { ok: true, rows } : { ok: false, zh: '服务返回了无法识别的结果，请联系管理员', en: `HTTP 200 with an unexpected body: ${text.slice(0, 200)}` };
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A status other than 200, in the manager's words (zh) and with the function's code and message for the log (en). */
function httpFailure(status: number, text: string): { zh: string; en: string } {
  const body = parsedJson(text);
  const error = body !== null && typeof body === 'object' ? (body as { code?: unknown; message?: unknown }) : {};
  const en = `HTTP ${status} ${String(error.code ?? '')}: ${String(error.message ?? text.slice(0, 200))}`;
  if (status === 401 || status === 403) return { zh: '服务拒绝了请求：身份验证未通过（请检查签名密钥，或请管理员允许启用同步的账号）', en };
  if (status === 400) return { zh: '服务认为请求格式有误，请联系管理员', en };
  if (status === 404 || status === 405) return { zh: `函数地址可能有误（HTTP ${status}），请检查「设置连接」`, en };
  if (status === 500 && error.code === 'CONFIG_INVALID') return { zh: '服务端配置有误，请联系管理员', en };
  if (status >= 500) return { zh: `服务暂时不可用（HTTP ${status}）`, en };
  return { zh: `服务返回了意外的结果（HTTP ${status}）`, en };
}

/** The answer's rows when they have the documented shape, else null (nothing is written from a body we do not understand). */
function answeredRows(body: unknown): AnsweredRow[] | null {
  const rows = body !== null && typeof body === 'object' ? (body as { rows?: unknown }).rows : undefined;
  if (!Array.isArray(rows)) return null;
  const out: AnsweredRow[] = [];
  for (const r of rows) {
    if (r === null || typeof r !== 'object') return null;
    const row = r as { row?: unknown; customerId?: unknown; accepted?: unknown; refused?: unknown; computed?: unknown };
    if (typeof row.row !== 'number' || typeof row.customerId !== 'string' || !Array.isArray(row.accepted) || !Array.isArray(row.refused)) return null;
    const accepted = row.accepted.filter((h): h is string => typeof h === 'string');
    const refused = row.refused.filter((x): x is { column: string; zh: string } => x !== null && typeof x === 'object' && typeof x.column === 'string' && typeof x.zh === 'string');
    const computed = row.computed !== null && typeof row.computed === 'object' ? (row.computed as { [header: string]: string }) : null;
    out.push({ row: row.row, customerId: row.customerId, accepted, refused, computed });
  }
  return out;
}

function messageOf(error: unknown): string {
  // Duck-typed: an error thrown by another realm (Apps Script's services, the tests' fakes) is no instanceof Error here.
  const message = error !== null && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
