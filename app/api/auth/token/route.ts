import { publicRoute, parseJson } from '@/lib/http/route';
import { tokenInput } from '@/lib/protocol';
import { authenticate } from '@/lib/chat/users';
import { issueToken } from '@/lib/auth/tokens';
import { clientAddress } from '@/lib/http/rate-limit';
import { spendSignInAttempt } from '@/lib/auth/sign-in-limits';

export const POST = publicRoute(async ({ req, ctx }) => {
  const input = await parseJson(req, tokenInput);
  const identifier = input.email ?? input.username ?? '';
  await spendSignInAttempt(ctx, clientAddress(req), identifier);
  const { user, tokenVersion } = await authenticate(ctx.db, identifier, input.password);
  const { token, expiresAt } = await issueToken(
    { sub: user.id, username: user.username, name: user.name, ver: tokenVersion },
    ctx.config.authSecret,
    ctx.config.tokenTtlSeconds,
  );
  return { body: { token, expiresAt, user } };
});
