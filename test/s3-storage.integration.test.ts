// S3 storage against a real S3-protocol server on loopback: the store itself, then the upload
// and download routes of a whole server configured for S3.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { createStorage, S3Storage } from '@/lib/storage';
import { S3_PART_BYTES } from '@/lib/storage/s3';
import type { AttachmentDto } from '@/lib/protocol';
import { objectExists, startS3Server, testS3Client, type TestS3 } from './helpers/s3';
import { startTestServer, type TestServer } from './helpers/server';
import { makeMembers } from './helpers/chat';

let s3: TestS3;
let client: S3Client;
beforeAll(async () => {
  s3 = await startS3Server();
  client = testS3Client(s3);
});
afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

/** The object as the bucket holds it, read with a client of the test's own. */
async function objectInBucket(key: string) {
  const response = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return { bytes: Buffer.from(await response.Body!.transformToByteArray()), contentType: response.ContentType };
}

async function keysInBucket(): Promise<string[]> {
  const response = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (response.Contents ?? []).map((object) => object.Key!).sort();
}

const exists = (key: string) => objectExists(client, s3.bucket, key);

describe('S3Storage', () => {
  let storage: S3Storage;
  beforeAll(() => {
    const config = loadConfig({ ...s3.env, AUTH_SECRET: 'x'.repeat(32) });
    const created = createStorage(config);
    expect(created).toBeInstanceOf(S3Storage);
    storage = created as S3Storage;
  });

  it('puts a buffer and gets the same bytes and type back', async () => {
    const bytes = randomBytes(3000);
    await storage.put('attachments/t/buffer', bytes, { contentType: 'image/png', size: bytes.length });
    const stored = await storage.get('attachments/t/buffer');
    expect(stored).toMatchObject({ size: bytes.length, contentType: 'image/png' });
    expect((await read(stored!.body)).equals(bytes)).toBe(true);
    expect((await objectInBucket('attachments/t/buffer')).bytes.equals(bytes)).toBe(true);
  });

  it('puts a stream byte for byte (no transfer framing stored with it)', async () => {
    const bytes = randomBytes(200_000);
    const chunks = [bytes.subarray(0, 70_000), bytes.subarray(70_000, 150_000), bytes.subarray(150_000)];
    await storage.put('attachments/t/stream', Readable.from(chunks), { contentType: 'audio/webm', size: bytes.length });
    const inBucket = await objectInBucket('attachments/t/stream');
    expect(inBucket.bytes.length).toBe(bytes.length);
    expect(inBucket.bytes.equals(bytes)).toBe(true);
    expect(inBucket.contentType).toBe('audio/webm');
  });

  it('puts a stream of unknown length: one object when small, a multipart upload past a part', async () => {
    const small = randomBytes(100_000);
    expect(await storage.put('attachments/t/unknown-small', Readable.from([small]), { contentType: 'text/plain' })).toBe(small.length);
    expect((await objectInBucket('attachments/t/unknown-small')).bytes.equals(small)).toBe(true);

    // Two and a half parts, in uneven chunks.
    const large = randomBytes(Math.floor(2.5 * S3_PART_BYTES));
    const chunks = [];
    for (let at = 0; at < large.length; at += 700_001) chunks.push(large.subarray(at, at + 700_001));
    expect(await storage.put('attachments/t/unknown-large', Readable.from(chunks), { contentType: 'video/webm' })).toBe(large.length);
    const inBucket = await objectInBucket('attachments/t/unknown-large');
    expect(inBucket.bytes.equals(large)).toBe(true);
    expect(inBucket.contentType).toBe('video/webm');
  });

  it('leaves no object when a stream of unknown length fails after some parts went up', async () => {
    async function* failsLate() {
      yield randomBytes(S3_PART_BYTES);
      yield randomBytes(S3_PART_BYTES);
      throw new Error('client went away');
    }
    await expect(storage.put('attachments/t/unknown-failed', Readable.from(failsLate()), { contentType: 'text/plain' })).rejects.toThrow('client went away');
    expect(await exists('attachments/t/unknown-failed')).toBe(false);
  });

  it('gets a byte range, with the size of the whole object', async () => {
    const bytes = randomBytes(1000);
    await storage.put('attachments/t/range', bytes, { contentType: 'video/mp4', size: bytes.length });
    const part = await storage.get('attachments/t/range', { start: 100, end: 199 });
    expect(part!.size).toBe(1000);
    expect((await read(part!.body)).equals(bytes.subarray(100, 200))).toBe(true);
  });

  it('answers null for a missing key, and deletes (twice without error)', async () => {
    expect(await storage.get('attachments/t/none')).toBeNull();
    await storage.put('attachments/t/gone', Buffer.from('bye'), { contentType: 'text/plain', size: 3 });
    await storage.delete('attachments/t/gone');
    expect(await storage.get('attachments/t/gone')).toBeNull();
    await storage.delete('attachments/t/gone');
  });

  it('stores nothing for a body that is not the declared size, and fails at once', async () => {
    const started = Date.now();
    const put = (key: string, chunks: string[], size: number) =>
      storage.put(key, Readable.from(chunks.map((chunk) => Buffer.from(chunk))), { contentType: 'text/plain', size });
    await expect(storage.put('attachments/t/short-buffer', Buffer.from('abc'), { contentType: 'text/plain', size: 4 })).rejects.toThrow(/declared/);
    await expect(put('attachments/t/short-stream', ['abc'], 10)).rejects.toThrow(/declared/);
    // The first chunk alone is the declared size, and the rest comes later: the object must still
    // not be completed from the first.
    async function* slowlyTooLong() {
      yield Buffer.from('abc');
      await new Promise((resolve) => setTimeout(resolve, 300));
      yield Buffer.from('def');
    }
    await expect(storage.put('attachments/t/long-stream', Readable.from(slowlyTooLong()), { contentType: 'text/plain', size: 3 })).rejects.toThrow(
      /declared/,
    );
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put('attachments/t/failed-stream', failing, { contentType: 'text/plain', size: 7 })).rejects.toThrow('client went away');
    expect(Date.now() - started).toBeLessThan(3000);
    for (const key of ['short-buffer', 'short-stream', 'long-stream', 'failed-stream']) {
      expect(await exists(`attachments/t/${key}`), key).toBe(false);
    }
  });

  it('fails loudly with credentials the server does not know', async () => {
    const wrong = new S3Storage({ ...loadConfig({ ...s3.env, AUTH_SECRET: 'x'.repeat(32) }).s3!, accessKeyId: 'UNKNOWN' });
    await expect(wrong.put('attachments/t/denied', Buffer.from('x'), { contentType: 'text/plain', size: 1 })).rejects.toThrow();
    expect(await exists('attachments/t/denied')).toBe(false);
  });
});

describe('uploads on S3', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: s3.env });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores an upload in the bucket and serves it back to its uploader', async () => {
    const [alice, mallory] = await makeMembers(server, 2);
    const data = new FormData();
    data.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'dot.png');
    const response = await fetch(`${server.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${alice!.token}` }, body: data });
    expect(response.status).toBe(201);
    const { attachment } = (await response.json()) as { attachment: AttachmentDto };
    expect(attachment).toMatchObject({ fileName: 'dot.png', mimeType: 'image/png', size: PNG.length });

    const row = await server.context.db.attachment.findUniqueOrThrow({ where: { id: attachment.id } });
    const inBucket = await objectInBucket(row.storageKey);
    expect(inBucket.bytes.equals(PNG)).toBe(true);
    expect(inBucket.contentType).toBe('image/png');

    const download = await fetch(server.url + attachment.url, { headers: { authorization: `Bearer ${alice!.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

    const range = await fetch(server.url + attachment.url, { headers: { authorization: `Bearer ${alice!.token}`, range: 'bytes=0-7' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-7/${PNG.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(PNG.subarray(0, 8))).toBe(true);

    expect((await fetch(server.url + attachment.url, { headers: { authorization: `Bearer ${mallory!.token}` } })).status).toBe(404);
  });

  it('puts nothing in the bucket for a refused upload', async () => {
    const [alice] = await makeMembers(server, 1);
    const before = await keysInBucket();
    expect(before.length).toBeGreaterThan(0);
    const data = new FormData();
    data.append('file', new Blob(['<html></html>'], { type: 'image/png' }), 'fake.png');
    const response = await fetch(`${server.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${alice!.token}` }, body: data });
    expect(response.status).toBe(415);
    expect(await server.context.db.attachment.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
    expect(await keysInBucket()).toEqual(before);
  });
});
