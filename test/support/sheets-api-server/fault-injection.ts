/**
 * What a test can do to the server besides calling it: make the next requests fail with a
 * status of its choosing (429 quota, 500/503 outages), and read back every request made.
 */

export interface RecordedRequest {
  method: string;
  /** the path without the query, decoded: `/v4/spreadsheets/ID/values:batchGet` */
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  /** `spreadsheets.create`, `values.batchGet`, ... or `unknown` */
  operation: string;
  spreadsheetId: string | undefined;
  /** the status the server answered with (an injected fault included) */
  status: number;
}

export interface FaultRule {
  remaining: number;
  code: number;
  /** only requests this accepts are failed (and counted); all of them when absent */
  match?: (request: Pick<RecordedRequest, 'method' | 'path' | 'operation' | 'spreadsheetId'>) => boolean;
}

export class FaultInjector {
  private readonly rules: FaultRule[] = [];

  failNext(count: number, code: number, match?: FaultRule['match']): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext needs a positive count, got ${count}`);
    if (code < 400 || code > 599) throw new Error(`failNext needs an error status, got ${code}`);
    this.rules.push(match === undefined ? { remaining: count, code } : { remaining: count, code, match });
  }

  /** the injected status for this request, if one applies (consumes it) */
  take(request: Pick<RecordedRequest, 'method' | 'path' | 'operation' | 'spreadsheetId'>): number | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.match === undefined || r.match(request)));
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    return rule.code;
  }

  /** faults not yet used up */
  pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  clear(): void {
    this.rules.length = 0;
  }
}
