import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseMonth } from '../../shared/month.js';
import { overrideEntryErrors } from '../../shared/override-entry.js';

const m = (text: string) => parseMonth(text) as number;
const boc = bundledScheme('boc')!;
const today = m('2026-11');

describe('an override entered today', () => {
  it('is accepted with a known tier, a reason and an end month not yet past', () => {
    expect(overrideEntryErrors({ tier: 'wealth', from: m('2026-11'), until: m('2026-11'), reason: '总行批准', by: 'mgr@bank' }, boc, today)).toEqual([]);
  });

  it.each<[string, Parameters<typeof overrideEntryErrors>[0], string]>([
    ['an end month already past', { tier: 'wealth', from: m('2026-08'), until: m('2026-10'), reason: 'x' }, 'override.until: 2026-10 is already past (this month is 2026-11)'],
    ['no reason', { tier: 'wealth', from: m('2026-11'), until: m('2026-12'), reason: ' ' }, 'override.reason: an override needs a reason'],
    ['a tier the scheme lacks', { tier: 'gold', from: m('2026-11'), until: m('2026-12'), reason: 'x' }, 'override.tier: "gold" is not a tier of scheme boc'],
    ['an end before the start', { tier: 'wealth', from: m('2027-02'), until: m('2026-12'), reason: 'x' }, 'override.until: must not be before override.from'],
  ])('is refused with %s', (_what, override, expected) => {
    expect(overrideEntryErrors(override, boc, today).map((e) => `${e.path}: ${e.message}`)).toContain(expected);
  });
});
