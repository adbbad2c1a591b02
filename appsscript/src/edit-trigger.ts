/**
 * The installable onEdit trigger. A simple onEdit may not call UrlFetchApp, so sync runs from
 * an installable trigger, set up from the menu. It runs as the person who enabled it, for
 * every editor's edits; at most one trigger per spreadsheet sends: the document records the
 * one that counts, and any other (a second person's, a stale one) deletes itself when it fires.
 */

/**
 * The installable trigger's handler: sends the edited cells of 客户名单 and writes the answer back. Never throws.
 * It reads the cells from the sheet, never e.value / e.oldValue (Google gives those for a
 * single cell only), so any edit event works the same: one cell, a paste, a fill, an undo, a
 * sort if Google reports one as an edit of the sorted range. An event without a range (a
 * structural change reported as onChange, e.g. INSERT_ROW or REMOVE_ROW) has nothing to send.
 * Cells re-sent unchanged (a sort, a move) are no edits to the function, which neither
 * stores nor logs them (docs/apps-script.md, "What Google delivers").
 */
function syncEditedCells(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  let ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  try {
    if (!e || !isCurrentSyncTrigger(e.triggerUid)) return;
    const range = e.range;
    if (!range) return;
    ss = e.source;
    const sheet = range.getSheet();
    if (!isCustomerTab(ss, sheet)) return;
    const table = readCustomerTable(sheet);
    const firstColumn = range.getColumn();
    const lastColumn = range.getLastColumn();
    // Key, computed and the branch's own columns are never sent: an edit touching none of the editable ones is no business of ours.
    if (editedColumns(table.columns, firstColumn, lastColumn).length === 0) return;
    if (table.problem !== null) {
      if (range.getLastRow() > table.headerRow) ss.toast(table.problem, '财富阶梯', 15);
      return;
    }
    // Customers' rows only: never the header, nor an adopted ledger's title rows, totals row or notes.
    const rows: number[] = [];
    for (let row = range.getRow(); row <= range.getLastRow(); row++) if (table.keys.has(row)) rows.push(row);
    if (rows.length === 0) return;
    const settings = readSettings();
    if (settings === null) {
      ss.toast('尚未设置连接，修改未发送。请点菜单「财富阶梯 → 设置连接…」。', '财富阶梯', 10);
      return;
    }
    const outcome = syncRows(ss, sheet, settings, table, rows, (columns) => editedColumns(columns, firstColumn, lastColumn), editorOf(e));
    const message = outcomeMessage(outcome);
    if (message !== null) ss.toast(message, '财富阶梯', 15);
  } catch (error) {
    console.error(`wealth-ladder: edit sync failed: ${messageOf(error)}`);
    try {
      if (ss !== null) ss.toast(`同步出错，修改可能未保存：${messageOf(error)}`, '财富阶梯', 15);
    } catch {
      // Nothing more can be shown: the log above has it.
    }
  }
}

/**
 * The editable columns inside the edited range; with any override cell, all three override
 * cells of the row (the function judges them together). Key, computed and the branch's own
 * columns are never sent.
 */
function editedColumns(columns: SheetColumns, firstColumn: number, lastColumn: number): number[] {
  const chosen: number[] = [];
  let override = false;
  for (const header of EDITABLE_HEADERS) {
    const column = columns.byHeader.get(header);
    if (column === undefined || column < firstColumn || column > lastColumn) continue;
    chosen.push(column);
    if (OVERRIDE_HEADERS.indexOf(header) >= 0) override = true;
  }
  if (override) {
    for (const header of OVERRIDE_HEADERS) {
      const column = columns.byHeader.get(header);
      if (column !== undefined && chosen.indexOf(column) < 0) chosen.push(column);
    }
  }
  return chosen.sort((a, b) => a - b);
}

/** Every editable column the sheet has (for 重新发送所选行). */
function allEditableColumns(columns: SheetColumns): number[] {
  const chosen: number[] = [];
  for (const header of EDITABLE_HEADERS) {
    const column = columns.byHeader.get(header);
    if (column !== undefined) chosen.push(column);
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * Who edited. For an installable trigger Google gives the editor's address only when policy
 * allows (same domain, typically); otherwise the body says whose trigger sent it, so the edit
 * log never claims the installer made someone else's edit.
 */
function editorOf(e?: GoogleAppsScript.Events.SheetsOnEdit): string {
  const active = emailOf(() => (e && e.user ? e.user.getEmail() : '')) || emailOf(() => Session.getActiveUser().getEmail());
  if (active !== '') return active;
  const effective = emailOf(() => Session.getEffectiveUser().getEmail());
  return effective !== '' ? `unknown editor (trigger of ${effective})` : 'unknown editor';
}

function emailOf(read: () => string): string {
  try {
    return (read() || '').trim();
  } catch {
    return '';
  }
}

/** Whether this event's trigger is the one the document records; any other trigger of this handler deletes itself. */
function isCurrentSyncTrigger(triggerUid: string | undefined): boolean {
  const recorded = PropertiesService.getDocumentProperties().getProperty(PROPERTY_KEYS.syncTriggerId);
  if (triggerUid !== undefined && recorded !== null && triggerUid === recorded) return true;
  // It runs as its owner, so it can remove itself.
  for (const trigger of ScriptApp.getProjectTriggers()) {
    if (trigger.getUniqueId() === triggerUid && trigger.getHandlerFunction() === SYNC_HANDLER) {
      ScriptApp.deleteTrigger(trigger);
      console.warn(`wealth-ladder: removed trigger ${triggerUid}: sync is ${recorded === null ? 'disabled' : `done by trigger ${recorded}`}`);
    }
  }
  return false;
}

/** 启用编辑同步: installs the trigger, once. */
function enableEditSync(): void {
  const ui = SpreadsheetApp.getUi();
  if (readSettings() === null) {
    ui.alert('财富阶梯', '请先点菜单「财富阶梯 → 设置连接…」填写函数地址和支行号。', ui.ButtonSet.OK);
    return;
  }
  const doc = PropertiesService.getDocumentProperties();
  const recorded = doc.getProperty(PROPERTY_KEYS.syncTriggerId);
  const owner = doc.getProperty(PROPERTY_KEYS.syncOwner) || '';
  const mine = ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === SYNC_HANDLER);
  if (recorded !== null && mine.some((t) => t.getUniqueId() === recorded)) {
    ui.alert('财富阶梯', '编辑同步已由您启用，无需重复启用。', ui.ButtonSet.OK);
    return;
  }
  const me = emailOf(() => Session.getEffectiveUser().getEmail());
  if (recorded !== null && owner !== me) {
    const answer = ui.alert('财富阶梯', `编辑同步已由 ${owner || '另一位用户'} 启用。改由您启用后，原来的触发器会在下一次编辑时自动停用，之后的修改以您的身份发送。是否继续？`, ui.ButtonSet.YES_NO);
    if (answer !== ui.Button.YES) return;
  }
  installSyncTrigger(mine, me);
  ui.alert('财富阶梯', `${SYNC_ENABLED_TEXT}未保存的单元格会加上以【未保存】开头的批注。`, ui.ButtonSet.OK);
}

const SYNC_ENABLED_TEXT = '已启用编辑同步：「客户名单」中档案、联系和指定等级各列的修改会自动保存，并写回计算列。';

/** Creates this person's trigger and records it; a trigger of theirs the document does not record (left over) is removed first, never doubled. */
function installSyncTrigger(mine: readonly GoogleAppsScript.Script.Trigger[], me: string): void {
  for (const trigger of mine) ScriptApp.deleteTrigger(trigger);
  const trigger = ScriptApp.newTrigger(SYNC_HANDLER).forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
  PropertiesService.getDocumentProperties().setProperties({ [PROPERTY_KEYS.syncTriggerId]: trigger.getUniqueId(), [PROPERTY_KEYS.syncOwner]: me });
}

/**
 * After a ledger is connected: sync is enabled as this person unless it already is (theirs, or
 * someone else's: never taken over without asking, 启用编辑同步 does that). Says which, in Chinese.
 */
function ensureEditSync(): string {
  const doc = PropertiesService.getDocumentProperties();
  const recorded = doc.getProperty(PROPERTY_KEYS.syncTriggerId);
  const owner = doc.getProperty(PROPERTY_KEYS.syncOwner) || '';
  const mine = ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === SYNC_HANDLER);
  if (recorded !== null && mine.some((t) => t.getUniqueId() === recorded)) return '编辑同步已由您启用。';
  const me = emailOf(() => Session.getEffectiveUser().getEmail());
  if (recorded !== null && owner !== me) return `编辑同步已由 ${owner || '另一位用户'} 启用。`;
  installSyncTrigger(mine, me);
  return SYNC_ENABLED_TEXT;
}

/** 停用编辑同步: removes this person's triggers and the record; another person's trigger removes itself when it next fires. */
function disableEditSync(): void {
  const ui = SpreadsheetApp.getUi();
  const doc = PropertiesService.getDocumentProperties();
  const owner = doc.getProperty(PROPERTY_KEYS.syncOwner) || '';
  const recorded = doc.getProperty(PROPERTY_KEYS.syncTriggerId);
  let removed = 0;
  for (const trigger of ScriptApp.getProjectTriggers()) {
    if (trigger.getHandlerFunction() !== SYNC_HANDLER) continue;
    ScriptApp.deleteTrigger(trigger);
    removed++;
  }
  doc.deleteProperty(PROPERTY_KEYS.syncTriggerId);
  doc.deleteProperty(PROPERTY_KEYS.syncOwner);
  const me = emailOf(() => Session.getEffectiveUser().getEmail());
  const others = recorded !== null && removed === 0 && owner !== me ? `（${owner || '另一位用户'} 的触发器会在下一次编辑时自动删除）` : '';
  ui.alert('财富阶梯', recorded === null && removed === 0 ? '编辑同步本来就未启用。' : `已停用编辑同步${others}。之后的修改不再自动保存。`, ui.ButtonSet.OK);
}
