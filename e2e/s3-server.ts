// s3rver on loopback for the e2e run against S3 (playwright.s3.config.ts): one bucket with the
// CORS rule browsers need to PUT presigned uploads, kept until the run stops this process.
import { startS3Server } from '../test/helpers/s3';

const port = Number(process.env.E2E_S3_PORT);
const bucket = process.env.E2E_S3_BUCKET ?? 'parley-e2e';
const s3 = await startS3Server(bucket, { port });
console.log(`s3rver at ${s3.endpoint}, bucket ${bucket}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void s3.close().finally(() => process.exit(0));
  });
}
