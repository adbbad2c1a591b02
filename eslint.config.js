// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * shared/ is the pure domain core: no clock, no randomness, no I/O, no Google packages.
 * These rules make that a check that fails, not a promise (test/unit/purity-rules.test.ts
 * proves each rule fires).
 */
export const PURITY_RULES = {
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'shared/ is pure: pass configuration in, do not read the process.' },
    { name: 'fetch', message: 'shared/ is pure: no network I/O.' },
    { name: 'performance', message: 'shared/ is pure: no clock reads.' },
    { name: 'setTimeout', message: 'shared/ is pure: no timers.' },
    { name: 'setInterval', message: 'shared/ is pure: no timers.' },
    { name: 'crypto', message: 'shared/ is pure: no randomness.' },
    { name: 'require', message: 'shared/ is pure: no dynamic loading.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'shared/ is pure: the date is passed in, never read from the clock.' },
    { selector: "CallExpression[callee.name='Date']", message: 'shared/ is pure: the date is passed in, never read from the clock.' },
    { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'shared/ is pure: no clock reads.' },
    { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'shared/ is pure: no randomness.' },
    { selector: "MemberExpression[object.name='DateTime'][property.name=/^(now|local|utc)$/]", message: 'shared/ is pure: build luxon dates from values passed in (DateTime.fromISO / fromObject).' },
    { selector: "MemberExpression[object.name='Settings'][property.name='now']", message: 'shared/ is pure: no clock reads.' },
    { selector: 'ImportExpression', message: 'shared/ is pure: no dynamic imports.' },
  ],
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex: '^(node:)?(fs|fs/promises|http|https|http2|net|dgram|dns|child_process|cluster|worker_threads|os|process|readline|stream|crypto|timers|perf_hooks|vm|tls)$', message: 'shared/ is pure: no I/O, clock or randomness modules.' },
        { regex: '^(googleapis|@google-cloud/.*|exceljs|firebase.*)$', message: 'shared/ knows nothing of Google or files: adapters live in functions/.' },
        { regex: '^\\.\\./(functions|test|appsscript)/', message: 'shared/ depends on nothing outside itself.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'appsscript/build/**', 'appsscript/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['shared/**/*.ts'], rules: PURITY_RULES },
  // Apps Script files are plain scripts sharing one global scope: a top-level function is called
  // from another file, a menu or a trigger, so only unused locals are errors there.
  {
    files: ['appsscript/src/**/*.ts'],
    languageOptions: { sourceType: 'script' },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { vars: 'local', argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  // Tests read JSON the program wrote; typing every parsed line would only restate the assertions.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
