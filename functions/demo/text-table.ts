/**
 * Plain-text columns that stay aligned with Chinese text in a terminal: a CJK character
 * takes two columns, so padding by string length would push every later column out.
 */

export type Align = 'left' | 'right';

/** East Asian wide and fullwidth ranges (Unicode EAW W/F), the ones a bank's text uses. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

export function padTo(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** Rows under a header, each column as wide as its widest cell, two spaces between columns. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], indent = '  '): string[] {
  const widths = header.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const render = (cells: readonly string[]) =>
    indent +
    widths
      .map((w, c) => padTo(cells[c] ?? '', w, align[c] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [render(header), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render)];
}

/** 1234567.89 → 1,234,567.89: a manager reads big yuan figures with separators. */
export function groupThousands(yuan: string): string {
  const [whole = '', cents] = yuan.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cents === undefined ? grouped : `${grouped}.${cents}`;
}
