/**
 * Google's per-minute Sheets quotas, enforced the way Google answers them: read and write
 * requests counted apart, per user (here: the Authorization header the request came with, else
 * its `key` parameter; a service account is one user) and per project (the whole server is one
 * project), at most `perUserPerMinute` (60) and `perProjectPerMinute` (300) of a kind in any 60 s
 * of the injected clock. Google refills its quotas every minute ("Usage limits", Sheets API);
 * counting any 60 s is the strict reading of that — whatever second Google's minute starts at, a
 * client this server accepts is one Google accepts. A request over a limit is answered 429
 * RESOURCE_EXHAUSTED with the body Google sends (an ErrorInfo RATE_LIMIT_EXCEEDED naming the
 * metric and the limit; e.g. AutomaApp/automa#1844 "Quota exceeded for quota metric 'Read
 * requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com'
 * for consumer 'project_number:…'") and is not counted.
 */

export interface QuotaOptions {
  perUserPerMinute?: number;
  perProjectPerMinute?: number;
  /** the clock minutes are counted on (Date.now by default): tests pass a fake one */
  now?: () => number;
  projectNumber?: string;
}

type Kind = 'read' | 'write';

/** What Google counts as a read request; every other method is a write. */
export const READ_OPERATIONS: ReadonlySet<string> = new Set(['spreadsheets.get', 'spreadsheets.getByDataFilter', 'values.get', 'values.batchGet', 'values.batchGetByDataFilter', 'developerMetadata.get', 'developerMetadata.search']);

export interface QuotaErrorBody {
  error: { code: 429; message: string; status: 'RESOURCE_EXHAUSTED'; details: { '@type': string; reason: string; domain: string; metadata: Record<string, string> }[] };
}

export interface QuotaReport {
  /** requests answered 429 by the quota */
  refused: number;
  /** the most requests of each kind one user had accepted in any 60 s */
  mostPerUser: { read: number; write: number };
  mostPerProject: { read: number; write: number };
}

export class SheetsQuota {
  private readonly perUser: number;
  private readonly perProject: number;
  private readonly now: () => number;
  private readonly projectNumber: string;
  /** accepted request times, per `${scope}|${kind}`, oldest first (only the last 60 s are kept) */
  private readonly recent = new Map<string, number[]>();
  private refused = 0;
  private most = { user: { read: 0, write: 0 }, project: { read: 0, write: 0 } };

  constructor(options: QuotaOptions = {}) {
    this.perUser = options.perUserPerMinute ?? 60;
    this.perProject = options.perProjectPerMinute ?? 300;
    this.now = options.now ?? Date.now;
    this.projectNumber = options.projectNumber ?? '123456789012';
  }

  /** null when the request may go on (and it is counted), else the 429 body to answer */
  check(user: string, operation: string): QuotaErrorBody | null {
    const kind: Kind = READ_OPERATIONS.has(operation) ? 'read' : 'write';
    const now = this.now();
    const userTimes = this.window(`user:${user}|${kind}`, now);
    const projectTimes = this.window(`project|${kind}`, now);
    if (userTimes.length >= this.perUser) return this.refuse(kind, 'user');
    if (projectTimes.length >= this.perProject) return this.refuse(kind, 'project');
    userTimes.push(now);
    projectTimes.push(now);
    this.most.user[kind] = Math.max(this.most.user[kind], userTimes.length);
    this.most.project[kind] = Math.max(this.most.project[kind], projectTimes.length);
    return null;
  }

  /**
   * Starts the figures of report() afresh (the minutes already counted still limit what follows):
   * a benchmark sets up its spreadsheets, then measures only the night.
   */
  resetReport(): void {
    this.refused = 0;
    this.most.user = { read: 0, write: 0 };
    this.most.project = { read: 0, write: 0 };
  }

  report(): QuotaReport {
    return { refused: this.refused, mostPerUser: { ...this.most.user }, mostPerProject: { ...this.most.project } };
  }

  private window(key: string, now: number): number[] {
    let times = this.recent.get(key);
    if (times === undefined) this.recent.set(key, (times = []));
    while (times.length > 0 && (times[0] as number) <= now - 60_000) times.shift();
    return times;
  }

  private refuse(kind: Kind, scope: 'user' | 'project'): QuotaErrorBody {
    this.refused++;
    const Kind = kind === 'read' ? 'Read' : 'Write';
    const limitName = scope === 'user' ? `${Kind} requests per minute per user` : `${Kind} requests per minute`;
    const quotaLimit = scope === 'user' ? `${Kind}RequestsPerMinutePerUser` : `${Kind}RequestsPerMinutePerProject`;
    return {
      error: {
        code: 429,
        message: `Quota exceeded for quota metric '${Kind} requests' and limit '${limitName}' of service 'sheets.googleapis.com' for consumer 'project_number:${this.projectNumber}'.`,
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              quota_metric: `sheets.googleapis.com/${kind}_requests`,
              quota_limit: quotaLimit,
              quota_limit_value: String(scope === 'user' ? this.perUser : this.perProject),
              quota_location: 'global',
              consumer: `projects/${this.projectNumber}`,
              service: 'sheets.googleapis.com',
            },
          },
        ],
      },
    };
  }
}

/** The user a request authenticates as: its bearer token, else its API key, else anonymous. */
export function quotaUserOf(authorization: string | undefined, key: string | null): string {
  return authorization?.trim() || (key ? `key:${key}` : 'anonymous');
}
