import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const ORIGIN = `http://127.0.0.1:${PORT}`;

// Debian's Chromium (no browser download here); flags keep it off the network.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // In CI a failed test runs once more and, if it then passes, is reported as flaky (listed in
  // the output, never hidden): two intermittent failures are open (docs/ui-requests.md).
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  // The admin spec changes what the whole server does (registration mode, settings), so it runs
  // once every other spec is done. Alone: `npx playwright test e2e/admin.spec.ts --no-deps`.
  projects: [
    { name: 'chat', testIgnore: '**/admin.spec.ts' },
    { name: 'admin', testMatch: '**/admin.spec.ts', dependencies: ['chat'] },
  ],
  use: {
    baseURL: ORIGIN,
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // A fresh embedded database for every run; the production build made by `npm run build`.
    command: `rm -rf data-e2e-${PORT} && tsx server/index.ts`,
    url: `${ORIGIN}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: `data-e2e-${PORT}`,
      NEXTAUTH_URL: ORIGIN,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      PRESENCE_GRACE_MS: '1000',
      NEXT_TELEMETRY_DISABLED: '1',
      // The admin spec's admin (e2e/admin.spec.ts); other specs' first account is one too.
      ADMIN_EMAILS: 'e2e-admin@example.test',
    },
  },
});
