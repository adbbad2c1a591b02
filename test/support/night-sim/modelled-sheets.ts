import type { sheets_v4 } from 'googleapis';
import { SheetsQuota } from '../sheets-api-server/quota.js';
import type { VirtualClock } from '../virtual-clock.js';

/**
 * A model of the Google Sheets API for simulating a night: the subset of the googleapis client
 * the branch gateway and the head-office writer call, answering after a fixed latency on the
 * virtual clock, with Google's per-minute quotas enforced by the Sheets API test server's own
 * quota logic (SheetsQuota, test/support/sheets-api-server/quota.ts: 60 reads and 60 writes a
 * minute per user, 300 per project, any 60 s; one SheetsQuota per Cloud project). A request over
 * a limit is refused as the test server refuses it — HTTP 429 with Google's RESOURCE_EXHAUSTED
 * body and no Retry-After — in the shape googleapis throws (status, response.status, headers).
 * The quota is counted when the request is sent; its answer comes after the latency. Nothing is
 * stored: every spreadsheet reads back empty (the branch model plans nothing from it), and a
 * write answers how many ranges it had.
 */

export interface SheetsLatency {
  /** a spreadsheets.get */
  readMs: number;
  /** a batchUpdate or a values write */
  writeMs: number;
}

export interface SheetsRequestRecord {
  at: number;
  account: string;
  project: string;
  operation: string;
  spreadsheetId: string;
  status: 200 | 429;
}

/** The projects' quotas, one per Cloud project, on the virtual clock. */
export class ModelledSheetsApi {
  readonly requests: SheetsRequestRecord[] = [];
  private readonly quotas = new Map<string, SheetsQuota>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly latency: SheetsLatency,
  ) {}

  /** the client one service account of `project` uses (googleapis' shape, only the calls the product makes) */
  clientFor(account: string, project: string): sheets_v4.Sheets {
    const call = async <T>(operation: string, spreadsheetId: string, answer: () => T, ms: number): Promise<{ status: number; data: T }> => {
      const refused = this.quota(project).check(account, operation);
      this.requests.push({ at: this.clock.now(), account, project, operation, spreadsheetId, status: refused === null ? 200 : 429 });
      await this.clock.sleep(ms);
      if (refused !== null) throw Object.assign(new Error(refused.error.message), { status: 429, code: 429, response: { status: 429, headers: {}, data: refused } });
      return { status: 200, data: answer() };
    };
    const written = (id: string, data: readonly unknown[] | undefined) => () => ({ spreadsheetId: id, totalUpdatedCells: data?.length ?? 0 });
    const client = {
      spreadsheets: {
        get: (params: { spreadsheetId: string }) => call('spreadsheets.get', params.spreadsheetId, () => ({ spreadsheetId: params.spreadsheetId, spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${params.spreadsheetId}/edit`, properties: { title: params.spreadsheetId }, sheets: [] }), this.latency.readMs),
        batchUpdate: (params: { spreadsheetId: string; requestBody?: { requests?: unknown[] } }) => call('spreadsheets.batchUpdate', params.spreadsheetId, () => ({ spreadsheetId: params.spreadsheetId, replies: (params.requestBody?.requests ?? []).map(() => ({})) }), this.latency.writeMs),
        values: {
          batchUpdate: (params: { spreadsheetId: string; requestBody?: { data?: unknown[] } }) => call('values.batchUpdate', params.spreadsheetId, written(params.spreadsheetId, params.requestBody?.data), this.latency.writeMs),
          batchUpdateByDataFilter: (params: { spreadsheetId: string; requestBody?: { data?: unknown[] } }) => call('values.batchUpdateByDataFilter', params.spreadsheetId, written(params.spreadsheetId, params.requestBody?.data), this.latency.writeMs),
        },
      },
    };
    return client as unknown as sheets_v4.Sheets;
  }

  /** requests refused 429, and the most of a kind one user, and one project, had accepted in any 60 s */
  report(): { refused: number; mostPerUser: { read: number; write: number }; mostPerProject: { read: number; write: number } } {
    const reports = [...this.quotas.values()].map((q) => q.report());
    const most = (pick: (r: (typeof reports)[number]) => { read: number; write: number }) => ({ read: Math.max(0, ...reports.map((r) => pick(r).read)), write: Math.max(0, ...reports.map((r) => pick(r).write)) });
    return { refused: reports.reduce((n, r) => n + r.refused, 0), mostPerUser: most((r) => r.mostPerUser), mostPerProject: most((r) => r.mostPerProject) };
  }

  private quota(project: string): SheetsQuota {
    let quota = this.quotas.get(project);
    if (quota === undefined) this.quotas.set(project, (quota = new SheetsQuota({ now: () => this.clock.now() })));
    return quota;
  }
}
