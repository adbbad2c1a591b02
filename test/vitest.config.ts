import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * One Firestore emulator for the whole run, started by the tests themselves
 * (test/support/firestore-global-setup.ts) and stopped as a process group at the end.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/firestore-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
