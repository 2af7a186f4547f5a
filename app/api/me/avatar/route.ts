// POST /api/me/avatar: the image itself as the body (Content-Type image/png, jpeg, webp or gif,
// at most 5 MiB), cropped to a square and stored; DELETE removes it.
import { authedRoute } from '@/lib/http/route';
import { readBodyBytes } from '@/lib/http/body-limit';
import { ACCOUNT_LIMITS } from '@/lib/protocol';
import { removeAvatar, setAvatar } from '@/lib/accounts/avatars';
import { AppError } from '@/lib/errors';

export const POST = authedRoute({ budget: 'profile' }, async ({ req, ctx, userId }) => {
  const maxBytes = ACCOUNT_LIMITS.avatarUploadBytes;
  if (Number(req.headers.get('content-length')) > maxBytes) throw new AppError('payload_too_large', `An avatar is at most ${maxBytes} bytes.`);
  const bytes = await readBodyBytes(req.body, maxBytes);
  const user = await setAvatar(ctx.db, ctx.storage, userId, bytes, req.headers.get('content-type') ?? '');
  return { body: { user } };
});

export const DELETE = authedRoute({ budget: 'profile' }, async ({ ctx, userId }) => ({ body: { user: await removeAvatar(ctx.db, ctx.storage, userId) } }));
