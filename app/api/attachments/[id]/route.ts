// GET /api/attachments/:id: the bytes of an attachment, for its uploader and the members of the
// conversation it was sent in (everyone else: 404). Streams from storage; serves byte ranges so
// audio and video can seek (Safari plays media only with them). `?variant=thumbnail` serves a
// large image's thumbnail (WebP), or the image itself when it has none.
import { Readable } from 'node:stream';
import { getAttachmentForViewer, isInlineType } from '@/lib/chat/attachments';
import { AppError } from '@/lib/errors';
import { authedRoute, pathId } from '@/lib/http/route';
import type { FileStorage } from '@/lib/storage';
import type { Attachment } from '@/lib/db/generated/client';
import { contentDisposition, parseRange } from './headers';

/** The attachment as its thumbnail: another key, type and size (its name keeps the original's, as WebP). */
async function thumbnailOf(storage: FileStorage, attachment: Attachment): Promise<Attachment> {
  const stored = await storage.get(attachment.thumbnailKey!, { start: 0, end: 0 });
  if (!stored) throw new AppError('not_found', 'Attachment not found.');
  stored.body.destroy();
  return { ...attachment, storageKey: attachment.thumbnailKey!, mimeType: 'image/webp', size: stored.size, fileName: `${attachment.fileName.replace(/\.[^.]*$/, '')}.webp` };
}

export const GET = authedRoute({ budget: 'download' }, async ({ req, ctx, userId, params }) => {
  const found = await getAttachmentForViewer(ctx.db, pathId(params, 'id'), userId);
  const thumbnail = req.nextUrl.searchParams.get('variant') === 'thumbnail' && found.thumbnailKey !== null;
  const attachment = thumbnail ? await thumbnailOf(ctx.storage, found) : found;
  // The bytes under an id (and variant) never change, so it is a strong validator.
  const etag = thumbnail ? `"${found.id}-thumbnail"` : `"${found.id}"`;
  const headers = new Headers({
    'content-type': attachment.mimeType,
    'content-disposition': contentDisposition(isInlineType(attachment.mimeType) ? 'inline' : 'attachment', attachment.fileName),
    // nosniff, and a Content-Security-Policy with `sandbox` (opened on its own, the file is no
    // page of ours: no scripts, a unique origin), come from the server for every API answer
    // (lib/http/security-headers.ts); Next would not let a route's own replace them.
    // Private: only the signed-in browser may keep a copy, never a shared cache.
    'cache-control': 'private, max-age=31536000, immutable',
    etag,
    'accept-ranges': 'bytes',
  });
  const ifNoneMatch = req.headers.get('if-none-match')?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (ifNoneMatch?.some((tag) => tag === etag || tag === '*')) {
    return new Response(null, { status: 304, headers });
  }

  const ifRange = req.headers.get('if-range');
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.get('range'), attachment.size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${attachment.size}`);
    headers.delete('content-type');
    return new Response(null, { status: 416, headers });
  }

  const stored = await ctx.storage.get(attachment.storageKey, range ?? undefined);
  if (!stored) {
    ctx.logger.error({ attachmentId: attachment.id, storageKey: attachment.storageKey }, 'attachment bytes are missing from storage');
    throw new AppError('not_found', 'Attachment not found.');
  }
  // No content-length: Next drops it from route handler responses (they go out chunked). The
  // size is in the attachment's DTO, and in content-range for a range.
  const body = Readable.toWeb(stored.body) as ReadableStream<Uint8Array>;
  if (!range) return new Response(body, { status: 200, headers });
  headers.set('content-range', `bytes ${range.start}-${range.end}/${stored.size}`);
  return new Response(body, { status: 206, headers });
});
