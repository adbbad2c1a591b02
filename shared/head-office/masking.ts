/**
 * Personal data in head-office outputs is masked the way Chinese banks print it: a name keeps
 * its first character (张三 → 张*, 欧阳娜娜 → 欧***), a mobile number its first three and last
 * four digits (13812345678 → 138****5678). Head office sees who is responsible, not who they are.
 */

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
