// The files specs once more, with the app on S3 (s3rver on loopback): presigned uploads go from
// the browser straight to the bucket. `npm run test:e2e:s3`; ports E2E_PORT and E2E_S3_PORT.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const S3_PORT = Number(process.env.E2E_S3_PORT ?? PORT + 1);
const BUCKET = 'parley-e2e';
const appServer = Array.isArray(base.webServer) ? base.webServer[0]! : base.webServer!;

export default defineConfig({
  ...base,
  // Only the file specs, in one project of their own (the base config's projects run everything).
  projects: [{ name: 's3', testMatch: ['**/attachments.spec.ts', '**/files.spec.ts'] }],
  outputDir: 'test-results/e2e-s3',
  webServer: [
    {
      command: 'tsx e2e/s3-server.ts',
      port: S3_PORT,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { E2E_S3_PORT: String(S3_PORT), E2E_S3_BUCKET: BUCKET },
    },
    {
      ...appServer,
      env: {
        ...appServer.env,
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: `http://127.0.0.1:${S3_PORT}`,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      },
    },
  ],
});
