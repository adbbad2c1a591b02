import { createHmac } from 'node:crypto';
import { DateTime } from 'luxon';

/**
 * FAKES, for unit tests only: PropertiesService, ScriptApp (triggers kept per user, as Google
 * keeps them), Session, Utilities (bytes come back as signed Java bytes, -128…127, as Apps
 * Script returns them) and UrlFetchApp (a request goes to a handler the test gives; with
 * muteHttpExceptions unset, an error status throws as in Apps Script).
 */

export class FakeProperties {
  private readonly values = new Map<string, string>();
  getProperty(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setProperty(key: string, value: string) {
    this.values.set(key, String(value));
    return this;
  }
  setProperties(properties: Record<string, string>) {
    for (const [k, v] of Object.entries(properties)) this.values.set(k, String(v));
    return this;
  }
  deleteProperty(key: string) {
    this.values.delete(key);
    return this;
  }
  getProperties(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** Who is running the script now (the effective user) and who is at the keyboard (the active user; '' when Google does not say). */
export class FakeSession {
  effective = 'manager@bank.example';
  active = 'manager@bank.example';
  getEffectiveUser() {
    return { getEmail: () => this.effective };
  }
  getActiveUser() {
    return { getEmail: () => this.active };
  }
}

export interface FakeTrigger {
  owner: string;
  handler: string;
  uid: string;
  getUniqueId(): string;
  getHandlerFunction(): string;
  getEventType(): string;
}

export class FakeScriptApp {
  readonly EventType = { ON_EDIT: 'ON_EDIT', ON_OPEN: 'ON_OPEN' };
  /** every user's installable triggers of this project */
  readonly triggers: FakeTrigger[] = [];
  identityToken: string | null = null;
  private next = 1;

  constructor(private readonly session: FakeSession) {}

  getProjectTriggers(): FakeTrigger[] {
    return this.triggers.filter((t) => t.owner === this.session.effective);
  }
  deleteTrigger(trigger: FakeTrigger): void {
    if (trigger.owner !== this.session.effective) throw new Error('Cannot delete a trigger of another user.');
    const at = this.triggers.indexOf(trigger);
    if (at >= 0) this.triggers.splice(at, 1);
  }
  newTrigger(handler: string) {
    const create = (): FakeTrigger => {
      const uid = String(1000 + this.next++);
      const trigger: FakeTrigger = { owner: this.session.effective, handler, uid, getUniqueId: () => uid, getHandlerFunction: () => handler, getEventType: () => 'ON_EDIT' };
      this.triggers.push(trigger);
      return trigger;
    };
    return { forSpreadsheet: (_ss: unknown) => ({ onEdit: () => ({ create }) }) };
  }
  getIdentityToken(): string | null {
    return this.identityToken;
  }
}

const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
const unsigned = (bytes: readonly number[]): Buffer => Buffer.from(bytes.map((b) => b & 0xff));

export const fakeUtilities = {
  Charset: { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' },
  computeHmacSha256Signature(value: string | number[], key: string | number[], _charset?: string): number[] {
    const bytesOf = (v: string | number[]) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : unsigned(v));
    return signed(createHmac('sha256', bytesOf(key)).update(bytesOf(value)).digest());
  },
  /** Java SimpleDateFormat patterns; yyyy, MM and dd mean the same in luxon. */
  formatDate(date: Date, timeZone: string, pattern: string): string {
    return DateTime.fromJSDate(date, { zone: timeZone }).toFormat(pattern);
  },
};

export interface FetchRequest {
  url: string;
  method: string;
  /** header names lower-cased, content-type included */
  headers: Record<string, string>;
  payload: string;
  json: any;
}

export interface FetchAnswer {
  status: number;
  body: string;
}

export type FetchHandler = (request: FetchRequest) => FetchAnswer;

export class FakeUrlFetchApp {
  readonly requests: FetchRequest[] = [];
  /** what each request was answered (absent for one that threw) */
  readonly answers: FetchAnswer[] = [];
  constructor(public handler: FetchHandler) {}

  fetch(url: string, params: { method?: string; contentType?: string; payload?: string; headers?: Record<string, string>; muteHttpExceptions?: boolean } = {}) {
    if (typeof params.payload !== 'string') throw new Error('the fake takes a string payload, which is what the code sends');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(params.headers ?? {})) headers[name.toLowerCase()] = value;
    if (params.contentType) headers['content-type'] = params.contentType;
    let json: unknown;
    try {
      json = JSON.parse(params.payload);
    } catch {
      json = null;
    }
    const request: FetchRequest = { url, method: (params.method ?? 'get').toUpperCase(), headers, payload: params.payload, json };
    this.requests.push(request);
    const answer = this.handler(request);
    this.answers.push(answer);
    if (!params.muteHttpExceptions && answer.status >= 400) throw new Error(`Request failed for ${url} returned code ${answer.status}. Truncated server response: ${answer.body.slice(0, 100)}`);
    return { getResponseCode: () => answer.status, getContentText: (_charset?: string) => answer.body };
  }
}

/** console, recorded: the script's log lines are checked, not printed. */
export class FakeConsole {
  readonly lines: { level: string; text: string }[] = [];
  log = (...args: unknown[]) => this.lines.push({ level: 'log', text: args.join(' ') });
  info = (...args: unknown[]) => this.lines.push({ level: 'info', text: args.join(' ') });
  warn = (...args: unknown[]) => this.lines.push({ level: 'warn', text: args.join(' ') });
  error = (...args: unknown[]) => this.lines.push({ level: 'error', text: args.join(' ') });
}
