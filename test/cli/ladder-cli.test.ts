import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The `ladder` command as a user runs it: the built bin (npm test builds first), real
 * files, real exit codes. Every expected figure is worked out in the comments.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/functions/cli/ladder.js');
const fixture = (name: string) => join(root, 'test/fixtures', name);

function ladder(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function jsonLines(path: string): any[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'ladder-cli-'));
}

describe('ladder assess', () => {
  const dir = scratch();
  const out = join(dir, 'out.jsonl');
  const run = ladder(['assess', '--scheme', 'boc', '--facts', fixture('boc-customers.jsonl'), '--out', out]);
  const byId = new Map(jsonLines(out).map((l) => [l.customerId, l]));

  it('exits 0, writes one line per customer and an empty rejects file', () => {
    expect(run.code).toBe(0);
    expect(byId.size).toBe(4);
    expect(readFileSync(join(dir, 'out.rejects.jsonl'), 'utf8')).toBe('');
    expect(run.stderr).toContain('read 4 customers, wrote 4, rejected 0');
  });

  it('qualifies exactly on the threshold: 6,200,000 / 31 days and 5,600,000 / 28 days are both 200,000.00', () => {
    const a = byId.get('A-exact');
    expect(a.tier).toBe('licai');
    expect(a.history).toEqual([
      { month: '2025-01', tier: 'licai', met: 'licai', decision: 'upgrade' },
      { month: '2025-02', tier: 'licai', met: 'licai', decision: 'met' },
    ]);
    expect(a.qualifiedBy).toEqual({ tier: 'licai', path: 0, conditions: [{ metric: 'mda', value: '200000.00', min: '200000.00', shortfall: '0.00' }] });
    // next tier wealth needs 1,000,000.00: short by 800,000.00 on its only path
    expect(a.nextTier).toBe('wealth');
    expect(a.gap).toEqual({ paths: [{ conditions: [{ metric: 'mda', value: '200000.00', min: '1000000.00', shortfall: '800000.00' }] }], primary: 0 });
    expect(a.belowCount).toBe(0);
    expect(a.watch).toBe(false);
    expect(a.remaining).toBe(6);
  });

  it('qualifies on the loan path (the second of licai’s three)', () => {
    const b = byId.get('B-loan');
    expect(b.history.map((h: any) => h.tier)).toEqual(['base', 'licai']);
    expect(b.qualifiedBy.path).toBe(1);
  });

  it('keeps wealth through five months below and puts the customer on watch with 1 month left', () => {
    const c = byId.get('C-watch');
    expect(c.history.map((h: any) => h.decision)).toEqual(['upgrade', 'retained', 'retained', 'retained', 'retained', 'retained']);
    expect(c.tier).toBe('wealth');
    expect(c.belowCount).toBe(5); // Feb, Mar, Apr, May, Jun
    expect(c.watch).toBe(true); // BOC watches after 3
    expect(c.remaining).toBe(1); // retain 6 − 5
    expect(c.qualifiedBy).toBeNull(); // wealth was kept, not met
    expect(c.nextTier).toBe('private');
  });

  it('downgrades at the sixth consecutive month below, to licai (still met), not one blind step', () => {
    const d = byId.get('D-down');
    expect(d.history.at(-1)).toEqual({ month: '2025-07', tier: 'licai', met: 'licai', decision: 'downgrade' });
    expect(d.tier).toBe('licai');
    expect(d.watch).toBe(false);
  });
});

describe('ladder assess with bad input', () => {
  it('rejects bad lines with line, customer, reason and raw text, writes the rest, exits 1', () => {
    const dir = scratch();
    const facts = join(dir, 'facts.jsonl');
    const good = readFileSync(fixture('boc-customers.jsonl'), 'utf8').split('\n')[0] as string;
    const lines = [
      good,
      '{"customerId":"X1","months":[{"month":"2025-01","assetDaySum":"12.345"}]}',
      '',
      'this is not json',
      '{"customerId":"X2","months":[],"override":{"tier":"gold","from":"2025-01","until":"2025-02","reason":"vip"}}',
      good.replace('A-exact', 'A-again'),
    ];
    writeFileSync(facts, lines.join('\n') + '\n');
    const out = join(dir, 'out.jsonl');
    const rejectsPath = join(dir, 'bad.jsonl');
    const run = ladder(['assess', '--scheme', 'boc', '--facts', facts, '--out', out, '--rejects', rejectsPath]);
    expect(run.code).toBe(1);
    expect(jsonLines(out).map((l) => l.customerId)).toEqual(['A-exact', 'A-again']);
    const rejects = jsonLines(rejectsPath);
    expect(rejects.map((r) => [r.line, r.customerId])).toEqual([
      [2, 'X1'],
      [4, null],
      [5, 'X2'],
    ]);
    expect(rejects[0].reason).toBe('months[0].assetDaySum: must have at most 2 decimals (yuan.fen)');
    expect(rejects[0].raw).toBe(lines[1]);
    expect(rejects[1].reason).toMatch(/^not valid JSON/);
    expect(rejects[2].reason).toContain('override.tier: "gold" is not a tier of scheme boc');
    expect(run.stderr).toContain('rejected 3');
  });

  it('stops before reading anything when the scheme is unknown or invalid, exit 2', () => {
    const unknown = ladder(['assess', '--scheme', 'no-such-scheme', '--facts', fixture('boc-customers.jsonl')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('CONFIG_NOT_FOUND');
    const dir = scratch();
    const bad = join(dir, 'bad.scheme.json');
    const document = JSON.parse(readFileSync(fixture('bohai-like.scheme.json'), 'utf8'));
    document.tiers[2].paths[0][0].min = -1;
    writeFileSync(bad, JSON.stringify(document));
    const invalid = ladder(['assess', '--scheme', bad, '--facts', fixture('boc-customers.jsonl'), '--out', join(dir, 'o.jsonl')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('tiers[2].paths[0][0].min: must be a positive amount in yuan');
    expect(existsSync(join(dir, 'o.jsonl'))).toBe(false);
  });

  it('explains a usage mistake, exit 2', () => {
    const run = ladder(['assess', '--facts', fixture('boc-customers.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--scheme is required');
  });
});

describe('a bank’s own scheme file', () => {
  it('loads by path and applies its own per-tier retain and latest downgrade', () => {
    // vip needs 100,000 a day; retain 3 with downgradeTo latest. Jan at 100,000 → vip;
    // Feb, Mar, Apr at 0: the third month below (Apr) loses vip and lands on the tier met then (mass).
    const days = { '2025-01': 31, '2025-02': 28, '2025-03': 31, '2025-04': 30 };
    const months = Object.entries(days).map(([month, n], i) => ({ month, assetDaySum: i === 0 ? `${100000 * n}.00` : '0.00' }));
    const rejects = join(scratch(), 'rejects.jsonl');
    const run = ladder(['assess', '--scheme', fixture('bohai-like.scheme.json'), '--facts', '-', '--rejects', rejects], JSON.stringify({ customerId: 'V1', months }) + '\n');
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout);
    expect(line.scheme).toBe('bohai-like');
    expect(line.history.map((h: any) => h.tier)).toEqual(['vip', 'vip', 'vip', 'mass']);
  });
});

describe('ladder status', () => {
  it('tells the balance to hold for the rest of the month and today’s top-up', () => {
    // March 2025 has 31 days. Licai needs 200,000 × 31 = 6,200,000 yuan-days.
    // By the 10th the customer has 150,000 × 10 = 1,500,000. 21 days remain:
    // (6,200,000 − 1,500,000) / 21 = 223,809.5238… → 223,809.53 a day; today 150,000 → top up 73,809.53.
    const dir = scratch();
    const out = join(dir, 's.jsonl');
    const run = ladder(['status', '--scheme', 'boc', '--facts', fixture('boc-month-to-date.jsonl'), '--date', '2025-03-10', '--out', out]);
    expect(run.code).toBe(0);
    const [line] = jsonLines(out);
    expect(line.tier).toBe('base'); // Jan and Feb at 150,000 a day: below 200,000
    expect(line.next.tier).toBe('licai');
    const mdaPath = line.next.paths[0];
    expect(mdaPath.daily[0]).toMatchObject({
      metric: 'mda',
      target: '200000.00',
      windowDays: 31,
      daysElapsed: 10,
      daysLeft: 21,
      sumSoFar: '1500000.00',
      reached: false,
      reachable: true,
      balanceNeeded: '223809.53',
      topUpToday: '73809.53',
    });
    expect(line.next.primary).toBe(0); // the loan and card paths are not attainable today
  });

  it('refuses a date that is not a date, exit 2', () => {
    const run = ladder(['status', '--scheme', 'boc', '--facts', fixture('boc-month-to-date.jsonl'), '--date', '2025-02-30']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--date must be a date as YYYY-MM-DD');
  });
});

describe('ladder schemes', () => {
  it('lists the four bundled schemes', () => {
    const run = ladder(['schemes']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['boc', 'boc-2012', 'branch-six', 'generic']);
  });
});
