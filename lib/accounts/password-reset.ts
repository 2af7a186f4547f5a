// Password reset by a one-time link: a random token whose hash is stored with an expiry; using it
// sets the password once, ends every session and token of the account, and spends the token (and
// any other the account had). An admin can make one for any account (the console shows the link
// to pass on); a user can ask for one by e-mail when SMTP_URL is set.
import type { Config } from '../config';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { hashPassword } from '../auth/password';
import { ACCOUNT_LIMITS } from '../protocol';
import { recordAudit } from '../admin/audit';
import { hashSecretToken, newSecretToken } from './secret-tokens';
import { sendMail } from './mail';

export type ResetLink = { url: string; expiresAt: string };

/** The page a link opens; the token rides in the fragment-free query of our own origin. */
export function resetUrl(config: Pick<Config, 'publicUrl' | 'port'>, token: string): string {
  const origin = config.publicUrl ? new URL(config.publicUrl).origin : `http://localhost:${config.port}`;
  return `${origin}/reset-password?token=${encodeURIComponent(token)}`;
}

async function issue(db: Db, userId: string, ttlMs: number, createdById: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.passwordResetToken.create({ data: { userId, tokenHash: hashSecretToken(token), expiresAt, createdById } });
  return { token, expiresAt };
}

/** An admin makes a link for an account (active or not: a reactivated user may need it). */
export async function createResetLinkAsAdmin(db: Db, config: Pick<Config, 'publicUrl' | 'port'>, adminId: string, userId: string): Promise<ResetLink> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, deletedAt: true } });
  if (!user || user.deletedAt) throw new AppError('not_found', 'User not found.');
  const { token, expiresAt } = await issue(db, userId, ACCOUNT_LIMITS.resetLinkTtlMs, adminId);
  await recordAudit(db, adminId, 'user.reset_link', { type: 'user', id: userId }, { expiresAt: expiresAt.toISOString() });
  return { url: resetUrl(config, token), expiresAt: expiresAt.toISOString() };
}

/**
 * Someone asks for a link by e-mail. The answer is the same whether the address is known or
 * not (no account discovery); a link goes out only to an active account, only with SMTP.
 */
export async function requestResetByEmail(db: Db, config: Pick<Config, 'publicUrl' | 'port' | 'smtp'>, email: string, serverName: string): Promise<void> {
  if (!config.smtp) throw new AppError('unavailable', 'This server cannot send e-mail; ask an admin for a reset link.');
  const user = await db.user.findUnique({ where: { email }, select: { id: true, isActive: true, deletedAt: true, email: true } });
  if (!user || !user.isActive || user.deletedAt) return;
  const { token } = await issue(db, user.id, ACCOUNT_LIMITS.emailResetLinkTtlMs, null);
  await sendMail(config, {
    to: user.email,
    subject: `Reset your ${serverName} password`,
    text: `Someone asked to reset the password of your ${serverName} account.\n\nTo choose a new password, open this link within an hour:\n${resetUrl(config, token)}\n\nIf it was not you, ignore this e-mail: your password stays as it is.`,
  });
}

/**
 * Uses a link: the token must exist, be unused and unexpired, and its account active. Spent in
 * the same statement that checks it, so two uses at once cannot both succeed. Returns the user id.
 */
export async function resetPassword(db: Db, token: string, newPassword: string, now = new Date()): Promise<string> {
  const tokenHash = hashSecretToken(token);
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash }, select: { id: true, userId: true } });
    const spent = row
      ? await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })
      : { count: 0 };
    if (!row || spent.count === 0) throw new AppError('bad_request', 'This reset link is not valid any more. Ask for a new one.');
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { isActive: true, deletedAt: true } });
    if (!user?.isActive || user.deletedAt) throw new AppError('bad_request', 'This reset link is not valid any more. Ask for a new one.');
    await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, tokenVersion: { increment: 1 }, signedOutSessionIds: { set: [] } },
    });
    // Every other link of the account goes too.
    await tx.passwordResetToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    return row.userId;
  });
}
