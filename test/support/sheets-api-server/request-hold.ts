import type { RecordedRequest } from './fault-injection.js';

/**
 * Holding a request at the server's door, for tests of what happens between two of a client's
 * calls (e.g. a sheet edit arriving after a nightly run has read the sheet and before its write
 * lands). The next request of the operation (and matching `match`, if given) is recorded and
 * then waits, unanswered and not yet applied, until the test releases it; it is then served
 * against the spreadsheet as it is at release time.
 */

export interface HeldRequest {
  /** resolves with the request once it has arrived and is waiting */
  arrived: Promise<RecordedRequest>;
  /** lets it through (idempotent); before it arrived, the hold is simply withdrawn */
  release(): void;
}

type Match = (request: Pick<RecordedRequest, 'method' | 'path' | 'operation' | 'spreadsheetId'>) => boolean;

interface Pending {
  operation: string;
  match: Match | undefined;
  arrive: (request: RecordedRequest) => void;
  gate: Promise<void>;
  open: () => void;
}

export class RequestHolds {
  private readonly pending: Pending[] = [];
  /** every hold not yet released, arrived or not */
  private readonly unreleased = new Set<Pending>();

  holdNext(operation: string, match?: Match): HeldRequest {
    let arrive!: (request: RecordedRequest) => void;
    let open!: () => void;
    const arrived = new Promise<RecordedRequest>((resolve) => (arrive = resolve));
    const gate = new Promise<void>((resolve) => (open = resolve));
    const hold: Pending = { operation, match, arrive, gate, open };
    this.pending.push(hold);
    this.unreleased.add(hold);
    return {
      arrived,
      release: () => {
        this.unreleased.delete(hold);
        const waiting = this.pending.indexOf(hold);
        if (waiting >= 0) this.pending.splice(waiting, 1); // released before it arrived: withdrawn
        open();
      },
    };
  }

  /** called for every request before it is served: waits while a hold applies to it */
  async pass(request: RecordedRequest): Promise<void> {
    const i = this.pending.findIndex((h) => h.operation === request.operation && (h.match === undefined || h.match(request)));
    if (i < 0) return;
    const [hold] = this.pending.splice(i, 1) as [Pending];
    hold.arrive(request);
    await hold.gate;
  }

  /** lets every held request through and withdraws the holds still waiting (the server is closing) */
  releaseAll(): void {
    this.pending.length = 0;
    for (const hold of this.unreleased) hold.open();
    this.unreleased.clear();
  }
}
