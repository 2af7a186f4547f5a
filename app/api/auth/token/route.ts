import { publicRoute, parseJson } from '@/lib/http/route';
import { tokenInput } from '@/lib/protocol';
import { authenticate } from '@/lib/chat/users';
import { issueToken } from '@/lib/auth/tokens';
import { consumeAuthAttempt } from '@/lib/http/rate-limit';

export const POST = publicRoute(async ({ req, ctx }) => {
  const input = await parseJson(req, tokenInput);
  const identifier = (input.email ?? input.username ?? '').trim().toLowerCase();
  await consumeAuthAttempt(ctx, req, `token:${identifier}`);
  const user = await authenticate(ctx.db, identifier, input.password);
  const { token, expiresAt } = await issueToken(
    { sub: user.id, username: user.username, name: user.name },
    ctx.config.authSecret,
    ctx.config.tokenTtlSeconds,
  );
  return { body: { token, expiresAt, user } };
});
