import { describe, expect, it } from 'vitest';
import { listTabWrites } from '../../shared/sheets/list-tab-diff.js';

describe('writing a list tab', () => {
  it('writes everything into an empty tab', () => {
    expect(listTabWrites([], ['排名', '客户号'], [['1', 'C1']])).toEqual([
      { row: 1, column: 1, value: '排名' },
      { row: 1, column: 2, value: '客户号' },
      { row: 2, column: 1, value: '1' },
      { row: 2, column: 2, value: 'C1' },
    ]);
  });

  it('writes nothing when the tab already shows the list', () => {
    expect(listTabWrites([['排名', '客户号'], ['1', 'C1']], ['排名', '客户号'], [['1', 'C1']])).toEqual([]);
  });

  it('writes only the changed cell, and blanks what a shorter list leaves over', () => {
    const current = [['排名', '客户号'], ['1', 'C1'], ['2', 'C2']];
    expect(listTabWrites(current, ['排名', '客户号'], [['1', 'C9']])).toEqual([
      { row: 2, column: 2, value: 'C9' },
      { row: 3, column: 1, value: '' },
      { row: 3, column: 2, value: '' },
    ]);
  });
});
