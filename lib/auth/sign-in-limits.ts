// One budget for every way of trying a password (next-auth's credentials callback, POST
// /api/auth/token, the current password of a password change), kept two ways at once:
//   - per account, whichever identifier was typed (its email and its username are one account;
//     an identifier that names no account is its own key), so guessing one account's password
//     is slow from any number of addresses;
//   - per client address, all accounts together, so spraying guesses across accounts is slow too.
// Sign-ups spend the address budget and one of their own per address. Limiters come from the
// realtime backend: in Redis with REDIS_URL, so every node spends the same budgets.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { AppContext } from '../context';
import { consumeAll } from '../http/rate-limit';
import { findUserIdByIdentifier, normaliseIdentifier } from '../chat/users';

export type SignInLimits = {
  /** Password attempts per account. */
  account: RateLimiterAbstract;
  /** Sign-in and sign-up attempts per client address, all accounts together. */
  address: RateLimiterAbstract;
  /** Sign-ups per client address. */
  signUp: RateLimiterAbstract;
};

type LimiterFactory = (name: string, points: number, durationSec: number) => RateLimiterAbstract;

export function createSignInLimits(
  limiter: LimiterFactory,
  config: Pick<Config, 'authRateLimitPerMinute' | 'authRateLimitPerAddressPerMinute'>,
): SignInLimits {
  return {
    account: limiter('sign-in:account', config.authRateLimitPerMinute, 60),
    address: limiter('sign-in:address', config.authRateLimitPerAddressPerMinute, 60),
    signUp: limiter('sign-up:address', config.authRateLimitPerMinute, 60),
  };
}

/** The message of a spent sign-in budget; the login page shows it as it is. */
export const tooManyAttempts = (seconds: number) => `Too many attempts, try again in ${seconds} s.`;

/** Spends one password attempt for whatever account `identifier` names, from `address`. */
export async function spendSignInAttempt(ctx: Pick<AppContext, 'db' | 'signInLimits'>, address: string, identifier: string): Promise<void> {
  const userId = await findUserIdByIdentifier(ctx.db, identifier);
  await spendPasswordAttempt(ctx, address, userId ? { userId } : { identifier });
}

/** Spends one password attempt for a known account (a signed-in user confirming their password). */
export async function spendPasswordAttempt(
  ctx: Pick<AppContext, 'signInLimits'>,
  address: string,
  account: { userId: string } | { identifier: string },
): Promise<void> {
  const key = 'userId' in account ? `user:${account.userId}` : `name:${normaliseIdentifier(account.identifier)}`;
  const { signInLimits: limits } = ctx;
  await consumeAll([[limits.account, key], [limits.address, address]], tooManyAttempts);
}

/** Spends one sign-up attempt from `address`. */
export async function spendSignUpAttempt(ctx: Pick<AppContext, 'signInLimits'>, address: string): Promise<void> {
  const { signInLimits: limits } = ctx;
  await consumeAll([[limits.signUp, address], [limits.address, address]], tooManyAttempts);
}
