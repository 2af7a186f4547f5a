// Uploads stream from the request into storage: memory stays flat however large and however many.
// A file of its own, so no earlier test's garbage leaves the process a heap to grow into unseen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { makeMembers, type Member } from './helpers/chat';
import { MB, peakRssMb, resetPeakRss, streamedPost } from './helpers/streamed-post';

let server: TestServer;
let alice: Member;
beforeAll(async () => {
  server = await startTestServer();
  [alice] = (await makeMembers(server, 1)) as [Member];
});
afterAll(async () => {
  await server?.close();
});

describe('uploads', () => {
  it('8 concurrent uploads of the largest size stream to storage: memory grows by less than 100 MB', async () => {
    const size = server.config.uploadMaxBytes;
    const boundary = 'security-test-boundary';
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.txt"\r\ncontent-type: text/plain\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const headers = { authorization: `Bearer ${alice.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
    const upload = (bytes: number) => streamedPost(server.url, '/api/uploads', headers, { length: head.length + bytes + tail.length, head, tail });
    // Warm the route up, so its first load and caches are not counted.
    expect((await upload(1024)).status).toBe(201);

    resetPeakRss();
    const before = process.memoryUsage().rss / MB;
    const answers = await Promise.all(Array.from({ length: 8 }, () => upload(size)));
    const growth = peakRssMb() - before;
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    const sizes = answers.map((answer) => (JSON.parse(answer.body) as { attachment: { size: number } }).attachment.size);
    expect(sizes).toEqual(Array(8).fill(size));
    console.log(`8 concurrent uploads of ${size / MB} MiB: peak RSS ${before.toFixed(0)} MB + ${growth.toFixed(0)} MB`);
    expect(growth).toBeLessThan(100);
  }, 120_000);
});
