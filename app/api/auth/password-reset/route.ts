// POST /api/auth/password-reset {email}: e-mails a one-time reset link when SMTP_URL is set (503
// without it: an admin makes the link). 202 whether or not the address has an account.
import { publicRoute, parseJson } from '@/lib/http/route';
import { passwordResetRequestInput } from '@/lib/protocol';
import { requestResetByEmail } from '@/lib/accounts/password-reset';
import { publicServerInfo } from '@/lib/admin/settings';
import { clientAddress } from '@/lib/http/rate-limit';
import { spendPasswordAttempt } from '@/lib/auth/sign-in-limits';

export const POST = publicRoute(async ({ req, ctx }) => {
  const { email } = await parseJson(req, passwordResetRequestInput);
  // Budgeted like a sign-in attempt on that address: no mail bombing one inbox, nor many.
  await spendPasswordAttempt(ctx, clientAddress(req), { identifier: email });
  await requestResetByEmail(ctx.db, ctx.config, email, (await publicServerInfo(ctx.db)).name);
  return { status: 202, body: { ok: true } };
});
