import { publicRoute, parseJson } from '@/lib/http/route';
import { registerInput } from '@/lib/protocol';
import { registerUser } from '@/lib/chat/users';
import { consumeAuthAttempt } from '@/lib/http/rate-limit';

export const POST = publicRoute(async ({ req, ctx }) => {
  await consumeAuthAttempt(ctx, req, 'register');
  const input = await parseJson(req, registerInput);
  const user = await registerUser(ctx.db, input);
  return { status: 201, body: { user } };
});
