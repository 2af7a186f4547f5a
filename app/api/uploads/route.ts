// POST /api/uploads: one multipart file (field `file`, optional `durationSec`, and for a voice
// message `waveform`, its peaks as comma-separated numbers) becomes an attachment, to be sent in
// a message by its id. 413 when too large, 415 for a type not allowed. The file streams from the
// request into storage; it is never held whole in memory. With S3, browsers upload directly
// instead (./presign and ./[id]/complete); this path stays for API clients.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { discardFile, fileTooLarge, MAX_DURATION_SEC, recordAttachment, storeFile, type StoredFile } from '@/lib/chat/attachments';
import { AppError, isAppError, toErrorBody } from '@/lib/errors';
import { authedRoute, parseInput } from '@/lib/http/route';
import { directUploadsOf } from '@/lib/storage/types';
import type { UploadOptionsDto } from '@/lib/protocol';
import { currentUploadLimit } from '@/lib/admin/settings';
import { receiveUpload } from './multipart';

/** Room for the multipart framing and the small fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** The text fields beside the file. */
const fieldsSchema = z.object({
  durationSec: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().positive('must be more than 0').max(MAX_DURATION_SEC, `must be at most ${MAX_DURATION_SEC}`))
    .optional(),
  waveform: z
    .string()
    .regex(/^\d{1,3}(,\d{1,3})*$/, 'must be whole numbers separated by commas')
    .transform((list) => list.split(',').map(Number))
    .optional(),
});

/**
 * An error while the client may still be sending: the connection is closed after the answer, so
 * the rest of the body is neither read nor left stalled on a connection the client would reuse.
 */
function refuseMidBody(error: AppError): Response {
  return NextResponse.json({ error: toErrorBody(error) }, { status: error.status, headers: { connection: 'close' } });
}

function detailsOf(fields: Map<string, string[]>): { durationSec?: number; waveform?: number[] } {
  const duration = fields.get('durationSec') ?? [];
  if (duration.length > 1) throw new AppError('bad_request', 'durationSec: send at most one number of seconds.');
  const waveform = fields.get('waveform') ?? [];
  if (waveform.length > 1) throw new AppError('bad_request', 'waveform: send it once.');
  return parseInput(fieldsSchema, { durationSec: duration[0], waveform: waveform[0] });
}

/** GET /api/uploads: how this server takes files, for clients to check a file before sending it. */
export const GET = authedRoute({ budget: 'read' }, async ({ ctx }) => ({
  body: {
    maxBytes: await currentUploadLimit(ctx.db, ctx.config),
    voiceMaxSeconds: ctx.config.voiceMaxSeconds,
    direct: directUploadsOf(ctx.storage) !== null,
  } satisfies UploadOptionsDto,
}));

export const POST = authedRoute({ budget: 'upload' }, async ({ req, ctx, userId }) => {
  // The admin's setting, never above UPLOAD_MAX_BYTES.
  const maxBytes = await currentUploadLimit(ctx.db, ctx.config);
  const maxBodyBytes = maxBytes + MULTIPART_OVERHEAD;
  // Refuse before reading a byte when the client already says it is too much.
  if (Number(req.headers.get('content-length')) > maxBodyBytes) return refuseMidBody(fileTooLarge(maxBytes));

  let upload;
  try {
    upload = await receiveUpload<StoredFile>(req, {
      maxBodyBytes,
      onFile: ({ mimeType, body }) => storeFile(ctx.storage, { declaredType: mimeType, body, maxBytes }),
      discard: (stored) => discardFile(ctx.storage, stored),
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return refuseMidBody(error.code === 'payload_too_large' ? fileTooLarge(maxBytes) : error);
  }

  let details: { durationSec?: number; waveform?: number[] };
  try {
    details = detailsOf(upload.fields);
  } catch (error) {
    await discardFile(ctx.storage, upload.file);
    throw error;
  }
  const attachment = await recordAttachment(ctx.db, ctx.storage, upload.file, { uploaderId: userId, fileName: upload.fileName, ...details });
  return { status: 201, body: { attachment } };
});
