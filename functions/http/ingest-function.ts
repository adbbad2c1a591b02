import type { Firestore } from '@google-cloud/firestore';
import type { IncomingHttpHeaders } from 'node:http';
import { INGEST_FILES } from '../../shared/ingest/ingest-files.js';
import type { LocatedError } from '../../shared/located-error.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { runIngest, type IngestReport } from '../ingest/run-ingest.js';
import { ConfigError } from '../scheme-source.js';
import { bearerChecker } from './bearer-token.js';
import { parseIngestRequest } from './ingest-request.schema.js';

/**
 * The `ingest` HTTP function: what `ladder ingest --date D DIR` does, with the extract files
 * in a JSON body (docs/functions.md). Built by a factory from its dependencies; it reads no
 * environment (functions/index.ts does). A rejected row is part of a 200 report, never a
 * failed request; only a bad request, a bad token or an unexpected failure is an error.
 */

/** The parts of the functions-framework (Express) request the handler uses. */
export interface IngestHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: Buffer;
  executionId?: string;
}

/** The parts of the functions-framework (Express) response the handler uses. */
export interface IngestHttpResponse {
  status(code: number): unknown;
  set(field: string, value: string): unknown;
  json(body: unknown): unknown;
}

export type ErrorCode = 'METHOD_NOT_ALLOWED' | 'UNAUTHENTICATED' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'INVALID_REQUEST' | 'INTERNAL' | ConfigError['code'];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  errors?: LocatedError[];
}

export interface LogEntry {
  severity: 'INFO' | 'ERROR';
  message: string;
  [field: string]: unknown;
}

export interface IngestFunctionDeps {
  db: Firestore;
  /** A scheme by id, or null when there is none by that id. */
  loadScheme: (id: string) => Promise<Scheme | null>;
  now: () => Date;
  /** The shared secret callers send as `Authorization: Bearer <token>`. */
  token: string;
  /** The scheme used when the body names none. */
  defaultSchemeId: string;
  /** Request bodies larger than this are refused with 413 (default 32 MiB, the Cloud Functions request limit). */
  maxBodyBytes?: number;
  /** Structured log lines (default: one JSON line per entry on standard error, which Cloud Logging reads). */
  log?: (entry: LogEntry) => void;
}

export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** The response lists this many rejected rows at most; all of them are stored under runs/{runId}/rejects. */
export const MAX_REJECTIONS_IN_RESPONSE = 1000;

const FILE_NAME_OF = Object.fromEntries(Object.entries(INGEST_FILES).map(([kind, spec]) => [kind, spec.file])) as Record<keyof typeof INGEST_FILES, string>;

/** Builds the handler registered as `ingest`. */
export function createIngestHandler(deps: IngestFunctionDeps): (req: IngestHttpRequest, res: IngestHttpResponse) => Promise<void> {
  const checkBearer = bearerChecker(deps.token);
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_BODY_BYTES;
  const log = deps.log ?? ((entry: LogEntry) => process.stderr.write(JSON.stringify(entry) + '\n'));

  return async function ingestHttp(req, res) {
    const fail = (status: number, body: ErrorBody) => {
      res.status(status);
      res.json(body);
    };
    try {
      if (req.method !== 'POST') {
        res.set('Allow', 'POST');
        return fail(405, { code: 'METHOD_NOT_ALLOWED', message: `the ingest function takes POST requests, not ${req.method}` });
      }
      const auth = checkBearer(req.headers.authorization);
      if (auth !== 'ok') {
        res.set('WWW-Authenticate', 'Bearer');
        const message = auth === 'missing' ? 'send the ingest token as "Authorization: Bearer <token>"' : 'the bearer token is not valid';
        return fail(401, { code: 'UNAUTHENTICATED', message });
      }
      const size = req.rawBody?.length ?? Number(req.headers['content-length'] ?? 0);
      if (size > maxBodyBytes) {
        return fail(413, { code: 'PAYLOAD_TOO_LARGE', message: `the request body is ${size} bytes; at most ${maxBodyBytes} are accepted (send the files in smaller requests or use \`ladder ingest\`)` });
      }
      if (!isJson(req.headers['content-type'])) {
        return fail(415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the request body as JSON with "Content-Type: application/json"' });
      }
      const parsed = parseIngestRequest(req.body);
      if (!parsed.ok) return fail(400, { code: 'INVALID_REQUEST', message: 'the request body is not a valid ingest request', errors: parsed.errors });
      const { businessDate, files } = parsed.request;
      const schemeId = parsed.request.scheme ?? deps.defaultSchemeId;
      const scheme = await deps.loadScheme(schemeId);
      if (scheme === null) {
        return fail(400, { code: 'INVALID_REQUEST', message: 'the request body is not a valid ingest request', errors: [{ path: 'scheme', message: `there is no scheme with id "${schemeId}"` }] });
      }
      const report = await runIngest(deps.db, { date: businessDate, files, origin: 'http', scheme, now: deps.now });
      const response = toResponse(report, scheme.id);
      log({ severity: 'INFO', message: `ingest ${report.businessDate}: ${response.accepted} rows accepted, ${response.rejected} rejected, ${report.write.customersWritten} customers written`, runId: report.runId, executionId: req.executionId });
      res.status(200);
      res.json(response);
    } catch (error) {
      const code: ErrorCode = error instanceof ConfigError ? error.code : 'INTERNAL';
      // The cause goes to the log only: a caller never sees a stack trace or internal message.
      log({ severity: 'ERROR', message: `ingest failed: ${(error as Error)?.message ?? String(error)}`, code, stack: (error as Error)?.stack, executionId: req.executionId });
      const message =
        code === 'INTERNAL'
          ? `the ingest failed unexpectedly and may be retried; the cause is in the function log${req.executionId ? ` (execution ${req.executionId})` : ''}`
          : 'the function’s scheme configuration is broken; the cause is in the function log';
      fail(500, { code, message });
    }
  };
}

export interface IngestResponseBody {
  runId: string;
  businessDate: string;
  scheme: string;
  files: { file: string; kind: string; encoding: string; read: number; accepted: number; rejected: number }[];
  missing: string[];
  read: number;
  accepted: number;
  rejected: number;
  rejections: { file: string; line: number; column: string | null; customerId: string | null; reason: string }[];
  rejectionsTruncated: boolean;
  write: { customersWritten: number; withdrawn: number; writes: number };
}

/** The run report as the caller sees it: whitelisted fields, rejected rows without their raw text. */
export function toResponse(report: IngestReport, schemeId: string): IngestResponseBody {
  return {
    runId: report.runId,
    businessDate: report.businessDate,
    scheme: schemeId,
    files: report.files.map((f) => ({ file: FILE_NAME_OF[f.kind], kind: f.kind, encoding: f.encoding, read: f.read, accepted: f.accepted, rejected: f.rejected })),
    missing: report.missing.map((kind) => FILE_NAME_OF[kind]),
    read: report.files.reduce((n, f) => n + f.read, 0),
    accepted: report.files.reduce((n, f) => n + f.accepted, 0),
    rejected: report.rejections.length,
    rejections: report.rejections.slice(0, MAX_REJECTIONS_IN_RESPONSE).map((r) => ({ file: r.file, line: r.line, column: r.column, customerId: r.customerId, reason: r.reason })),
    rejectionsTruncated: report.rejections.length > MAX_REJECTIONS_IN_RESPONSE,
    write: { customersWritten: report.write.customersWritten, withdrawn: report.write.withdrawn, writes: report.write.writes },
  };
}

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType !== undefined && mediaType.endsWith('+json'));
}
