import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH } from '../../functions/http/request-signature.js';
import { SYSTEM_NOTE_MARK } from '../../functions/sheets/xlsx-cells.js';
import { COMPUTED_HEADERS, CUSTOMER_TAB, EDITABLE_HEADERS, KEY_HEADER, LIST_TABS } from '../../shared/sheets/branch-layout.js';
import { COLUMN_METADATA_KEY, TAB_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import { compiledFiles, loadAppsScript } from './support/apps-script-vm.js';

/**
 * What ties the Apps Script side to the rest: the same layout lists as shared/ (Apps Script
 * cannot import them), the manifest's scopes, and the files clasp would push.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the Apps Script layout', () => {
  it('is the layout of shared/sheets/branch-layout.ts, the tags of sheet-contract.ts and the note mark of local workbooks', () => {
    const script = loadAppsScript();
    expect(script.value('CUSTOMER_TAB')).toBe(CUSTOMER_TAB);
    expect(script.value('KEY_HEADER')).toBe(KEY_HEADER);
    expect([...(script.value('EDITABLE_HEADERS') as string[])]).toEqual([...EDITABLE_HEADERS]);
    expect([...(script.value('COMPUTED_HEADERS') as string[])]).toEqual([...COMPUTED_HEADERS]);
    expect([...(script.value('LAYOUT_TABS') as string[])]).toEqual([CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name)]);
    expect(script.value('TAB_METADATA_KEY')).toBe(TAB_METADATA_KEY);
    expect(script.value('COLUMN_METADATA_KEY')).toBe(COLUMN_METADATA_KEY);
    expect(script.value('SYSTEM_NOTE_MARK')).toBe(SYSTEM_NOTE_MARK);
    expect(script.value('MIN_SECRET_LENGTH')).toBe(MIN_SECRET_LENGTH);
    // The function takes at most 5,000 rows a request; the sheet sends at most 500.
    expect(script.value('ROWS_PER_REQUEST')).toBe(500);
  });
});

describe('appsscript.json', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'appsscript/appsscript.json'), 'utf8'));

  it('runs on V8 in Asia/Shanghai with exactly the scopes docs/apps-script.md justifies', () => {
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Asia/Shanghai');
    expect([...manifest.oauthScopes].sort()).toEqual(
      [
        'https://www.googleapis.com/auth/spreadsheets.currentonly',
        'https://www.googleapis.com/auth/script.external_request',
        'https://www.googleapis.com/auth/script.scriptapp',
        'https://www.googleapis.com/auth/script.container.ui',
        'https://www.googleapis.com/auth/userinfo.email',
        'openid',
      ].sort(),
    );
    const doc = readFileSync(join(ROOT, 'docs/apps-script.md'), 'utf8');
    for (const scope of manifest.oauthScopes as string[]) expect(doc).toContain(`\`${scope}\``);
  });
});

describe('clasp', () => {
  it('would push the manifest and exactly the compiled scripts (offline: `clasp status` needs no login)', () => {
    const home = mkdtempSync(join(tmpdir(), 'clasp-home-'));
    try {
      const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/@google/clasp/build/src/index.js'), 'status', '--json'], { cwd: join(ROOT, 'appsscript'), env: { PATH: process.env['PATH'] ?? '', HOME: home }, encoding: 'utf8', timeout: 20_000 });
      expect(result.status, result.stderr).toBe(0);
      const status = JSON.parse(result.stdout) as { filesToPush: string[] };
      expect([...status.filesToPush].sort()).toEqual(['appsscript.json', ...compiledFiles().map((f) => `dist/${f}`)].sort());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
