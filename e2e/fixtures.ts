// Playwright's `test`, failing any test during which a page broke the Content-Security-Policy:
// the app must work with its CSP on. Every browser context the test opens is watched, the default
// one and those made with browser.newContext (openChat and friends). Specs import `test` and
// `expect` from here instead of '@playwright/test'.
import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';

export { expect };

/** Pages report each violation on the console, where the watcher below picks it up. */
const REPORT_VIOLATIONS = () => {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} (${event.sourceFile}:${event.lineNumber})`);
  });
};

/** Chromium's own words for a blocked load or inline script, beside the event above. */
const VIOLATION_TEXT = /CSP violation|Content Security Policy/i;

async function watch(context: BrowserContext, seen: string[]): Promise<void> {
  await context.addInitScript(REPORT_VIOLATIONS);
  context.on('console', (message) => {
    if (VIOLATION_TEXT.test(message.text())) seen.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ browser, context }, run) => {
      const seen: string[] = [];
      await watch(context, seen);
      // Contexts the test makes itself are watched as they are made.
      const newContext = browser.newContext.bind(browser);
      const patched = browser as Browser & { newContext: Browser['newContext'] };
      patched.newContext = async (...args) => {
        const made = await newContext(...args);
        await watch(made, seen);
        return made;
      };
      try {
        await run(seen);
      } finally {
        delete (patched as Partial<typeof patched>).newContext; // the prototype's own again
      }
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
