import { publicRoute, parseJson } from '@/lib/http/route';
import { registerInput } from '@/lib/protocol';
import { registerUser } from '@/lib/chat/users';
import { clientAddress } from '@/lib/http/rate-limit';
import { spendSignUpAttempt } from '@/lib/auth/sign-in-limits';

export const POST = publicRoute(async ({ req, ctx }) => {
  await spendSignUpAttempt(ctx, clientAddress(req));
  const input = await parseJson(req, registerInput);
  const user = await registerUser(ctx.db, input);
  return { status: 201, body: { user } };
});
