/**
 * The words of service work (docs/domain.md D2, D5): contact channels, the kinds of obligation a
 * contact can meet, and branch roles, each with the Chinese a branch sheet shows.
 */

export const CHANNELS = ['phone', 'sms', 'wechat', 'visit', 'salon', 'gift', 'meeting'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_ZH: Readonly<Record<Channel, string>> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  visit: '上门拜访',
  salon: '沙龙',
  gift: '礼品',
  meeting: '约见',
};

export const OBLIGATION_KINDS = [
  'monthly-contact',
  'birthday-greeting',
  'holiday-greeting',
  'birthday-flowers',
  'salon',
  'gift',
  'head-visit',
  'product-message',
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];
export const OBLIGATION_ZH: Readonly<Record<ObligationKind, string>> = {
  'monthly-contact': '月度联络',
  'birthday-greeting': '生日祝福',
  'holiday-greeting': '节日问候',
  'birthday-flowers': '生日鲜花/蛋糕',
  salon: '理财沙龙',
  gift: '礼品',
  'head-visit': '行长拜访',
  'product-message': '产品短信',
};

export const ROLES = [
  'wealth-manager',
  'lobby-manager',
  'marketing-manager',
  'teller',
  'retail-head',
  'outlet-head',
  'branch-president',
  'vice-president',
] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_ZH: Readonly<Record<Role, string>> = {
  'wealth-manager': '理财经理',
  'lobby-manager': '大堂经理',
  'marketing-manager': '营销经理',
  teller: '柜员',
  'retail-head': '个金科负责人',
  'outlet-head': '网点负责人',
  'branch-president': '支行行长',
  'vice-president': '分管行长',
};

export const RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
