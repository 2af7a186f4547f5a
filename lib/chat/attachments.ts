// Attachments: which files may be uploaded, storing them, and who may fetch them again.
//
// File types: the type the client declares must be on the allow-list below, and the file's first
// bytes must agree with it (a magic-number check per type; text must hold no NUL bytes). We do not
// guess a type from the bytes alone: a declared type we cannot confirm is refused (415). Bytes are
// later served under the stored type with `nosniff`, and only media inline, so whatever slips past
// a signature check is never run by a browser as a page or script.
import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { Db } from '../db/open';
import type { Attachment } from '../db/generated/client';
import { AppError } from '../errors';
import { UPLOADS, waveformSchema, type AttachmentDto } from '../protocol';
import type { FileStorage } from '../storage';
import { describeZodError } from '../validation';
import { toAttachmentDto } from './dto';
import { describeImage } from './image-facts';

export { toAttachmentDto };

/** The longest voice or video message, in seconds. */
export const MAX_DURATION_SEC = UPLOADS.maxDurationSec;

// ---------------------------------------------------------------------------------------------
// Allowed types and their signatures

type Signature = (head: Buffer) => boolean;

const bytesAt =
  (offset: number, ...bytes: number[]): Signature =>
  (head) =>
    bytes.every((byte, i) => head[offset + i] === byte);
const textAt =
  (offset: number, text: string): Signature =>
  (head) =>
    head.toString('latin1', offset, offset + text.length) === text;
const anyOf =
  (...checks: Signature[]): Signature =>
  (head) =>
    checks.some((check) => check(head));
const allOf =
  (...checks: Signature[]): Signature =>
  (head) =>
    checks.every((check) => check(head));

const ZIP = bytesAt(0, 0x50, 0x4b, 0x03, 0x04); // OOXML and OpenDocument are zip packages
const OLE = bytesAt(0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1); // legacy .doc/.xls/.ppt
const EBML = bytesAt(0, 0x1a, 0x45, 0xdf, 0xa3); // WebM
const ISO_MEDIA = textAt(4, 'ftyp'); // MP4 / M4A
const RIFF = (form: string) => allOf(textAt(0, 'RIFF'), textAt(8, form));
const MP3_FRAME: Signature = (head) => head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0;
/** Text in UTF-8 or another ASCII-compatible encoding has no NUL bytes; UTF-16 starts with a BOM. */
const TEXT = anyOf(bytesAt(0, 0xff, 0xfe), bytesAt(0, 0xfe, 0xff), (head) => !head.includes(0));

const ALLOWED_TYPES: Record<string, Signature> = {
  'image/jpeg': bytesAt(0, 0xff, 0xd8, 0xff),
  'image/png': bytesAt(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  'image/gif': anyOf(textAt(0, 'GIF87a'), textAt(0, 'GIF89a')),
  'image/webp': RIFF('WEBP'),
  // The header may follow some junk within the first KiB (PDF 1.7, annex H).
  'application/pdf': (head) => head.includes('%PDF-'),
  'text/plain': TEXT,
  'text/csv': TEXT,
  'application/msword': OLE,
  'application/vnd.ms-excel': OLE,
  'application/vnd.ms-powerpoint': OLE,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ZIP,
  'application/vnd.oasis.opendocument.text': ZIP,
  'application/vnd.oasis.opendocument.spreadsheet': ZIP,
  'application/vnd.oasis.opendocument.presentation': ZIP,
  'audio/mpeg': anyOf(textAt(0, 'ID3'), MP3_FRAME),
  'audio/ogg': textAt(0, 'OggS'),
  'audio/wav': RIFF('WAVE'),
  'audio/webm': EBML,
  'audio/mp4': ISO_MEDIA,
  'video/mp4': ISO_MEDIA,
  'video/webm': EBML,
};

/** Non-standard names browsers and recorders still send. */
const TYPE_ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
  'audio/mp3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
};

/** How many leading bytes the signatures look at. */
export const SNIFF_BYTES = 1024;

/** What people call the allowed types, for the message that lists them. */
const ALLOWED_SUMMARY =
  'images (JPEG, PNG, GIF, WebP), PDF, text and CSV, Word, Excel, PowerPoint and OpenDocument files, audio (MP3, Ogg, WAV, WebM, M4A) and video (MP4, WebM)';

/** 415 for a type not on the list, saying what is. */
export function typeNotAllowed(declared: string): AppError {
  const shown = declared.split(';')[0]!.trim().slice(0, 100) || 'unknown';
  return new AppError('unsupported_media_type', `Files of type ${shown} are not allowed. You can send ${ALLOWED_SUMMARY}.`);
}

/** 415 for bytes that are not what the type says. */
export const contentsNotOfType = (mimeType: string) =>
  new AppError('unsupported_media_type', `The file's contents are not ${mimeType}: save it again in that format, or send it as what it is.`);

/** Whether the first bytes agree with the (allowed) type. */
export function matchesSignature(mimeType: string, head: Buffer): boolean {
  return head.length > 0 && Boolean(ALLOWED_TYPES[mimeType]?.(head));
}

/** The allowed type a declared one stands for, or 415 listing what is allowed. */
export function acceptedType(declared: string): string {
  const mimeType = allowedMimeType(declared);
  if (!mimeType) throw typeNotAllowed(declared);
  return mimeType;
}

/** The allowed type a declared one stands for ("Audio/WebM; codecs=opus" → "audio/webm"), or null. */
export function allowedMimeType(declared: string): string | null {
  const bare = declared.split(';')[0]!.trim().toLowerCase();
  const type = TYPE_ALIASES[bare] ?? bare;
  return Object.hasOwn(ALLOWED_TYPES, type) ? type : null;
}

/** Images, audio and video are shown in the page; everything else is downloaded. */
export function isInlineType(mimeType: string): boolean {
  return /^(image|audio|video)\//.test(mimeType);
}

const isTimedType = (mimeType: string) => /^(audio|video)\//.test(mimeType);

/** Duration and waveform belong to sound (and duration to video): one check for both upload paths. */
export function checkMediaDetails(mimeType: string, details: { durationSec?: number | null; waveform?: number[] | null }): void {
  if (details.durationSec != null && !isTimedType(mimeType)) {
    throw new AppError('bad_request', 'durationSec: only audio and video have a duration.');
  }
  if (details.waveform != null) {
    if (!mimeType.startsWith('audio/')) throw new AppError('bad_request', 'waveform: only audio has a waveform.');
    const checked = waveformSchema.safeParse(details.waveform);
    if (!checked.success) throw new AppError('bad_request', `waveform: ${describeZodError(checked.error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// File names

const FILE_NAME_MAX = 255; // Attachment.fileName is VARCHAR(255), counted in characters
const EXTENSION_MAX = 16;

/**
 * A name fit to show and to offer as a download name: the last path segment only, without
 * control characters, lone surrogates or bidirectional overrides (which can disguise an
 * extension), without characters Windows refuses, at most 255 characters with the extension kept.
 */
export function sanitizeFileName(raw: string): string {
  let name = (raw.normalize('NFC').split(/[/\\]/).pop() ?? '')
    .replace(/[\p{Cc}\p{Cs}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const chars = Array.from(name);
  if (chars.length > FILE_NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
    const keep = extension.length <= EXTENSION_MAX ? extension : [];
    name = chars.slice(0, FILE_NAME_MAX - keep.length).join('').trimEnd() + keep.join('');
  }
  return name || 'file';
}

// ---------------------------------------------------------------------------------------------
// Storing

/** A file arriving in a request, read as it streams. */
export type IncomingFile = {
  /** As declared by the client; checked against the allow-list and the bytes. */
  declaredType: string;
  body: Readable;
  /** The most bytes taken; past it the store is abandoned (413). */
  maxBytes: number;
};

/** Bytes in storage, not yet recorded as an attachment. */
export type StoredFile = { storageKey: string; mimeType: string; size: number };

/** Keys are ours alone, never derived from the file name; grouped by month for listing. */
export function newStorageKey(now = new Date()): string {
  const month = now.toISOString().slice(0, 7).replace('-', '/');
  return `attachments/${month}/${randomUUID()}`;
}

/** "25 MB", "300 KB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

export const fileTooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `The file is too large: files may be at most ${formatBytes(maxBytes)}. Send a smaller or compressed copy, or share a link instead.`);

/** The stream, failing with 413 once more than `maxBytes` have passed. */
function limitedTo(stream: Readable, maxBytes: number): Readable {
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? fileTooLarge(maxBytes) : null, chunk);
    },
  });
  // A source that fails or is cut off fails the limited stream too (pipe alone would leave its
  // reader waiting for an end that never comes).
  stream.once('error', (error) => limit.destroy(error));
  stream.once('close', () => {
    if (!stream.readableEnded) limit.destroy(new AppError('bad_request', 'file: the upload was cut off before its end.'));
  });
  return stream.pipe(limit);
}

/** The first bytes of a stream, and a stream that still yields all of it. */
async function peek(stream: Readable, count: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const taken: Buffer[] = [];
  let length = 0;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
    length += next.value.length;
  }
  async function* all() {
    try {
      yield* taken;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // A reader that stops early (a failed store) stops the source too.
      await iterator.return?.();
    }
  }
  return { head: Buffer.concat(taken).subarray(0, count), body: Readable.from(all(), { objectMode: false }) };
}

/**
 * Checks the declared type, then the first bytes, and streams the file into storage as it
 * arrives: memory holds a chunk at a time, whatever the file's size. A file refused on the way
 * (wrong bytes, too large, the client gone) leaves nothing in storage.
 */
export async function storeFile(storage: FileStorage, file: IncomingFile): Promise<StoredFile> {
  const mimeType = acceptedType(file.declaredType);
  const { head, body } = await peek(limitedTo(file.body, file.maxBytes), SNIFF_BYTES);
  if (head.length === 0) {
    body.destroy();
    throw new AppError('bad_request', 'file: the file is empty.');
  }
  if (!matchesSignature(mimeType, head)) {
    body.destroy();
    throw contentsNotOfType(mimeType);
  }
  const storageKey = newStorageKey();
  const size = await storage.put(storageKey, body, { contentType: mimeType });
  return { storageKey, mimeType, size };
}

export type AttachmentDetails = {
  uploaderId: string;
  fileName: string;
  durationSec?: number | null;
  waveform?: number[] | null;
  /** The id to record it under (a completed direct upload keeps its upload id). */
  id?: string;
};

/**
 * Records stored bytes as an attachment, with an image's size and, when large, its thumbnail.
 * The bytes went first so a row never points at nothing; if the row is refused or cannot be
 * written, the bytes (and the thumbnail) are removed again.
 */
export async function recordAttachment(db: Db, storage: FileStorage, stored: StoredFile, details: AttachmentDetails): Promise<AttachmentDto> {
  let thumbnailKey: string | null = null;
  try {
    checkMediaDetails(stored.mimeType, details);
    const image = stored.mimeType.startsWith('image/') ? await describeImage(storage, stored) : null;
    thumbnailKey = image?.thumbnailKey ?? null;
    const row = await db.attachment.create({
      data: {
        ...(details.id ? { id: details.id } : {}),
        uploaderId: details.uploaderId,
        storageKey: stored.storageKey,
        fileName: sanitizeFileName(details.fileName),
        mimeType: stored.mimeType,
        size: stored.size,
        durationSec: details.durationSec ?? null,
        waveform: details.waveform ?? [],
        width: image?.width ?? null,
        height: image?.height ?? null,
        thumbnailKey,
      },
    });
    return toAttachmentDto(row);
  } catch (error) {
    await discardFile(storage, { storageKey: stored.storageKey, thumbnailKey });
    throw error;
  }
}

/** Removes stored bytes (and a thumbnail) that will not be, or no longer are, an attachment. */
export async function discardFile(storage: FileStorage, stored: { storageKey: string; thumbnailKey?: string | null }): Promise<void> {
  await Promise.all([stored.storageKey, stored.thumbnailKey].filter((key): key is string => Boolean(key)).map((key) => storage.delete(key).catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// Fetching

/**
 * The attachment, if the user may see it: its uploader; a current participant of the
 * conversation whose (undeleted) message carries it; or a removed member who keeps that
 * conversation read-only in their list, for a message from before their removal (what their
 * read-only history shows). Anyone else is told it does not exist, so ids cannot be probed.
 */
export async function getAttachmentForViewer(db: Db, attachmentId: string, userId: string): Promise<Attachment> {
  const row = await db.attachment.findFirst({
    where: {
      id: attachmentId,
      OR: [
        { uploaderId: userId },
        { message: { is: { deletedAt: null, conversation: { participants: { some: { userId } } } } } },
      ],
    },
  });
  if (row) return row;
  const held = await db.attachment.findFirst({
    where: { id: attachmentId, message: { is: { deletedAt: null } } },
    include: { message: { select: { conversationId: true, seq: true } } },
  });
  const former = held?.message
    ? await db.formerMember.findFirst({
        where: { conversationId: held.message.conversationId, userId, listed: true, leftSeq: { gte: held.message.seq } },
        select: { userId: true },
      })
    : null;
  if (!held || !former) throw new AppError('not_found', 'Attachment not found.');
  const { message: _message, ...attachment } = held;
  return attachment;
}
