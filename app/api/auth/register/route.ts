import { publicRoute, parseJson } from '@/lib/http/route';
import { registerInput } from '@/lib/protocol';
import { registerAccount } from '@/lib/accounts/registration';
import { clientAddress } from '@/lib/http/rate-limit';
import { spendSignUpAttempt } from '@/lib/auth/sign-in-limits';

// Open, invite-only (a valid server invite in `invite`) or closed, as the server's settings say.
export const POST = publicRoute(async ({ req, ctx }) => {
  await spendSignUpAttempt(ctx, clientAddress(req));
  const input = await parseJson(req, registerInput);
  const user = await registerAccount(ctx.db, input);
  return { status: 201, body: { user } };
});
