// POST /api/uploads: one multipart file (field `file`, optional `durationSec`) becomes an
// attachment, to be sent in a message by its id. 413 when too large, 415 for a type not allowed.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { createAttachment, MAX_DURATION_SEC } from '@/lib/chat/attachments';
import { AppError, toErrorBody } from '@/lib/errors';
import { authedRoute, parseInput } from '@/lib/http/route';

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
});

const tooLarge = (maxBytes: number) => new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes.`);

/**
 * 413 while the client may still be sending: the connection is closed after the answer, so the
 * rest of the body is neither read nor left stalled on a connection the client would reuse.
 */
function refuseBody(maxBytes: number): Response {
  return NextResponse.json({ error: toErrorBody(tooLarge(maxBytes)) }, { status: 413, headers: { connection: 'close' } });
}

/**
 * The multipart body, read while counting: a body without a length, or longer than it claims,
 * is cut off at the limit instead of filling memory. null when it ran past the limit.
 */
async function readForm(req: NextRequest, maxBodyBytes: number): Promise<FormData | null> {
  let received = 0;
  let exceeded = false;
  const counted = req.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBodyBytes) {
          exceeded = true;
          controller.error(new Error('body too large'));
        } else {
          controller.enqueue(chunk);
        }
      },
    }),
  );
  try {
    // `duplex` is required for a streamed body, and missing from the DOM typings.
    const init = { method: 'POST', headers: req.headers, body: counted ?? null, duplex: 'half' } as RequestInit;
    return await new Request(req.url, init).formData();
  } catch {
    if (exceeded) return null;
    throw new AppError('bad_request', 'The body must be multipart/form-data with one file in the field "file".');
  }
}

export const POST = authedRoute({ budget: 'upload' }, async ({ req, ctx, userId }) => {
  const maxBytes = ctx.config.uploadMaxBytes;
  const maxBodyBytes = maxBytes + MULTIPART_OVERHEAD;
  // Refuse before reading a byte when the client already says it is too much.
  if (Number(req.headers.get('content-length')) > maxBodyBytes) return refuseBody(maxBytes);

  const form = await readForm(req, maxBodyBytes);
  if (!form) return refuseBody(maxBytes);
  const files = form.getAll('file');
  const file = files[0];
  if (files.length !== 1 || file === undefined || typeof file === 'string') {
    throw new AppError('bad_request', 'file: send exactly one file in the field "file".');
  }
  if (file.size > maxBytes) throw tooLarge(maxBytes);

  const duration = form.getAll('durationSec');
  if (duration.length > 1 || typeof (duration[0] ?? '') !== 'string') {
    throw new AppError('bad_request', 'durationSec: send at most one number of seconds.');
  }
  const { durationSec } = parseInput(fieldsSchema, { durationSec: duration[0] });

  const attachment = await createAttachment(ctx.db, ctx.storage, {
    uploaderId: userId,
    fileName: file.name,
    mimeType: file.type,
    body: Buffer.from(await file.arrayBuffer()),
    size: file.size,
    durationSec,
  });
  return { status: 201, body: { attachment } };
});
