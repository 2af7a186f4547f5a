// Uploads and attachment downloads through the whole server, on local disk storage.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from '@/lib/storage';
import type { AttachmentDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { api, eventually, groupChat, makeMembers, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const NO_SUCH_ID = '01900000-0000-7000-8000-000000000000';

// Small files whose first bytes are what their types promise.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), randomBytes(200)]);
const TEXT = Buffer.from('hello, attachments\n');

type Part = { bytes: Buffer; type: string; name: string };

function form(file: Part | Part[] | null, fields: Record<string, string | string[]> = {}): FormData {
  const data = new FormData();
  for (const part of file === null ? [] : Array.isArray(file) ? file : [file]) {
    data.append('file', new Blob([new Uint8Array(part.bytes)], { type: part.type }), part.name);
  }
  for (const [name, values] of Object.entries(fields)) {
    for (const value of Array.isArray(values) ? values : [values]) data.append(name, value);
  }
  return data;
}

async function upload(target: TestServer, token: string | undefined, body: FormData | BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(`${target.url}/api/uploads`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const json = (await response.json().catch(() => null)) as { attachment?: AttachmentDto; error?: { code: string; message: string } } | null;
  return { status: response.status, body: json };
}

async function uploadOk(member: Member, part: Part, fields: Record<string, string> = {}): Promise<AttachmentDto> {
  const response = await upload(server, member.token, form(part, fields));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body!.attachment!;
}

function download(target: TestServer, token: string | undefined, url: string, headers: Record<string, string> = {}) {
  return fetch(target.url + url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
}

/** Every file the local store holds (bytes and metadata), so a test can see nothing was left behind. */
async function storedFiles(target: TestServer): Promise<string[]> {
  const root = path.join(target.config.dataDir, 'uploads');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('POST /api/uploads', () => {
  it('stores the file and answers 201 with the attachment', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    expect(attachment).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      fileName: 'dot.png',
      mimeType: 'image/png',
      size: PNG.length,
      durationSec: null,
      url: `/api/attachments/${attachment.id}`,
      width: 1,
      height: 1,
      waveform: null,
      thumbnailUrl: null,
    });
    const row = await server.context.db.attachment.findUniqueOrThrow({ where: { id: attachment.id } });
    expect(row).toMatchObject({ uploaderId: alice!.user.id, size: PNG.length, mimeType: 'image/png' });
    expect(row.storageKey).not.toContain('dot.png');
    // The bytes on disk are the bytes sent.
    const onDisk = await readFile(path.join(server.config.dataDir, 'uploads', row.storageKey));
    expect(onDisk.equals(PNG)).toBe(true);
  });

  it('takes a voice message with its duration and the recorder\'s codec parameter', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: WEBM, type: 'audio/webm;codecs=opus', name: 'voice.webm' }, { durationSec: '12.5' });
    expect(attachment).toMatchObject({ mimeType: 'audio/webm', durationSec: 12.5, size: WEBM.length });
  });

  it('cleans file names: no path, no control or bidi characters, at most 255 characters', async () => {
    const [alice] = await makeMembers(server, 1);
    const cases: [string, string][] = [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['C:\\Users\\me\\notes.txt', 'notes.txt'],
      ['inv\u202Etxt.exe', 'invtxt.exe'],
      ['what?<>|.txt', 'what____.txt'],
      ['...', 'file'],
      ['Résumé 2024 (final).txt', 'Résumé 2024 (final).txt'],
      [`${'x'.repeat(300)}.txt`, `${'x'.repeat(251)}.txt`],
    ];
    for (const [sent, kept] of cases) {
      const attachment = await uploadOk(alice!, { bytes: TEXT, type: 'text/plain', name: sent });
      expect(attachment.fileName, sent).toBe(kept);
    }
    // Control characters cannot even stand in a part's header: the multipart body is malformed.
    const control = await upload(server, alice!.token, form({ bytes: TEXT, type: 'text/plain', name: 'a\u0000b\u0007c.txt' }));
    expect(control.status).toBe(400);
    expect(control.body?.error?.message).toMatch(/malformed/);
  });

  it('answers 415 for a type not on the list, and for contents that are not the declared type', async () => {
    const [alice] = await makeMembers(server, 1);
    const before = await storedFiles(server);
    const refused: Part[] = [
      { bytes: Buffer.from('MZ\x90\x00'), type: 'application/x-msdownload', name: 'setup.exe' },
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), type: 'image/svg+xml', name: 'x.svg' },
      { bytes: Buffer.from('<html><script>alert(1)</script></html>'), type: 'text/html', name: 'x.html' },
      { bytes: Buffer.from('<html><script>alert(1)</script></html>'), type: 'image/png', name: 'x.png' },
      { bytes: Buffer.concat([Buffer.from('text'), Buffer.alloc(4), Buffer.from('binary')]), type: 'text/plain', name: 'x.txt' },
      { bytes: PNG, type: 'application/pdf', name: 'x.pdf' },
      { bytes: PNG, type: '', name: 'no-type' },
    ];
    for (const part of refused) {
      const response = await upload(server, alice!.token, form(part));
      expect(response.status, part.type).toBe(415);
      expect(response.body?.error?.code).toBe('unsupported_media_type');
    }
    expect(await server.context.db.attachment.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
    expect(await storedFiles(server)).toEqual(before);
  });

  it('answers 400 with a message for a malformed request', async () => {
    const [alice] = await makeMembers(server, 1);
    const png: Part = { bytes: PNG, type: 'image/png', name: 'dot.png' };
    const webm: Part = { bytes: WEBM, type: 'audio/webm', name: 'v.webm' };
    const cases: [string, FormData | string, string][] = [
      ['no file', form(null, { note: 'hi' }), 'file'],
      ['two files', form([png, png]), 'file'],
      ['file as text', form(null, { file: 'not a file' }), 'file'],
      ['empty file', form({ bytes: Buffer.alloc(0), type: 'text/plain', name: 'empty.txt' }), 'empty'],
      ['JSON body', JSON.stringify({ file: 'x' }), 'multipart'],
      ['duration not a number', form(webm, { durationSec: 'abc' }), 'durationSec'],
      ['duration zero', form(webm, { durationSec: '0' }), 'durationSec'],
      ['duration negative', form(webm, { durationSec: '-3' }), 'durationSec'],
      ['duration too long', form(webm, { durationSec: '3601' }), 'durationSec'],
      ['duration infinite', form(webm, { durationSec: 'Infinity' }), 'durationSec'],
      ['duration twice', form(webm, { durationSec: ['1', '2'] }), 'durationSec'],
      ['duration on an image', form(png, { durationSec: '5' }), 'durationSec'],
    ];
    for (const [what, body, field] of cases) {
      const headers: Record<string, string> = typeof body === 'string' ? { 'content-type': 'application/json' } : {};
      const response = await upload(server, alice!.token, body, headers);
      expect(response.status, what).toBe(400);
      expect(response.body?.error, what).toMatchObject({ code: 'bad_request', message: expect.stringContaining(field) });
    }
    expect(await server.context.db.attachment.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
  });

  it('answers 401 without a valid token', async () => {
    const part: Part = { bytes: PNG, type: 'image/png', name: 'dot.png' };
    expect((await upload(server, undefined, form(part))).status).toBe(401);
    expect((await upload(server, 'not.a.token', form(part))).status).toBe(401);
  });

  it('keeps nothing of an upload the client cuts off halfway', async () => {
    const [alice] = await makeMembers(server, 1);
    const before = await storedFiles(server);
    const boundary = 'cut-off';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="half.txt"\r\ncontent-type: text/plain\r\n\r\n`;
    const request = httpRequest(`${server.url}/api/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice!.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(1_000_000) },
    });
    request.on('error', () => undefined);
    request.write(head);
    request.write(Buffer.alloc(300_000, 'a'));
    // Long enough for the bytes to reach storage, then the client is gone.
    await eventually(async () => (await storedFiles(server)).length > before.length, 5000, 'the upload to start storing');
    request.destroy();
    await eventually(async () => (await storedFiles(server)).length === before.length, 5000, 'the partial file to be removed');
    expect(await storedFiles(server)).toEqual(before);
    expect(await server.context.db.attachment.count({ where: { uploaderId: alice!.user.id } })).toBe(0);
  });

  it('limits uploads per user with 429', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    // Every attempt counts, so cheap malformed ones use up the budget.
    for (let i = 0; i < 30; i += 1) expect((await upload(server, alice!.token, form(null))).status).toBe(400);
    const limited = await upload(server, alice!.token, form({ bytes: PNG, type: 'image/png', name: 'dot.png' }));
    expect(limited.status).toBe(429);
    expect(limited.body?.error?.code).toBe('rate_limited');
    // Another user has a budget of their own.
    await uploadOk(bob!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
  });
});

describe('GET /api/attachments/:id', () => {
  it('gives the uploader the same bytes, with safe headers', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    const response = await download(server, alice!.token, attachment.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="dot.png"; filename*=UTF-8''dot.png`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toMatch(/^private\b/);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  });

  it('offers documents as downloads, with the exact name encoded for any language', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PDF, type: 'application/pdf', name: 'Résumé "2024" (final).pdf' });
    const response = await download(server, alice!.token, attachment.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ _2024_ (final).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_2024_%20%28final%29.pdf`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('serves byte ranges for seeking, and 416 past the end', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: WEBM, type: 'video/webm', name: 'clip.webm' });
    const first = await download(server, alice!.token, attachment.url, { range: 'bytes=0-3' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-3/${WEBM.length}`);
    expect(first.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await first.arrayBuffer()).equals(WEBM.subarray(0, 4))).toBe(true);

    const tail = await download(server, alice!.token, attachment.url, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(WEBM.subarray(-10))).toBe(true);

    const open = await download(server, alice!.token, attachment.url, { range: 'bytes=100-' });
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(WEBM.subarray(100))).toBe(true);

    const past = await download(server, alice!.token, attachment.url, { range: `bytes=${WEBM.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${WEBM.length}`);

    // Several ranges are not served as multipart: the whole file instead, which HTTP allows.
    const several = await download(server, alice!.token, attachment.url, { range: 'bytes=0-1,5-6' });
    expect(several.status).toBe(200);
    expect(Buffer.from(await several.arrayBuffer()).equals(WEBM)).toBe(true);
  });

  it('answers 304 when the browser already has it', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    const first = await download(server, alice!.token, attachment.url);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    await first.arrayBuffer();
    const again = await download(server, alice!.token, attachment.url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('answers 404 to someone who shares no conversation, exactly as for an unknown id', async () => {
    const [alice, mallory] = await makeMembers(server, 2);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    const probe = await download(server, mallory!.token, attachment.url);
    const unknown = await download(server, mallory!.token, `/api/attachments/${NO_SUCH_ID}`);
    const malformed = await download(server, mallory!.token, '/api/attachments/not-an-id');
    expect(probe.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(await probe.json()).toEqual(await unknown.json());
    // Even the etag of a file someone cannot see gets no 304.
    expect((await download(server, mallory!.token, attachment.url, { 'if-none-match': `"${attachment.id}"` })).status).toBe(404);
  });

  it('answers 401 without a token', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    expect((await download(server, undefined, attachment.url)).status).toBe(401);
  });

  it('history pages and search show a message exactly as it was sent: reply quote, attachment, location', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await groupChat(server, alice!, [bob!]);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    const post = async (member: typeof alice, body: Record<string, unknown>) => {
      const response = await api(server, member!.token, 'POST', `/api/conversations/${conversation.id}/messages`, body);
      expect(response.status).toBe(201);
      return response.body.message;
    };
    const picture = await post(alice, { content: 'zebra picture', messageType: 'image', attachmentId: attachment.id });
    const reply = await post(bob, { content: 'zebra reply', replyTo: picture.id });
    const place = await post(alice, { content: 'zebra place', messageType: 'location', location: { latitude: 52.5, longitude: 13.4, name: 'Berlin' } });
    const plain = await post(bob, { content: 'zebra plain' });

    const history = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages`);
    expect(history.body.messages).toEqual([picture, reply, place, plain]);
    const older = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages?before=${place.id}&limit=1`);
    expect(older.body).toEqual({ messages: [reply], nextCursor: reply.id, hasMore: true });
    const newer = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages?after=${picture.id}&limit=2`);
    expect(newer.body).toEqual({ messages: [reply, place], nextCursor: place.id, hasMore: true });
    const found = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/search?q=zebra`);
    expect(found.body.messages).toEqual([plain, place, reply, picture]);
  });

  it('is visible to the members of the conversation whose message carries it, and to a removed member up to their removal', async () => {
    const [alice, bob, carol, mallory] = await makeMembers(server, 4);
    const conversation = await groupChat(server, alice!, [bob!, carol!]);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });

    // Before it is sent, only its uploader sees it.
    expect((await download(server, bob!.token, attachment.url)).status).toBe(404);

    const sent = await api(server, alice!.token, 'POST', `/api/conversations/${conversation.id}/messages`, {
      content: '',
      messageType: 'image',
      attachmentId: attachment.id,
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachment).toEqual(attachment);

    const asBob = await download(server, bob!.token, attachment.url);
    expect(asBob.status).toBe(200);
    expect(Buffer.from(await asBob.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await download(server, carol!.token, attachment.url)).status).toBe(200);
    expect((await download(server, mallory!.token, attachment.url)).status).toBe(404);

    // A removed member keeps the conversation read-only up to their removal: that file too, but
    // nothing sent after, and nothing once they drop the conversation from their list.
    const removed = await api(server, alice!.token, 'DELETE', `/api/conversations/${conversation.id}/participants/${carol!.user.id}`);
    expect(removed.status).toBeLessThan(300);
    expect((await download(server, carol!.token, attachment.url)).status).toBe(200);
    const later = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'later.png' });
    const sentLater = await api(server, alice!.token, 'POST', `/api/conversations/${conversation.id}/messages`, {
      content: '',
      messageType: 'image',
      attachmentId: later.id,
    });
    expect(sentLater.status).toBe(201);
    expect((await download(server, bob!.token, later.url)).status).toBe(200);
    expect((await download(server, carol!.token, later.url)).status).toBe(404);
    const dropped = await api(server, carol!.token, 'DELETE', `/api/conversations/${conversation.id}`);
    expect(dropped.status).toBe(204);
    expect((await download(server, carol!.token, attachment.url)).status).toBe(404);

    // Once the message is deleted, its file is deleted too: gone for everyone, its uploader included.
    const deleted = await api(server, alice!.token, 'DELETE', `/api/messages/${sent.body.message.id}`);
    expect(deleted.status).toBeLessThan(300);
    expect((await download(server, bob!.token, attachment.url)).status).toBe(404);
    expect((await download(server, alice!.token, attachment.url)).status).toBe(404);
  });

  it('answers 404 when the bytes are missing from storage', async () => {
    const [alice] = await makeMembers(server, 1);
    const attachment = await uploadOk(alice!, { bytes: PNG, type: 'image/png', name: 'dot.png' });
    const row = await server.context.db.attachment.findUniqueOrThrow({ where: { id: attachment.id } });
    await server.context.storage.delete(row.storageKey);
    expect((await download(server, alice!.token, attachment.url)).status).toBe(404);
  });
});

describe('LocalDiskStorage', () => {
  let storage: LocalDiskStorage;
  let root: string;
  beforeAll(() => {
    root = path.join(server.config.dataDir, 'storage-test');
    storage = new LocalDiskStorage(root);
  });

  const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

  it('puts, gets (whole and in part) and deletes', async () => {
    const bytes = randomBytes(5000);
    await storage.put('a/b/one', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { contentType: 'image/png', size: bytes.length });
    const whole = await storage.get('a/b/one');
    expect(whole).toMatchObject({ size: bytes.length, contentType: 'image/png' });
    expect((await read(whole!.body)).equals(bytes)).toBe(true);
    const part = await storage.get('a/b/one', { start: 10, end: 19 });
    expect(part!.size).toBe(bytes.length);
    expect((await read(part!.body)).equals(bytes.subarray(10, 20))).toBe(true);
    await storage.delete('a/b/one');
    expect(await storage.get('a/b/one')).toBeNull();
    await storage.delete('a/b/one');
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../escape', '/etc/passwd', 'a/../../b', 'a/./b', '.meta/x', '.tmp/x', '', 'a//b', 'a\\b']) {
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain', size: 1 }), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.get(key), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.delete(key), key).rejects.toThrow(/Invalid storage key/);
    }
  });

  it('keeps nothing from a body shorter or longer than declared', async () => {
    await expect(storage.put('short', Readable.from([Buffer.from('abc')]), { contentType: 'text/plain', size: 10 })).rejects.toThrow(/declared/);
    await expect(storage.put('long', Readable.from([Buffer.from('abcdef')]), { contentType: 'text/plain', size: 3 })).rejects.toThrow(/declared/);
    await expect(storage.put('buffer', Buffer.from('abc'), { contentType: 'text/plain', size: 4 })).rejects.toThrow(/declared/);
    expect(await storage.get('short')).toBeNull();
    expect(await storage.get('long')).toBeNull();
    const left = await readdir(root, { recursive: true, withFileTypes: true });
    expect(left.filter((entry) => entry.isFile()).map((entry) => entry.name)).toEqual([]);
  });

  it('keeps the old bytes whole when a replacing write fails', async () => {
    await storage.put('kept', Buffer.from('first version'), { contentType: 'text/plain', size: 13 });
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put('kept', failing, { contentType: 'text/plain', size: 100 })).rejects.toThrow('client went away');
    expect((await read((await storage.get('kept'))!.body)).toString()).toBe('first version');
  });
});

// Last in the file: route handlers reach the server through one process-wide app context, so a
// second server takes it over from the first, whose tests must be done by then.
describe('POST /api/uploads with a size limit', () => {
  let small: TestServer;
  let token: string;
  beforeAll(async () => {
    small = await startTestServer({ env: { UPLOAD_MAX_BYTES: '1024' } });
    [{ token }] = (await makeMembers(small, 1)) as [Member];
  });
  afterAll(async () => {
    await small?.close();
  });

  const text = (size: number) => Buffer.alloc(size, 'a');

  it('takes a file of exactly the limit', async () => {
    const response = await upload(small, token, form({ bytes: text(1024), type: 'text/plain', name: 'max.txt' }));
    expect(response.status).toBe(201);
    expect(response.body?.attachment?.size).toBe(1024);
  });

  it('answers 413 for one byte more, storing nothing', async () => {
    const before = await storedFiles(small);
    const response = await upload(small, token, form({ bytes: text(1025), type: 'text/plain', name: 'big.txt' }));
    expect(response.status).toBe(413);
    expect(response.body?.error?.code).toBe('payload_too_large');
    expect(await storedFiles(small)).toEqual(before);
  });

  it('answers 413 from the content-length alone, before reading the body, and closes the connection', async () => {
    // The client announces 10 MB and sends nothing: only an answer that reads no body can come back.
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const request = httpRequest(`${small.url}/api/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10_000_000) },
        timeout: 5000,
      });
      request.on('response', async (response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of response) chunks.push(chunk as Buffer);
        resolve({ status: response.statusCode!, connection: response.headers.connection, body: Buffer.concat(chunks).toString() });
        request.destroy();
      });
      request.on('timeout', () => reject(new Error('no answer without the body')));
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 413 for a body without a length that runs past the limit', async () => {
    const data = form({ bytes: text(200 * 1024), type: 'text/plain', name: 'chunked.txt' });
    const encoded = new Response(data);
    const contentType = encoded.headers.get('content-type')!;
    // A stream body goes out chunked, with no content-length to check up front.
    const stream = encoded.body!;
    const response = await upload(small, token, stream, { 'content-type': contentType });
    expect(response.status).toBe(413);
    expect(response.body?.error?.code).toBe('payload_too_large');
  });

  it('takes a small body without a length', async () => {
    const encoded = new Response(form({ bytes: text(100), type: 'text/plain', name: 'chunked.txt' }));
    const response = await upload(small, token, encoded.body!, { 'content-type': encoded.headers.get('content-type')! });
    expect(response.status).toBe(201);
  });
});
