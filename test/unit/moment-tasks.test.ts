import { describe, expect, it } from 'vitest';
import { formatCivilDay, parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { Maturity } from '../../shared/customer-profile.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { contactDue } from '../../shared/service/contact-due.js';
import { parseContactLine, type ContactEntry } from '../../shared/service/contact-log.schema.js';
import { momentTasks, type MomentTask } from '../../shared/service/moment-tasks.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, run, type Row } from '../support/facts-builder.js';
import { bundled } from '../support/scheme-builder.js';

/**
 * 待办 from moments of truth (docs/domain.md D5) under BOC (monthly, watchAfter 3, retain 6) and
 * the bundled d2 standards (maturityWithinDays 30; large outflow ≥ 200,000 yuan and ≥ 30%
 * of the previous month-end). Today is Wednesday 2025-06-11 unless a case says otherwise:
 * the week ends Sunday 2025-06-15, the last assessment is May's, the outflow compares
 * month-end April with month-end May. Band by assets on May's mda: 200k–1m "mid" (birthday
 * and holiday greetings by phone or SMS), 1m–5m "high" (also birthday flowers or cake).
 * 2025 holidays: 端午 31 May, 国庆 1 Oct, 中秋 6 Oct; none falls in June.
 */

const boc = bundled('boc');
const engine = createTierEngine(boc);
const standards = bundledStandards('d2')!;

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: ${text} is not a date`);
  return parsed;
}

interface Extra {
  birthday?: string;
  managerId?: string;
  maturities?: { product: string; date: string; amount?: string }[];
}

function facts(id: string, rows: Row[], extra: Extra = {}): CustomerFacts {
  const result: CustomerFacts = { ...customer(rows, { id }), branchId: 'B7' };
  if (extra.birthday !== undefined || extra.managerId !== undefined) {
    const profile: NonNullable<CustomerFacts['profile']> = { archive: {}, servicePlan: {} };
    if (extra.birthday !== undefined) {
      const [year, month, dayOfMonth] = extra.birthday.split('-').map(Number) as [number, number, number];
      profile.birthday = { year, month, day: dayOfMonth };
    }
    if (extra.managerId !== undefined) profile.managerId = extra.managerId;
    result.profile = profile;
  }
  if (extra.maturities) result.maturities = extra.maturities.map((m): Maturity => ({ product: m.product, date: day(m.date), amount: m.amount === undefined ? null : fen(m.amount) }));
  return result;
}

function contact(line: Record<string, unknown>): ContactEntry {
  const parsed = parseContactLine(line);
  if (!parsed.ok) throw new Error(`test fixture: bad contact ${JSON.stringify(parsed.errors)}`);
  return parsed.entry;
}

function tasks(f: CustomerFacts, today = '2025-06-11', log: ContactEntry[] = []): MomentTask[] {
  const t = day(today);
  return momentTasks(boc, standards, f, contactDue(engine, standards, f, log, t), t);
}

/** Readable task rows: [id, due, status]. */
const rows = (list: MomentTask[]) => list.map((t) => [t.id, formatCivilDay(t.due), t.status]);

/** A quiet base customer: mda 100,000 in April and May (no band, no tier change, month-ends 0). */
const quiet: Row[] = run('2025-04', '2025-05', { mda: '100000' });
/** A quiet mid-band customer: licai met in April and May at mda 300,000 (upgrade in April, met in May). */
const quietMid: Row[] = run('2025-04', '2025-05', { mda: '300000' });

describe('maturity within 30 days (2025-06-11 … 2025-07-11): due 7 days before it', () => {
  const cases = [
    { date: '2025-07-11', task: ['Q:maturity:WMP:2025-07-11', '2025-07-04', 'normal'], why: 'the 30th day; due 4 July, after this week' },
    { date: '2025-07-12', task: null, why: 'the 31st day: outside the window' },
    { date: '2025-06-20', task: ['Q:maturity:WMP:2025-06-20', '2025-06-13', 'this-week'], why: 'due Friday 13 June, within the week' },
    { date: '2025-06-11', task: ['Q:maturity:WMP:2025-06-11', '2025-06-04', 'overdue'], why: 'matures today: the week before has passed' },
    { date: '2025-06-10', task: null, why: 'matured yesterday' },
  ];
  for (const c of cases) {
    it(`WMP maturing ${c.date} → ${c.task === null ? 'no task' : `due ${c.task[1]}`} (${c.why})`, () => {
      const list = tasks(facts('Q', quiet, { maturities: [{ product: 'WMP', date: c.date, amount: '500000' }] }));
      expect(rows(list)).toEqual(c.task === null ? [] : [c.task]);
    });
  }

  it('the title names the product, amount and date; the owner is the customer’s manager', () => {
    const [task] = tasks(facts('Q', quiet, { managerId: 'M-7', maturities: [{ product: 'WMP', date: '2025-07-11', amount: '500000' }] }));
    expect(task).toEqual({
      id: 'Q:maturity:WMP:2025-07-11',
      customerId: 'Q',
      branchId: 'B7',
      owner: 'M-7',
      kind: 'maturity',
      title: 'WMP产品500000.00元将于2025-07-11到期，联系客户续作',
      due: day('2025-07-04'),
      status: 'normal',
    });
  });

  it('without an amount or a manager: no amount in the title, owner null (the branch must assign one)', () => {
    const [task] = tasks(facts('Q', quiet, { maturities: [{ product: 'FUND', date: '2025-06-25' }] }));
    expect(task!.title).toBe('FUND产品将于2025-06-25到期，联系客户续作');
    expect(task!.owner).toBeNull();
    expect(formatCivilDay(task!.due)).toBe('2025-06-18');
  });
});

describe('large outflow: month-end April − month-end May ≥ 200,000 and ≥ 30% of April', () => {
  const cases = [
    { name: '600,000 → 400,000: 200,000 (= 200,000) and 33.3% → task', april: '600000', may: '400000', task: true },
    { name: '600,000 → 400,000.01: 199,999.99 is under 200,000 → none', april: '600000', may: '400000.01', task: false },
    { name: '1,000,000 → 700,000: 300,000 = exactly 30% → task', april: '1000000', may: '700000', task: true },
    { name: '1,000,000 → 700,000.01: 299,999.99 is under 30% (300,000) though over 200,000 → none', april: '1000000', may: '700000.01', task: false },
    { name: '5,000,000 → 4,000,000: 1,000,000 but only 20% → none', april: '5000000', may: '4000000', task: false },
    { name: '400,000 → 600,000: an inflow → none', april: '400000', may: '600000', task: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const list = tasks(facts('O', [{ month: '2025-04', mda: '100000', monthEnd: c.april }, { month: '2025-05', mda: '100000', monthEnd: c.may }]));
      expect(rows(list)).toEqual(c.task ? [['O:large-outflow:2025-05', '2025-06-03', 'overdue']] : []);
    });
  }

  it('the title gives the amount and both month-ends; due the 3rd of the month', () => {
    const [task] = tasks(facts('O', [{ month: '2025-04', mda: '100000', monthEnd: '600000' }, { month: '2025-05', mda: '100000', monthEnd: '400000' }]));
    expect(task!.kind).toBe('large-outflow');
    expect(task!.title).toBe('2025-05月末金融资产减少200000.00元（600000.00 → 400000.00），了解资金去向');
  });

  it('an outflow between March and April is not this month’s moment', () => {
    const list = tasks(facts('O', [{ month: '2025-03', mda: '100000', monthEnd: '2000000' }, { month: '2025-04', mda: '100000', monthEnd: '500000' }, { month: '2025-05', mda: '100000', monthEnd: '500000' }]));
    expect(list).toEqual([]);
  });
});

describe('tier change at the last assessment (May), due 6 days into June (2025-06-07)', () => {
  const cases = [
    {
      name: 'upgrade base → licai in May (mda 100,000 → 250,000)',
      rows: [{ month: '2025-04', mda: '100000' }, { month: '2025-05', mda: '250000' }],
      id: 'T:tier-change:2025-06:0>1',
      title: '客户等级由普通客户调整为中银理财客户，告知客户新权益',
    },
    {
      name: 'downgrade licai → base in May: licai met Nov 2024, below Dec–May (the 6th miss)',
      rows: [{ month: '2024-11', mda: '300000' }, ...run('2024-12', '2025-05', { mda: '100000' })],
      id: 'T:tier-change:2025-06:1>0',
      title: '客户等级由中银理财客户调整为普通客户，告知客户并了解原因',
    },
    {
      name: 'downgrade wealth → licai in May: wealth met Nov 2024, licai level Dec–May (window-best keeps licai)',
      rows: [{ month: '2024-11', mda: '1200000' }, ...run('2024-12', '2025-05', { mda: '300000' })],
      id: 'T:tier-change:2025-06:2>1',
      title: '客户等级由中银财富管理客户调整为中银理财客户，告知客户并了解原因',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const list = tasks(facts('T', c.rows)).filter((t) => t.kind === 'tier-change');
      expect(list.map((t) => [t.id, formatCivilDay(t.due), t.status, t.title])).toEqual([[c.id, '2025-06-07', 'overdue', c.title]]);
    });
  }

  it('an upgrade in April followed by a met May is not a change at the last assessment', () => {
    expect(tasks(facts('T', quietMid))).toEqual([]);
  });

  it('a retained month (licai kept while below) is not a change', () => {
    const list = tasks(facts('T', [{ month: '2025-04', mda: '300000' }, { month: '2025-05', mda: '100000' }]));
    expect(list.filter((t) => t.kind === 'tier-change')).toEqual([]);
  });
});

describe('entering watch: only at the assessment where belowCount reaches watchAfter (3)', () => {
  const cases = [
    { name: 'licai met Feb, below Mar–May: belowCount 3 → task', metTo: '2025-02', task: true },
    { name: 'licai met Jan, below Feb–May: belowCount 4 → already entered last month, none', metTo: '2025-01', task: false },
    { name: 'licai met Mar, below Apr–May: belowCount 2 → not yet, none', metTo: '2025-03', task: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = facts('W', [...run('2025-01', c.metTo, { mda: '300000' }), ...run(`2025-0${Number(c.metTo.slice(6)) + 1}`, '2025-05', { mda: '100000' })]);
      const list = tasks(f).filter((t) => t.kind === 'enter-watch');
      expect(list.map((t) => [t.id, formatCivilDay(t.due), t.title])).toEqual(c.task ? [['W:enter-watch:2025-06', '2025-06-07', '中银理财客户已连续3期未达标，再3期将降级']] : []);
    });
  }
});

describe('greetings within 7 days of today (2025-06-04 … 2025-06-18), not when already greeted', () => {
  const birthdayCases = [
    { birthday: '1990-06-15', task: ['G:birthday:2025-06-15', '2025-06-15', 'this-week'], why: 'Sunday, the end of this week' },
    { birthday: '1990-06-18', task: ['G:birthday:2025-06-18', '2025-06-18', 'normal'], why: 'today + 7' },
    { birthday: '1990-06-19', task: null, why: 'today + 8: not yet' },
    { birthday: '1990-06-04', task: ['G:birthday:2025-06-04', '2025-06-04', 'overdue'], why: 'today − 7, not greeted' },
    { birthday: '1990-06-03', task: null, why: 'today − 8: too late to list' },
  ];
  for (const c of birthdayCases) {
    it(`mid band, birthday ${c.birthday.slice(5)} → ${c.task === null ? 'no task' : c.task[2]} (${c.why})`, () => {
      expect(rows(tasks(facts('G', quietMid, { birthday: c.birthday })))).toEqual(c.task === null ? [] : [c.task]);
    });
  }

  it('the birthday title', () => {
    const [task] = tasks(facts('G', quietMid, { birthday: '1990-06-15' }));
    expect(task!.kind).toBe('birthday');
    expect(task!.title).toBe('2025-06-15客户生日，电话或短信祝福');
  });

  it('no band (mda 100,000 < 200,000): no greeting task even on a birthday', () => {
    expect(tasks(facts('G', quiet, { birthday: '1990-06-15' }))).toEqual([]);
  });

  it('already greeted by phone on 10 June → no birthday task', () => {
    const log = [contact({ customerId: 'G', date: '2025-06-10', channel: 'phone', kind: 'birthday-greeting', by: 'M-1' })];
    expect(tasks(facts('G', quietMid, { birthday: '1990-06-15' }), '2025-06-11', log)).toEqual([]);
  });

  it('a WeChat greeting does not count (D2: phone or SMS) → the task stays', () => {
    const log = [contact({ customerId: 'G', date: '2025-06-10', channel: 'wechat', kind: 'birthday-greeting', by: 'M-1' })];
    expect(rows(tasks(facts('G', quietMid, { birthday: '1990-06-15' }), '2025-06-11', log))).toEqual([['G:birthday:2025-06-15', '2025-06-15', 'this-week']]);
  });

  it('high band (May mda 1,500,000): birthday greeting plus flowers or cake due the day before', () => {
    const f = facts('H', run('2025-04', '2025-05', { mda: '1500000' }), { birthday: '1970-06-15' });
    const list = tasks(f);
    expect(rows(list)).toEqual([
      ['H:birthday-flowers:2025-06-14', '2025-06-14', 'this-week'],
      ['H:birthday:2025-06-15', '2025-06-15', 'this-week'],
    ]);
    expect(list[0]!.title).toBe('2025-06-14前备好生日鲜花或蛋糕');
  });

  it('high band, flowers already sent on 5 June (within 14 days before) → only the greeting remains', () => {
    const f = facts('H', run('2025-04', '2025-05', { mda: '1500000' }), { birthday: '1970-06-15' });
    const log = [contact({ customerId: 'H', date: '2025-06-05', channel: 'gift', kind: 'birthday-flowers', by: 'M-1' })];
    expect(rows(tasks(f, '2025-06-11', log))).toEqual([['H:birthday:2025-06-15', '2025-06-15', 'this-week']]);
  });

  describe('holidays: today Friday 2025-09-26 (week ends 28 Sep), mid band from August’s mda 300,000', () => {
    const mid = run('2025-07', '2025-08', { mda: '300000' });

    it('国庆 1 Oct is 5 days ahead → task; 中秋 6 Oct is 10 days ahead → none', () => {
      const list = tasks(facts('HD', mid), '2025-09-26');
      expect(list.map((t) => [t.id, formatCivilDay(t.due), t.status, t.title])).toEqual([['HD:holiday:guoqing:2025-10-01', '2025-10-01', 'normal', '国庆问候（2025-10-01）']]);
    });

    it('greeted by SMS on 25 Sep (within 7 days before) → none', () => {
      const log = [contact({ customerId: 'HD', date: '2025-09-25', channel: 'sms', kind: 'holiday-greeting', occasion: 'guoqing', by: 'M-1' })];
      expect(tasks(facts('HD', mid), '2025-09-26', log)).toEqual([]);
    });

    it('a greeting for another holiday does not count → the 国庆 task stays', () => {
      const log = [contact({ customerId: 'HD', date: '2025-09-25', channel: 'sms', kind: 'holiday-greeting', occasion: 'zhongqiu', by: 'M-1' })];
      expect(tasks(facts('HD', mid), '2025-09-26', log).map((t) => t.id)).toEqual(['HD:holiday:guoqing:2025-10-01']);
    });

    it('across a month end: on 3 June, 端午 (31 May, 3 days ago) not greeted → an overdue task', () => {
      // the same ±7-day horizon as birthdays: 31 May ≥ 3 June − 7; nothing in the log
      const list = tasks(facts('HD', quietMid), '2025-06-03');
      expect(rows(list)).toEqual([['HD:holiday:duanwu:2025-05-31', '2025-05-31', 'overdue']]);
    });
  });
});

describe('stable ids: re-running never duplicates a task', () => {
  // maturity, outflow, tier change and birthday at once
  const busy = facts(
    'S',
    [
      { month: '2025-04', mda: '100000', monthEnd: '900000' },
      { month: '2025-05', mda: '250000', monthEnd: '600000' },
    ],
    { birthday: '1990-06-15', managerId: 'M-9', maturities: [{ product: 'WMP', date: '2025-07-01', amount: '300000' }] },
  );

  it('lists all four, ordered by due date, each owned by M-9', () => {
    // outflow 900,000 − 600,000 = 300,000 ≥ 200,000 and ≥ 30% × 900,000 = 270,000; base → licai in May
    const list = tasks(busy);
    expect(rows(list)).toEqual([
      ['S:large-outflow:2025-05', '2025-06-03', 'overdue'],
      ['S:tier-change:2025-06:0>1', '2025-06-07', 'overdue'],
      ['S:birthday:2025-06-15', '2025-06-15', 'this-week'],
      ['S:maturity:WMP:2025-07-01', '2025-06-24', 'normal'],
    ]);
    expect(list.every((t) => t.owner === 'M-9')).toBe(true);
  });

  it('twice on the same day: identical tasks', () => {
    expect(tasks(busy)).toEqual(tasks(busy));
  });

  it('the next day: the same ids (made from the event, not from the run date)', () => {
    expect(tasks(busy, '2025-06-12').map((t) => t.id)).toEqual(tasks(busy).map((t) => t.id));
  });

  it('the same maturity listed twice gives one task', () => {
    const f = facts('S2', quiet, {
      maturities: [
        { product: 'WMP', date: '2025-07-01', amount: '300000' },
        { product: 'WMP', date: '2025-07-01', amount: '300000' },
      ],
    });
    const ids = tasks(f).map((t) => t.id);
    expect(ids).toEqual(['S2:maturity:WMP:2025-07-01']);
  });

  it('no id appears twice in a list', () => {
    const ids = tasks(busy).map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
