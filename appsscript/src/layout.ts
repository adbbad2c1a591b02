/**
 * The branch sheet's layout as the Apps Script side needs it. Apps Script loads plain scripts,
 * not modules, so these cannot be imported from shared/sheets/branch-layout.ts;
 * test/appsscript/layout-and-manifest.test.ts proves they are the same lists, so they cannot drift.
 */

const CUSTOMER_TAB = '客户名单';

/** Every tab of the layout: a tab the system tagged as one of these is never 客户名单 by its title. */
const LAYOUT_TABS: readonly string[] = ['客户名单', '升级名单', '降级预警', '待办', '考核'];

/**
 * Developer metadata the nightly run puts on the branch sheet (shared/sheets/sheet-contract.ts,
 * visibility DOCUMENT so this script reads it): a tab tagged 客户名单 is 客户名单 whatever its
 * title, a column tagged 工作单位 is 工作单位 whatever its header now says.
 */
const TAB_METADATA_KEY = 'wealth-ladder.tab';
const COLUMN_METADATA_KEY = 'wealth-ladder.column';

/**
 * A branch's own ledger that the system adopted carries, on its tab, the binding as JSON
 * (shared/sheets/ledger-binding.ts): where its header ends and the key column's header text.
 * Its columns are then the tagged ones only (a header of its own that reads 当前等级 is the
 * branch's), its rows only those of its table. test/appsscript/ledger-rules-drift.test.ts
 * compares these with shared/.
 */
const BINDING_METADATA_KEY = 'wealth-ladder.binding';
const LEDGER_BINDING_VERSION = 1;
/** how far down a bound ledger's header row is looked for when it is not where the binding says (shared/sheets/ledger-grid.ts) */
const HEADER_RESEARCH_ROWS = 50;

/** The row identity: a row belongs to the customer whose number is in this column. */
const KEY_HEADER = '客户号';

/** Columns the branch fills in: the only ones whose edits are sent. */
const EDITABLE_HEADERS: readonly string[] = ['家庭住址', '工作单位', '手机号码', '家庭电话', '风险特征', '产品偏好', '最近联系日期', '最近联系方式', '联系备注', '指定等级', '指定原因', '指定截止月'];

/** Columns the system computes: written back from the function's answer, never sent. */
const COMPUTED_HEADERS: readonly string[] = ['当前等级', '月日均资产', '下一等级', '距下一等级差额', '本月需补足', '降级预警', '下次联系截止', '联系状态', '建档完整度', '产品数', '更新时间'];

/** The override is judged as a whole (tier, reason and end month together), so its cells travel together. */
const OVERRIDE_HEADERS: readonly string[] = ['指定等级', '指定原因', '指定截止月'];

/** Every line of the system's note starts with this, so it is told apart from a manager's own note (as in local workbooks). */
const SYSTEM_NOTE_MARK = '【未保存】';

/** Rows per request: the function takes up to 5,000, smaller requests keep each call well inside UrlFetch's 60 s. */
const ROWS_PER_REQUEST = 500;

/** The installable onEdit trigger's handler (not named onEdit, so no simple trigger ever runs it). */
const SYNC_HANDLER = 'syncEditedCells';

const PROPERTY_KEYS = {
  /** document properties: where this spreadsheet sends its edits */
  functionUrl: 'ladder.functionUrl',
  branchId: 'ladder.branchId',
  /** document properties: the one trigger whose events are sent, and who installed it */
  syncTriggerId: 'ladder.syncTriggerId',
  syncOwner: 'ladder.syncOwner',
  /** script property: the signing key (shared with the function's SHEET_EDIT_SECRET) */
  signingSecret: 'ladder.signingSecret',
};

const MIN_SECRET_LENGTH = 16;
