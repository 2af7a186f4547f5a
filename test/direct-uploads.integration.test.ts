// Files done properly, against a real S3-protocol server on loopback (s3rver) and local disk:
// presigned direct uploads (presign → PUT → complete), their verification, image facts and
// thumbnails, and the storage lifecycle (a deleted message takes its file; the sweep removes
// uploads never sent and keeps those that were; a missing object is a 404).
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentDto, MessageDto, PresignedUploadDto } from '@/lib/protocol';
import { objectExists, startS3Server, testS3Client, type TestS3 } from './helpers/s3';
import { startTestServer, type TestServer } from './helpers/server';
import { api, makeMembers, privateChat, type Member } from './helpers/chat';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(400, 7)]);
const PEAKS = [0, 10, 40, 80, 100, 60, 30, 5, 0, 12];
const DAY_AND_MORE = 25 * 60 * 60 * 1000;

let s3: TestS3;
let client: S3Client;
let server: TestServer;
beforeAll(async () => {
  s3 = await startS3Server('parley-direct');
  client = testS3Client(s3);
  server = await startTestServer({ env: { ...s3.env, UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) } });
});
afterAll(async () => {
  await server?.close();
  client?.destroy();
  await s3?.close();
});

const inBucket = (key: string) => objectExists(client, s3.bucket, key);

type Announced = { fileName: string; mimeType: string; size: number; durationSec?: number; waveform?: number[] };

async function presign(member: Member, file: Announced) {
  return api(server, member.token, 'POST', '/api/uploads/presign', file);
}

/** The browser's PUT: straight to the bucket, with the headers the presign named. */
function put(upload: PresignedUploadDto, body: Buffer, headers: Record<string, string> = upload.headers) {
  return fetch(upload.url, { method: 'PUT', headers, body: new Uint8Array(body) });
}

const complete = (member: Member, uploadId: string) => api(server, member.token, 'POST', `/api/uploads/${uploadId}/complete`);

/** presign → PUT → complete, all as a browser would; the attachment. */
async function uploadDirect(member: Member, file: Announced & { bytes: Buffer }): Promise<AttachmentDto> {
  const { bytes, ...announced } = file;
  const signed = await presign(member, announced);
  expect(signed.status, JSON.stringify(signed.body)).toBe(201);
  const sent = await put(signed.body as PresignedUploadDto, bytes);
  expect(sent.status).toBe(200);
  const done = await complete(member, signed.body.uploadId as string);
  expect(done.status, JSON.stringify(done.body)).toBe(201);
  return done.body.attachment as AttachmentDto;
}

async function send(member: Member, conversationId: string, attachmentId: string, messageType: MessageDto['messageType'] = 'file'): Promise<MessageDto> {
  const response = await api(server, member.token, 'POST', `/api/conversations/${conversationId}/messages`, { content: '', attachmentId, messageType });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.message as MessageDto;
}

const storageKeyOf = async (id: string) => (await server.context.db.attachment.findUniqueOrThrow({ where: { id } })).storageKey;
const download = (member: Member | null, url: string) => fetch(server.url + url, { headers: member ? { authorization: `Bearer ${member.token}` } : {} });

describe('presigned direct uploads to S3', () => {
  it('presign → PUT → complete → send: a member downloads it, a stranger gets 404', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const chat = await privateChat(server, alice!, bob!);
    const signed = await presign(alice!, { fileName: 'voice.webm', mimeType: 'audio/webm;codecs=opus', size: WEBM.length, durationSec: 3.5, waveform: PEAKS });
    expect(signed.status).toBe(201);
    const upload = signed.body as PresignedUploadDto;
    // The URL goes to the bucket, signed for the type and the length.
    expect(upload.url.startsWith(`${s3.endpoint}/${s3.bucket}/attachments/`)).toBe(true);
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    expect(upload.headers).toEqual({ 'content-type': 'audio/webm' });
    expect(Date.parse(upload.expiresAt)).toBeGreaterThan(Date.now());

    // Not sendable before it is complete.
    const early = await api(server, alice!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: '', attachmentId: upload.uploadId, messageType: 'voice' });
    expect(early.status).toBe(400);
    // Complete before the bytes arrived: 409, and the upload is still there to finish.
    expect((await complete(alice!, upload.uploadId)).status).toBe(409);

    expect((await put(upload, WEBM)).status).toBe(200);
    // Someone else cannot complete it.
    expect((await complete(bob!, upload.uploadId)).status).toBe(404);
    const done = await complete(alice!, upload.uploadId);
    expect(done.status).toBe(201);
    const attachment = done.body.attachment as AttachmentDto;
    expect(attachment).toMatchObject({ id: upload.uploadId, fileName: 'voice.webm', mimeType: 'audio/webm', size: WEBM.length, durationSec: 3.5, waveform: PEAKS });
    // Completing again answers the same (a retried request).
    expect((await complete(alice!, upload.uploadId)).body.attachment).toEqual(attachment);

    const message = await send(alice!, chat.id, attachment.id, 'voice');
    expect(message.attachment).toEqual(attachment);
    const fetched = await download(bob!, attachment.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(WEBM)).toBe(true);
    expect((await download(mallory!, attachment.url)).status).toBe(404);
    expect((await download(null, attachment.url)).status).toBe(401);
  });

  it('refuses up front what could never be sent, saying what to do', async () => {
    const [alice] = await makeMembers(server, 1);
    const exe = await presign(alice!, { fileName: 'tool.exe', mimeType: 'application/x-msdownload', size: 10 });
    expect(exe.status).toBe(415);
    expect(exe.body.error.message).toMatch(/not allowed\. You can send images \(JPEG, PNG, GIF, WebP\), PDF/);
    const huge = await presign(alice!, { fileName: 'big.pdf', mimeType: 'application/pdf', size: 3 * 1024 * 1024 });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain('at most 2 MB');
    const cases: [string, Announced, string][] = [
      ['waveform on an image', { fileName: 'a.png', mimeType: 'image/png', size: 10, waveform: PEAKS }, 'waveform'],
      ['peak above 100', { fileName: 'a.webm', mimeType: 'audio/webm', size: 10, waveform: [...PEAKS, 101] }, 'waveform'],
      ['too few peaks', { fileName: 'a.webm', mimeType: 'audio/webm', size: 10, waveform: [1, 2] }, 'waveform'],
      ['fractional peak', { fileName: 'a.webm', mimeType: 'audio/webm', size: 10, waveform: [...PEAKS, 1.5] }, 'waveform'],
      ['too many peaks', { fileName: 'a.webm', mimeType: 'audio/webm', size: 10, waveform: Array(201).fill(1) }, 'waveform'],
      ['duration on a pdf', { fileName: 'a.pdf', mimeType: 'application/pdf', size: 10, durationSec: 3 }, 'durationSec'],
      ['control character in the name', { fileName: 'a\u0000.pdf', mimeType: 'application/pdf', size: 10 }, 'fileName'],
      ['empty file', { fileName: 'a.pdf', mimeType: 'application/pdf', size: 0 }, 'size'],
    ];
    for (const [what, file, field] of cases) {
      const response = await presign(alice!, file);
      expect(response.status, what).toBe(400);
      expect(response.body.error.message, what).toContain(field);
    }
    expect(await server.context.db.pendingUpload.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
  });

  it('deletes an object that is not what was signed for: another type, another size, the wrong bytes', async () => {
    const [alice] = await makeMembers(server, 1);
    const attempts: [string, Announced, Buffer, Record<string, string> | undefined, number][] = [
      ['another type', { fileName: 'dot.png', mimeType: 'image/png', size: PNG.length }, PNG, { 'content-type': 'text/html' }, 415],
      ['a bigger body', { fileName: 'dot.png', mimeType: 'image/png', size: PNG.length }, Buffer.concat([PNG, Buffer.alloc(5000)]), undefined, 400],
      ['the wrong magic number', { fileName: 'fake.png', mimeType: 'image/png', size: 13 }, Buffer.from('<html></html>'), undefined, 415],
    ];
    for (const [what, announced, bytes, headers, status] of attempts) {
      const signed = await presign(alice!, announced);
      const upload = signed.body as PresignedUploadDto;
      const key = (await server.context.db.pendingUpload.findUniqueOrThrow({ where: { id: upload.uploadId } })).storageKey;
      const sent = await put(upload, bytes, headers);
      if (sent.status !== 200) {
        // Refused by the store itself (a real S3 checks the signed headers): nothing stored.
        expect(await inBucket(key), what).toBe(false);
        continue;
      }
      expect(await inBucket(key), what).toBe(true);
      const done = await complete(alice!, upload.uploadId);
      expect(done.status, `${what}: ${JSON.stringify(done.body)}`).toBe(status);
      expect(await inBucket(key), what).toBe(false);
      // The upload is gone: the client starts again.
      expect((await complete(alice!, upload.uploadId)).status, what).toBe(404);
    }
    expect(await server.context.db.attachment.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
  });

  it('knows an image\'s size before it loads, and makes a sharp thumbnail of a large one', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const big = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: { r: 200, g: 40, b: 90 } } })
      .png()
      .toBuffer();
    const photo = await uploadDirect(alice!, { fileName: 'sunset.png', mimeType: 'image/png', size: big.length, bytes: big });
    expect(photo).toMatchObject({ width: 2400, height: 1200, thumbnailUrl: `${photo.url}?variant=thumbnail` });
    const small = await uploadDirect(alice!, { fileName: 'dot.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    expect(small).toMatchObject({ width: 1, height: 1, thumbnailUrl: null });

    await send(alice!, chat.id, photo.id, 'image');
    const thumbnail = await download(bob!, photo.thumbnailUrl!);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const thumbBytes = Buffer.from(await thumbnail.arrayBuffer());
    expect(thumbBytes.length).toBeLessThan(big.length);
    expect(await sharp(thumbBytes).metadata()).toMatchObject({ format: 'webp', width: 800, height: 400 });
    // The original stays whole.
    expect(Buffer.from(await (await download(bob!, photo.url)).arrayBuffer()).equals(big)).toBe(true);
  });
});

describe('storage lifecycle on S3', () => {
  it('deleting a message deletes its stored file and thumbnail; the file is then 404', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const big = await sharp({ create: { width: 1600, height: 1600, channels: 3, background: '#3366aa' } }).png().toBuffer();
    const photo = await uploadDirect(alice!, { fileName: 'big.png', mimeType: 'image/png', size: big.length, bytes: big });
    const row = await server.context.db.attachment.findUniqueOrThrow({ where: { id: photo.id } });
    expect(row.thumbnailKey).not.toBeNull();
    const message = await send(alice!, chat.id, photo.id, 'image');
    expect(await inBucket(row.storageKey)).toBe(true);
    expect(await inBucket(row.thumbnailKey!)).toBe(true);

    expect((await api(server, alice!.token, 'DELETE', `/api/messages/${message.id}`)).status).toBe(200);
    expect(await inBucket(row.storageKey)).toBe(false);
    expect(await inBucket(row.thumbnailKey!)).toBe(false);
    expect(await server.context.db.attachment.findUnique({ where: { id: photo.id } })).toBeNull();
    expect((await download(alice!, photo.url)).status).toBe(404);
    expect((await download(bob!, photo.url)).status).toBe(404);
  });

  it('a server admin removing a message deletes its file too; the sweep takes the file of a message deleted any other way', async () => {
    const [alice, bob, admin] = await makeMembers(server, 3);
    await server.context.db.user.update({ where: { id: admin!.user.id }, data: { isAdmin: true } });
    const chat = await privateChat(server, alice!, bob!);
    const moderated = await uploadDirect(alice!, { fileName: 'spam.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    const moderatedMessage = await send(alice!, chat.id, moderated.id, 'image');
    const moderatedKey = await storageKeyOf(moderated.id);
    expect((await api(server, admin!.token, 'DELETE', `/api/admin/messages/${moderatedMessage.id}`)).status).toBe(200);
    expect(await inBucket(moderatedKey)).toBe(false);
    expect((await download(bob!, moderated.url)).status).toBe(404);

    // Deleted without its file (a path that forgot it, or a delete whose file removal failed).
    const other = await uploadDirect(alice!, { fileName: 'other.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    const otherMessage = await send(alice!, chat.id, other.id, 'image');
    const otherKey = await storageKeyOf(other.id);
    await server.context.db.message.update({ where: { id: otherMessage.id }, data: { deletedAt: new Date() } });
    const result = await server.uploadSweeper.sweepNow();
    expect(result!.ofDeletedMessages).toBeGreaterThanOrEqual(1);
    expect(await inBucket(otherKey)).toBe(false);
    expect(await server.context.db.attachment.findUnique({ where: { id: other.id } })).toBeNull();
  });

  it('the sweep removes uploads never sent and direct uploads never completed, after the configured age, and keeps sent ones', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const sent = await uploadDirect(alice!, { fileName: 'kept.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    await send(alice!, chat.id, sent.id, 'image');
    const orphan = await uploadDirect(alice!, { fileName: 'orphan.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    const abandoned = (await presign(alice!, { fileName: 'never.png', mimeType: 'image/png', size: PNG.length })).body as PresignedUploadDto;
    expect((await put(abandoned, PNG)).status).toBe(200);
    const [sentKey, orphanKey] = [await storageKeyOf(sent.id), await storageKeyOf(orphan.id)];
    const abandonedKey = (await server.context.db.pendingUpload.findUniqueOrThrow({ where: { id: abandoned.uploadId } })).storageKey;

    // Younger than the age: all kept.
    await server.uploadSweeper.sweepNow();
    expect(await inBucket(orphanKey)).toBe(true);
    expect(await inBucket(abandonedKey)).toBe(true);

    const result = await server.uploadSweeper.sweepNow(new Date(Date.now() + DAY_AND_MORE));
    expect(result!.attachments).toBeGreaterThanOrEqual(1);
    expect(result!.pendingUploads).toBeGreaterThanOrEqual(1);
    expect(await inBucket(orphanKey)).toBe(false);
    expect(await inBucket(abandonedKey)).toBe(false);
    expect(await server.context.db.attachment.findUnique({ where: { id: orphan.id } })).toBeNull();
    expect(await server.context.db.pendingUpload.findUnique({ where: { id: abandoned.uploadId } })).toBeNull();
    expect(await inBucket(sentKey)).toBe(true);
    expect((await download(bob!, sent.url)).status).toBe(200);
    // A swept orphan cannot be sent any more.
    expect((await api(server, alice!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: '', attachmentId: orphan.id })).status).toBe(400);
  });

  it('a file missing from the bucket is a clean 404, not a 500', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const attachment = await uploadDirect(alice!, { fileName: 'dot.png', mimeType: 'image/png', size: PNG.length, bytes: PNG });
    await send(alice!, chat.id, attachment.id, 'image');
    await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: await storageKeyOf(attachment.id) }));
    const response = await download(bob!, attachment.url);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('local disk', () => {
  let local: TestServer;
  beforeAll(async () => {
    local = await startTestServer();
  });
  afterAll(async () => {
    await local?.close();
  });

  const files = async () =>
    (await readdir(path.join(local.config.dataDir, 'uploads'), { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isFile() && !entry.parentPath.includes('.meta'))
      .map((entry) => path.relative(path.join(local.config.dataDir, 'uploads'), path.join(entry.parentPath, entry.name)));

  async function uploadStreamed(member: Member, bytes: Buffer, name: string, type: string, fields: Record<string, string> = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    const response = await fetch(`${local.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form });
    return { status: response.status, body: (await response.json()) as { attachment: AttachmentDto; error?: { message: string } } };
  }

  it('has no presigned uploads: presign is a 404 that says to POST /api/uploads', async () => {
    const [alice] = await makeMembers(local, 1);
    const response = await api(local, alice!.token, 'POST', '/api/uploads/presign', { fileName: 'a.png', mimeType: 'image/png', size: 10 });
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain('POST /api/uploads');
  });

  it('the streamed upload takes a waveform through the same checks, and a deleted message takes its file', async () => {
    const [alice, bob] = await makeMembers(local, 2);
    const chat = await privateChat(local, alice!, bob!);
    const bad = await uploadStreamed(alice!, WEBM, 'v.webm', 'audio/webm', { durationSec: '2', waveform: '1,2,300' });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toContain('waveform');
    const voice = await uploadStreamed(alice!, WEBM, 'v.webm', 'audio/webm', { durationSec: '2', waveform: PEAKS.join(',') });
    expect(voice.status).toBe(201);
    expect(voice.body.attachment.waveform).toEqual(PEAKS);
    const key = (await local.context.db.attachment.findUniqueOrThrow({ where: { id: voice.body.attachment.id } })).storageKey;
    expect(await files()).toContain(key);

    const sent = await api(local, alice!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: '', attachmentId: voice.body.attachment.id, messageType: 'voice' });
    expect(sent.status).toBe(201);
    expect((await api(local, alice!.token, 'DELETE', `/api/messages/${sent.body.message.id}`)).status).toBe(200);
    expect(await files()).not.toContain(key);
    const gone = await fetch(local.url + voice.body.attachment.url, { headers: { authorization: `Bearer ${bob!.token}` } });
    expect(gone.status).toBe(404);
  });

  it('the sweep removes an orphan after the configured age and keeps an attached upload', async () => {
    const [alice, bob] = await makeMembers(local, 2);
    const chat = await privateChat(local, alice!, bob!);
    const kept = (await uploadStreamed(alice!, PNG, 'kept.png', 'image/png')).body.attachment;
    const orphan = (await uploadStreamed(alice!, PNG, 'orphan.png', 'image/png')).body.attachment;
    expect((await api(local, alice!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: '', attachmentId: kept.id, messageType: 'image' })).status).toBe(201);
    const keys = await Promise.all([kept, orphan].map(async (a) => (await local.context.db.attachment.findUniqueOrThrow({ where: { id: a.id } })).storageKey));
    await local.uploadSweeper.sweepNow(new Date(Date.now() + DAY_AND_MORE));
    const left = await files();
    expect(left).toContain(keys[0]);
    expect(left).not.toContain(keys[1]);
    expect(await local.context.db.attachment.findUnique({ where: { id: orphan.id } })).toBeNull();
  });
});
