// POST /api/auth/password-reset/confirm {token, newPassword}: uses a one-time link. Every session
// and token of the account ends, and its sockets are disconnected; the user then signs in.
import { publicRoute, parseJson } from '@/lib/http/route';
import { passwordResetInput } from '@/lib/protocol';
import { resetPassword } from '@/lib/accounts/password-reset';
import { clientAddress } from '@/lib/http/rate-limit';
import { spendSignUpAttempt } from '@/lib/auth/sign-in-limits';

export const POST = publicRoute(async ({ req, ctx }) => {
  const { token, newPassword } = await parseJson(req, passwordResetInput);
  // Guessing tokens is hopeless (256 bits), but each try still spends the address's budget.
  await spendSignUpAttempt(ctx, clientAddress(req));
  const userId = await resetPassword(ctx.db, token, newPassword);
  await ctx.notifier.signedOut(userId);
  return { body: { ok: true } };
});
