import { describe, expect, it } from 'vitest';
import { proposeBinding } from '../../shared/sheets/ledger-detect.js';
import { planAdoption } from '../../shared/sheets/ledger-preview.js';
import { synonymTable } from '../../shared/sheets/ledger-synonyms.js';
import { ledgerTab, proposalOf, workbookOf } from '../support/ledger-builder.js';

/**
 * A big ledger, generated (pure; no store): 10,000 rows under a merged title and a two-row
 * header, where the generator itself counts what each row is — every 97th row left blank, every
 * 101st a customer of another branch, every 103rd a number the bank does not know, every 50th of
 * the branch's customers left out of the ledger, a 合计 row and a note at the end. The preview's
 * counts must be the generator's.
 */

function generatedLedger(rows: number) {
  const values: string[][] = [['城东支行管户台账（2026年11月）'], ['制表：王芳', '', '审核：李强'], ['序号', '客户编号', '客户姓名', '联系方式', '', '风险等级'], ['', '', '', '手机', '家庭地址', '']];
  const owners = new Map<string, string | null>();
  const archives = new Map<string, Record<string, string>>();
  const counted = { blank: 0, otherBranch: 0, unknown: 0, matched: 0, leftOut: 0, archiveCells: 0 };
  let customer = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % 97 === 0) {
      values.push([]);
      counted.blank++;
    } else if (i % 101 === 0) {
      const id = `B02-${i}`;
      owners.set(id, 'B02');
      values.push([String(i), id, '他行客户']);
      counted.otherBranch++;
    } else if (i % 103 === 0) {
      values.push([String(i), `X-${i}`, '未知']);
      owners.set(`X-${i}`, null);
      counted.unknown++;
    } else {
      customer++;
      const id = `B01-${String(customer).padStart(6, '0')}`;
      owners.set(id, 'B01');
      archives.set(id, {});
      // every customer in the ledger has a mobile and an address typed in; the master holds neither
      values.push([String(i), id, '客户', `138${String(customer).padStart(8, '0')}`, `城东路${customer}号`, '']);
      counted.matched++;
      counted.archiveCells += 2;
      if (customer % 50 === 0) {
        // the next customer of the branch exists in the store but not in the ledger
        customer++;
        archives.set(`B01-${String(customer).padStart(6, '0')}`, {});
        counted.leftOut++;
      }
    }
  }
  values.push(['合计', '', '', '', '', '']);
  values.push(['注：资产为月末时点数']);
  const tab = ledgerTab('管户台账', values, { merges: ['A1:F1', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:E3', 'F3:F4'] });
  return { snapshot: workbookOf(tab), owners, archives, counted, totalsRow: values.length - 1 };
}

describe('a generated ledger of 10,000 rows', () => {
  it('is recognised and counted row by row as the generator made it', () => {
    const { snapshot, owners, archives, counted, totalsRow } = generatedLedger(10_000);
    const proposal = proposalOf(proposeBinding(snapshot, { synonyms: synonymTable() }));
    expect([proposal.headerRow, proposal.headerRows, proposal.keyColumn, proposal.table.totalsRow]).toEqual([4, 2, 2, totalsRow]);
    const { preview } = planAdoption(snapshot, proposal, { branchId: 'B01', archives, owners });
    expect(preview.matched).toBe(counted.matched);
    const reasons = (r: string) => preview.unmatched.filter((u) => u.reason === r).length;
    expect([reasons('blank'), reasons('other-branch'), reasons('unknown')]).toEqual([counted.blank, counted.otherBranch, counted.unknown]);
    expect(preview.unmatched.length).toBe(counted.blank + counted.otherBranch + counted.unknown);
    expect(preview.archive.cells).toBe(counted.archiveCells);
    expect(preview.conflicts).toEqual([]);
    const listed = preview.adds.find((a) => a.kind === 'listed');
    expect(listed?.kind === 'listed' ? listed.customers.length : 0).toBe(counted.leftOut);
  });
});
