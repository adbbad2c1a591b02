import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultRule, type LostAnswer, type RecordedRequest } from './fault-injection.js';
import { applyFieldMask, parseFieldMask } from './field-mask.js';
import { validateAgainstDiscovery } from './discovery-validation.js';
import { badRequest, faultMessage, SheetsApiError } from './google-error.js';
import { matchRoute } from './handlers.js';
import { quotaUserOf, SheetsQuota, type QuotaOptions } from './quota.js';
import { RequestHolds, type HeldRequest } from './request-hold.js';
import { SheetsState } from './spreadsheet-model.js';

/**
 * A local stand-in for sheets.googleapis.com, for the real googleapis client:
 * `google.sheets({ version: 'v4', auth: 'test-key', rootUrl: server.url })`.
 * Authentication is not checked; requests are logged and faults can be injected.
 *
 * It follows Google's discovery document for what the project sends (handlers.ts lists the
 * methods; structural-requests.ts and the files it names the batchUpdate kinds), and refuses
 * what the document does not allow before a handler runs: unknown names, wrong JSON types and
 * unknown `fields=` paths, in Google's words (discovery-validation.ts). Where it only
 * approximates Google, the file that does it says so: formulas are kept and moved, not computed
 * (spreadsheet-model.ts, formula-references.ts); text sorts by code point and sorting merged rows
 * is refused in the server's own words (sort-range.ts); a partly moved range (dimension-shift.ts);
 * which lookups intersect a tab's own metadata (metadata-search.ts); what a merge keeps
 * (merge-requests.ts).
 */

export interface SheetsApiServer {
  /** the rootUrl for the client, with a trailing slash: `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  state: SheetsState;
  /** every request so far, oldest first (live array) */
  requests: RecordedRequest[];
  /** the next `count` requests (matching `match`, if given) are answered with `code` */
  failNext(count: number, code: 429 | 500 | 503 | number, match?: FaultRule['match']): void;
  /** requests made for one spreadsheet, optionally of one operation (`values.batchUpdate`) */
  countRequests(spreadsheetId: string, operation?: string): number;
  /** the next request of `operation` (matching `match`, if given) waits until released (request-hold.ts) */
  holdNext(operation: string, match?: FaultRule['match']): HeldRequest;
  /** the next `count` requests (matching `match`, if given) are applied, then answered with a 5xx or dropped unanswered (fault-injection.ts) */
  loseAnswerNext(count: number, answer: LostAnswer, match?: FaultRule['match']): void;
  /** Google's per-minute quotas, when the server enforces them (quota.ts) */
  quota: SheetsQuota | null;
  close(): Promise<void>;
}

/**
 * Google refuses a larger body with 400 INVALID_ARGUMENT "Request payload size exceeds the limit:
 * 10485760 bytes." (reason badRequest; jlolling/talendcomp_tGoogleSheet#1, SCRT-HQ/PSGSuite#62).
 */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startSheetsApiServer(options: { quota?: QuotaOptions } = {}): Promise<SheetsApiServer> {
  // Enforced when asked for, or for every server when SHEETS_API_SERVER_QUOTA=on (quota.ts).
  const quota = options.quota !== undefined || process.env['SHEETS_API_SERVER_QUOTA'] === 'on' ? new SheetsQuota(options.quota) : null;
  const state = new SheetsState();
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const holds = new RequestHolds();
  let baseUrl = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, new SheetsApiError(500, String(error)).toBody()));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const { raw, bytes } = await readBody(req);
    const query: Record<string, string[]> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
    const match = matchRoute(method, url.pathname);
    const record: RecordedRequest = {
      method,
      path: safeDecode(url.pathname),
      query,
      body: undefined,
      operation: match?.route.operation ?? 'unknown',
      spreadsheetId: match?.spreadsheetId,
      status: 0,
      bodyBytes: bytes,
    };
    requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body);
    };

    try {
      if (bytes > MAX_BODY_BYTES) throw badRequest(`Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`);
      record.body = raw === '' ? undefined : parseJson(raw);
      await holds.pass(record);
      const injected = faults.take(record);
      if (injected !== undefined) return reply(injected, new SheetsApiError(injected, faultMessage(injected)).toBody());
      const overQuota = match === undefined ? null : (quota?.check(quotaUserOf(req.headers.authorization, url.searchParams.get('key')), match.route.operation) ?? null);
      if (overQuota !== null) return reply(429, overQuota);
      if (match === undefined) return reply(404, new SheetsApiError(404, `The test server has no route for ${method} ${url.pathname}`).toBody());
      const mask = parseMask(url.searchParams.get('fields'));
      const body = validateAgainstDiscovery(match.route.operation, record.body, mask);
      const result = match.route.handle({ state, spreadsheetId: match.spreadsheetId ?? '', param: match.param, query: url.searchParams, body, baseUrl });
      record.answer = result;
      const lost = faults.takeLostAnswer(record);
      if (typeof lost === 'number') return reply(lost, new SheetsApiError(lost, faultMessage(lost)).toBody());
      if (lost !== undefined) return await dropAnswer(res, lost.holdMs);
      reply(200, applyFieldMask(result, mask));
    } catch (error) {
      if (error instanceof SheetsApiError) return reply(error.code, error.toBody());
      reply(500, new SheetsApiError(500, error instanceof Error ? error.message : String(error)).toBody());
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/`;

  return {
    url: baseUrl,
    port,
    state,
    requests,
    quota,
    failNext: (count, code, match) => faults.failNext(count, code, match),
    countRequests: (spreadsheetId, operation) => requests.filter((r) => r.spreadsheetId === spreadsheetId && (operation === undefined || r.operation === operation)).length,
    holdNext: (operation, match) => holds.holdNext(operation, match),
    loseAnswerNext: (count, answer, match) => faults.loseAnswerNext(count, answer, match),
    close: () =>
      new Promise<void>((resolve, reject) => {
        holds.releaseAll();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** the request applied, its answer held until the client hangs up (or `holdMs`), then the connection closed unanswered */
async function dropAnswer(res: ServerResponse, holdMs = 30_000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, holdMs);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  res.destroy();
}

function readBody(req: IncomingMessage): Promise<{ raw: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ raw: size > MAX_BODY_BYTES ? '' : Buffer.concat(chunks).toString('utf8'), bytes: size }));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest(`Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 40)}`);
  }
}

function parseMask(fields: string | null) {
  if (fields === null) return undefined;
  try {
    return parseFieldMask(fields);
  } catch {
    throw badRequest(`Invalid field selection ${fields}`);
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
