// GET /api/users/:id/avatar: the user's square avatar (WebP), for signed-in users who may see
// them (lib/accounts/avatars.ts); everyone else 404, as for attachments.
import { Readable } from 'node:stream';
import { authedRoute, pathId } from '@/lib/http/route';
import { avatarKeyForViewer } from '@/lib/accounts/avatars';
import { directoryVisibility } from '@/lib/admin/settings';
import { AppError } from '@/lib/errors';

export const GET = authedRoute({ budget: 'download' }, async ({ ctx, userId, params }) => {
  const key = await avatarKeyForViewer(ctx.db, pathId(params, 'id'), userId, await directoryVisibility(ctx.db));
  const stored = await ctx.storage.get(key);
  if (!stored) throw new AppError('not_found', 'Avatar not found.');
  // The address changes with the picture (?v=), so a private copy may be kept for long.
  const headers = new Headers({ 'content-type': 'image/webp', 'cache-control': 'private, max-age=86400', etag: `"${key.slice(-44)}"` });
  return new Response(Readable.toWeb(stored.body) as ReadableStream<Uint8Array>, { status: 200, headers });
});
