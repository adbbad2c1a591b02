/** The Sheets API test server: start it, point the real googleapis client at `url`. */
export { startSheetsApiServer, type SheetsApiServer } from './server.js';
export type { RecordedRequest } from './fault-injection.js';
export { SheetsState, type Cell, type CellValue, type SpreadsheetModel } from './spreadsheet-model.js';
export { parseA1Range, formatA1Range, columnIndex, columnLetters, type ParsedA1, type GridBounds } from './a1-range.js';
