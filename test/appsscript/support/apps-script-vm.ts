import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, Script, runInContext, type Context } from 'node:vm';
import { FakeSpreadsheet, FakeUi, type FakeRange } from './fake-spreadsheet.js';
import { FakeConsole, FakeProperties, FakeScriptApp, FakeSession, FakeUrlFetchApp, fakeUtilities, type FetchHandler } from './fake-services.js';

/**
 * Runs the compiled Apps Script (appsscript/dist/*.js, built by `npm run build`) the way Apps
 * Script does: every file a plain script in one shared global scope, here a node:vm context,
 * whose Google services are the fakes of fake-spreadsheet.ts and fake-services.ts.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const APPS_SCRIPT_DIST = join(ROOT, 'appsscript/dist');
const SOURCES = join(ROOT, 'appsscript/src');

/** The compiled files, one per source; a compiled file without a source (left from a rename) is an error, since clasp would push it. */
export function compiledFiles(): string[] {
  if (!existsSync(APPS_SCRIPT_DIST)) throw new Error(`${APPS_SCRIPT_DIST} is missing: run \`npm run build\` before these tests`);
  const sources = readdirSync(SOURCES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '.js'));
  const compiled = readdirSync(APPS_SCRIPT_DIST).filter((f) => f.endsWith('.js'));
  const stale = compiled.filter((f) => !sources.includes(f));
  if (stale.length > 0) throw new Error(`appsscript/dist holds ${stale.join(', ')} without a source: delete appsscript/dist and run \`npm run build\``);
  const missing = sources.filter((f) => !compiled.includes(f));
  if (missing.length > 0) throw new Error(`appsscript/dist lacks ${missing.join(', ')}: run \`npm run build\``);
  return compiled.sort();
}

export interface AppsScriptOptions {
  handler?: FetchHandler;
  spreadsheetId?: string;
  /** load the files in reverse order: proves no file needs another at load time (Apps Script's order is not ours to choose) */
  reverse?: boolean;
}

export interface AppsScript {
  ss: FakeSpreadsheet;
  ui: FakeUi;
  session: FakeSession;
  scriptApp: FakeScriptApp;
  documentProperties: FakeProperties;
  scriptProperties: FakeProperties;
  urlFetch: FakeUrlFetchApp;
  console: FakeConsole;
  /** calls a global function of the script, as a menu item or trigger would */
  call(name: string, ...args: unknown[]): unknown;
  /** evaluates an expression in the script's global scope */
  value(expression: string): unknown;
  /** `user` runs `fn` (menu clicks: effective and active user are the same person) */
  as<T>(user: string, fn: () => T): T;
  /**
   * An edit of `range` by `editor`: Google runs every installable onEdit trigger of the
   * spreadsheet, each as the person who installed it. `editor` '' = Google does not tell who.
   */
  edit(range: FakeRange, editor?: string, single?: { value?: unknown; oldValue?: unknown }): void;
  /**
   * Any event, as Google might deliver it to the installed triggers: `source`, `triggerUid`,
   * `authMode` and `user` are added, the rest is the test's (e.g. `{ changeType: 'INSERT_ROW' }`
   * with no range, as an onChange event is).
   */
  deliver(event: Record<string, unknown>, editor?: string): void;
}

export function loadAppsScript(options: AppsScriptOptions = {}): AppsScript {
  const ss = new FakeSpreadsheet(options.spreadsheetId ?? 'SHEET-B01');
  const ui = new FakeUi();
  const session = new FakeSession();
  const scriptApp = new FakeScriptApp(session);
  const documentProperties = new FakeProperties();
  const scriptProperties = new FakeProperties();
  const urlFetch = new FakeUrlFetchApp(options.handler ?? (() => ({ status: 500, body: '{"code":"NO_HANDLER","message":"the test gave no handler"}' })));
  const console = new FakeConsole();
  const context: Context = createContext({
    SpreadsheetApp: { getActive: () => ss, getActiveSpreadsheet: () => ss, getUi: () => ui, DeveloperMetadataLocationType: { SPREADSHEET: 'SPREADSHEET', SHEET: 'SHEET', ROW: 'ROW', COLUMN: 'COLUMN' } },
    PropertiesService: { getDocumentProperties: () => documentProperties, getScriptProperties: () => scriptProperties },
    ScriptApp: scriptApp,
    Session: session,
    Utilities: fakeUtilities,
    UrlFetchApp: urlFetch,
    console,
  });
  const files = compiledFiles();
  if (options.reverse) files.reverse();
  for (const file of files) new Script(readFileSync(join(APPS_SCRIPT_DIST, file), 'utf8'), { filename: file }).runInContext(context);

  const as = <T>(user: string, fn: () => T): T => {
    const before = { effective: session.effective, active: session.active };
    session.effective = user;
    session.active = user;
    try {
      return fn();
    } finally {
      Object.assign(session, before);
    }
  };
  const call = (name: string, ...args: unknown[]) => (runInContext(name, context) as (...a: unknown[]) => unknown)(...args);
  return {
    ss,
    ui,
    session,
    scriptApp,
    documentProperties,
    scriptProperties,
    urlFetch,
    console,
    call,
    value: (expression) => runInContext(expression, context),
    as,
    edit(range, editor = 'manager@bank.example', single) {
      // Google gives value and oldValue only for an edit of a single cell (docs/apps-script.md).
      if (single !== undefined && (range.getNumRows() !== 1 || range.getNumColumns() !== 1)) throw new Error('value / oldValue come only with a single-cell edit');
      deliver({ range, value: single?.value, oldValue: single?.oldValue }, editor);
    },
    deliver,
  };

  function deliver(event: Record<string, unknown>, editor = 'manager@bank.example'): void {
    for (const trigger of [...scriptApp.triggers]) {
      if (trigger.handler !== 'syncEditedCells') throw new Error(`unexpected trigger handler ${trigger.handler}`);
      const before = { effective: session.effective, active: session.active };
      session.effective = trigger.owner;
      session.active = editor;
      try {
        call(trigger.handler, { source: ss, triggerUid: trigger.uid, authMode: 'FULL', user: { getEmail: () => editor }, ...event });
      } finally {
        Object.assign(session, before);
      }
    }
  }
}
