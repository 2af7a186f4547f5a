// JSON request bodies through the whole server over loopback: capped before anything is parsed or
// authenticated, whether they declare a length or not, and declared as JSON.
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


describe('JSON bodies', () => {
  it('a 200 MB body to /api/auth/token is refused at once from its content-length, unread (413)', async () => {
    resetPeakRss();
    const before = process.memoryUsage().rss / MB;
    const answer = await streamedPost(server.url, '/api/auth/token', { 'content-type': 'application/json' }, { length: 200 * MB });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    // Reading 200 MB took seconds and hundreds of MB; refused unread it takes neither.
    expect(answer.ms).toBeLessThan(2000);
    expect(answer.sentBytes).toBeLessThan(200 * MB);
    expect(peakRssMb() - before).toBeLessThan(50);
  });

  it('a body without a length is cut off at the cap while it streams (413)', async () => {
    for (const path of ['/api/auth/token', `/api/conversations/00000000-0000-7000-8000-000000000000/messages`]) {
      const answer = await streamedPost(server.url, path, { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` }, { chunkedBytes: 5 * MB, head: Buffer.from('{"content":"') });
      expect(answer.status, path).toBe(413);
      expect(JSON.parse(answer.body), path).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining('65536') } });
    }
  });

  it('a body within the cap is read and judged as usual', async () => {
    const content = 'x'.repeat(60 * 1024);
    const response = await fetch(`${server.url}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: content, password: 'p' }),
    });
    expect(response.status).not.toBe(413);
  });

  it('must be declared as JSON (415), so no cross-site form can post one', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await fetch(`${server.url}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ username: alice.user.username, password: 'whatever' }),
      });
      expect(response.status, contentType).toBe(415);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/application\/json/);
    }
  });
});
