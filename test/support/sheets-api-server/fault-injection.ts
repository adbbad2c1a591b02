/**
 * What a test can do to the server besides calling it: make the next requests fail with a
 * status of its choosing (429 quota, 500/503 outages), apply a request and then lose its answer
 * (as Google may: a 5xx after the change was made, or an answer later than the client waits for
 * — Google may work on a request for up to 180 s), and read back every request made.
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
  /** the status the server answered with (an injected fault included); 0 when the answer was dropped */
  status: number;
  /** bytes of the request body as received */
  bodyBytes?: number;
  /** what the handler answered when the request was applied (also when the answer was then lost) */
  answer?: unknown;
}

/**
 * How an applied request's answer is lost: a status sent instead of the result (500, 503), or
 * `drop` — no answer until the client gives up (closes the connection) or `holdMs` passes, then
 * the connection is closed without one.
 */
export type LostAnswer = number | { drop: true; holdMs?: number };

interface LostAnswerRule {
  remaining: number;
  answer: LostAnswer;
  match?: FaultRule['match'];
}

export interface FaultRule {
  remaining: number;
  code: number;
  /** only requests this accepts are failed (and counted); all of them when absent */
  match?: (request: Pick<RecordedRequest, 'method' | 'path' | 'operation' | 'spreadsheetId'>) => boolean;
}

export class FaultInjector {
  private readonly rules: FaultRule[] = [];
  private readonly lost: LostAnswerRule[] = [];

  /** the next `count` requests (matching `match`) are applied, and then their answer is lost */
  loseAnswerNext(count: number, answer: LostAnswer, match?: FaultRule['match']): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`loseAnswerNext needs a positive count, got ${count}`);
    if (typeof answer === 'number' && (answer < 500 || answer > 599)) throw new Error(`an applied request's lost answer is a 5xx or a drop, got ${answer}`);
    this.lost.push(match === undefined ? { remaining: count, answer } : { remaining: count, answer, match });
  }

  /** how this request's answer is lost after it was applied, if a rule applies (consumes it) */
  takeLostAnswer(request: Pick<RecordedRequest, 'method' | 'path' | 'operation' | 'spreadsheetId'>): LostAnswer | undefined {
    const rule = this.lost.find((r) => r.remaining > 0 && (r.match === undefined || r.match(request)));
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    return rule.answer;
  }

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
    return [...this.rules, ...this.lost].reduce((sum, r) => sum + r.remaining, 0);
  }

  clear(): void {
    this.rules.length = 0;
    this.lost.length = 0;
  }
}
