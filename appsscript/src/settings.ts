/**
 * Where this spreadsheet sends its edits: the function's URL and the branch id in the
 * document's properties (they describe this spreadsheet), the optional signing key in the
 * script's properties (kept out of the document's). The spreadsheet id is never stored: it is
 * read from the open spreadsheet, so a copy of the sheet can never pass for the original.
 */

interface LadderSettings {
  functionUrl: string;
  branchId: string;
  /** null: no key configured, requests carry the installer's Google identity token instead */
  secret: string | null;
}

/** The saved settings, or null while the URL or the branch id is missing. */
function readSettings(): LadderSettings | null {
  const doc = PropertiesService.getDocumentProperties();
  const functionUrl = doc.getProperty(PROPERTY_KEYS.functionUrl) || '';
  const branchId = doc.getProperty(PROPERTY_KEYS.branchId) || '';
  if (functionUrl === '' || branchId === '') return null;
  const secret = PropertiesService.getScriptProperties().getProperty(PROPERTY_KEYS.signingSecret) || null;
  return { functionUrl, branchId, secret };
}

function saveSettings(settings: LadderSettings): void {
  PropertiesService.getDocumentProperties().setProperties({ [PROPERTY_KEYS.functionUrl]: settings.functionUrl, [PROPERTY_KEYS.branchId]: settings.branchId });
  const script = PropertiesService.getScriptProperties();
  if (settings.secret === null) script.deleteProperty(PROPERTY_KEYS.signingSecret);
  else script.setProperty(PROPERTY_KEYS.signingSecret, settings.secret);
}

/**
 * Why a function URL is not acceptable (Chinese, for the dialog), or null when it is: https,
 * or plain http to this machine only (a local function during development and tests).
 */
function problemWithFunctionUrl(url: string): string | null {
  if (/^https:\/\/[^\s/?#]+(?:[/?#]\S*)?$/.test(url)) return null;
  if (/^http:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?(?:[/?#]\S*)?$/.test(url)) return null;
  return '函数地址应以 https:// 开头，例如 https://asia-east2-项目.cloudfunctions.net/sheetEdit';
}

function problemWithBranchId(branchId: string): string | null {
  if (branchId === '') return '支行号不能为空';
  if (branchId.length > 100 || /\s/.test(branchId)) return '支行号不能包含空格，且最多100个字符';
  return null;
}

function problemWithSecret(secret: string): string | null {
  return secret.length < MIN_SECRET_LENGTH ? `签名密钥至少${MIN_SECRET_LENGTH}个字符（与服务端 SHEET_EDIT_SECRET 相同）` : null;
}
