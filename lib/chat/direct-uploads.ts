// Uploads straight from the browser to S3 (presigned PUT), so the bytes never pass through the
// app server. The same rules as a streamed upload (lib/chat/attachments.ts): the type on the
// allow-list, the size within the limit, the first bytes matching the type, duration and waveform
// only where they belong. Presign checks what the client announces and signs the PUT for exactly
// that type and length; complete checks what actually arrived (HEAD for size and type, a ranged
// GET of the first bytes for the signature) and deletes whatever fails.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { AttachmentDto, PresignedUploadDto, PresignUploadInput } from '../protocol';
import { directUploadsOf, type FileStorage } from '../storage/types';
import {
  acceptedType,
  checkMediaDetails,
  contentsNotOfType,
  discardFile,
  fileTooLarge,
  matchesSignature,
  newStorageKey,
  recordAttachment,
  SNIFF_BYTES,
  toAttachmentDto,
} from './attachments';

const noDirectUploads = () =>
  new AppError('not_found', 'Direct uploads need S3 storage; this server takes uploads at POST /api/uploads (multipart).');

/** Checks the announced file and hands out a presigned PUT for exactly it. */
export async function presignUpload(
  db: Db,
  storage: FileStorage,
  userId: string,
  input: PresignUploadInput,
  limits: { maxBytes: number },
): Promise<PresignedUploadDto> {
  const direct = directUploadsOf(storage);
  if (!direct) throw noDirectUploads();
  const mimeType = acceptedType(input.mimeType);
  if (input.size > limits.maxBytes) throw fileTooLarge(limits.maxBytes);
  checkMediaDetails(mimeType, input);
  const storageKey = newStorageKey();
  const signed = await direct.presignPut(storageKey, { contentType: mimeType, size: input.size });
  const pending = await db.pendingUpload.create({
    data: {
      uploaderId: userId,
      storageKey,
      fileName: input.fileName,
      mimeType,
      size: input.size,
      durationSec: input.durationSec ?? null,
      waveform: input.waveform ?? [],
    },
  });
  return { uploadId: pending.id, url: signed.url, method: 'PUT', headers: signed.headers, expiresAt: signed.expiresAt.toISOString() };
}

async function firstBytes(storage: FileStorage, key: string, size: number): Promise<Buffer> {
  const object = await storage.get(key, { start: 0, end: Math.min(SNIFF_BYTES, size) - 1 });
  if (!object) return Buffer.alloc(0);
  // A server that ignores the range sends it all: only the head is read, the rest dropped.
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of object.body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= SNIFF_BYTES) break;
  }
  object.body.destroy();
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
}

/**
 * Verifies the uploaded object and makes it an attachment (same id as the upload). An object
 * that is not what was signed for is deleted with its upload: the client starts again. One that
 * has not arrived yet leaves the upload as it is, to PUT and complete again.
 */
export async function completeUpload(db: Db, storage: FileStorage, userId: string, uploadId: string): Promise<AttachmentDto> {
  const direct = directUploadsOf(storage);
  if (!direct) throw noDirectUploads();
  const pending = await db.pendingUpload.findFirst({ where: { id: uploadId, uploaderId: userId } });
  if (!pending) {
    // Completed already (a retried request): the same answer again.
    const done = await db.attachment.findFirst({ where: { id: uploadId, uploaderId: userId } });
    if (done) return toAttachmentDto(done);
    throw new AppError('not_found', 'Upload not found: it expired or was refused. Upload the file again.');
  }
  const head = await direct.head(pending.storageKey);
  if (!head) throw new AppError('conflict', 'The file has not arrived: PUT it to the upload URL first, then complete.');

  const refuse = async (error: AppError): Promise<never> => {
    await discardFile(storage, pending);
    await db.pendingUpload.deleteMany({ where: { id: pending.id } });
    throw error;
  };
  if (head.size !== pending.size) {
    await refuse(new AppError('bad_request', `The uploaded file is ${head.size} bytes; ${pending.size} were announced. Upload it again.`));
  }
  let storedType: string | null = null;
  try {
    storedType = acceptedType(head.contentType);
  } catch {
    // not an allowed type at all: refused below like any other mismatch
  }
  if (storedType !== pending.mimeType) {
    await refuse(new AppError('unsupported_media_type', `The uploaded file was stored as ${head.contentType.slice(0, 100)}; ${pending.mimeType} was announced.`));
  }
  if (!matchesSignature(pending.mimeType, await firstBytes(storage, pending.storageKey, pending.size))) {
    await refuse(contentsNotOfType(pending.mimeType));
  }

  // One completion wins; a concurrent one finds the upload gone and answers from the attachment.
  const { count } = await db.pendingUpload.deleteMany({ where: { id: pending.id } });
  if (count === 0) return completeUpload(db, storage, userId, uploadId);
  return recordAttachment(
    db,
    storage,
    { storageKey: pending.storageKey, mimeType: pending.mimeType, size: pending.size },
    { id: pending.id, uploaderId: userId, fileName: pending.fileName, durationSec: pending.durationSec, waveform: pending.waveform.length ? pending.waveform : null },
  );
}
