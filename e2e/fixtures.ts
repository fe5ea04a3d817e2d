import { test as base, expect } from '@playwright/test';

/**
 * The project's `test`: every page a test opens is watched for uncaught exceptions (`pageerror`)
 * and console errors, and a test that saw any fails at the end with the list, even when its own
 * assertions passed. A broken worker or a failed request usually shows up only there.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => {
        errors.push(`pageerror: ${error.stack ?? error.message}`);
      });
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const { url, lineNumber } = message.location();
        const where = url ? ` (${url}:${lineNumber + 1})` : '';
        errors.push(`console.error: ${message.text()}${where}`);
      });
      await use(errors);
      expect(errors, 'the page reported errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
