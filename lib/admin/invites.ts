// Server invite links: while registration is invite-only, an account can be created only with a
// valid invite (not revoked, not expired, uses left). Only the code's hash is stored: the link is
// shown once, when it is made.
import type { Config } from '../config';
import type { Db } from '../db/open';
import type { ServerInvite } from '../db/generated/client';
import { AppError } from '../errors';
import type { ServerInviteDto } from '../protocol';
import { hashSecretToken, newSecretToken } from '../accounts/secret-tokens';
import { recordAudit } from './audit';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export function toServerInviteDto(row: ServerInvite): ServerInviteDto {
  return {
    id: row.id,
    maxUses: row.maxUses,
    uses: row.uses,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function inviteUrl(config: Pick<Config, 'publicUrl' | 'port'>, code: string): string {
  const origin = config.publicUrl ? new URL(config.publicUrl).origin : `http://localhost:${config.port}`;
  return `${origin}/register?invite=${encodeURIComponent(code)}`;
}

export async function createServerInvite(
  db: Db,
  config: Pick<Config, 'publicUrl' | 'port'>,
  adminId: string,
  options: { maxUses: number | null; expiresInHours: number | null },
): Promise<{ invite: ServerInviteDto; url: string }> {
  const code = newSecretToken();
  const expiresAt = options.expiresInHours === null ? null : new Date(Date.now() + options.expiresInHours * 3600_000);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.serverInvite.create({ data: { codeHash: hashSecretToken(code), maxUses: options.maxUses, expiresAt, createdById: adminId } });
    await recordAudit(tx, adminId, 'invite.create', { type: 'invite', id: created.id }, { maxUses: options.maxUses, expiresAt: expiresAt?.toISOString() ?? null });
    return created;
  });
  return { invite: toServerInviteDto(row), url: inviteUrl(config, code) };
}

export async function listServerInvites(db: Db): Promise<ServerInviteDto[]> {
  const rows = await db.serverInvite.findMany({ orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map(toServerInviteDto);
}

export async function revokeServerInvite(db: Db, adminId: string, inviteId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.serverInvite.updateMany({ where: { id: inviteId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) {
      if (!(await tx.serverInvite.findUnique({ where: { id: inviteId }, select: { id: true } }))) throw new AppError('not_found', 'Invite not found.');
      return;
    }
    await recordAudit(tx, adminId, 'invite.revoke', { type: 'invite', id: inviteId });
  });
}

/**
 * Spends one use of an invite inside the sign-up's transaction: the conditions are in the UPDATE,
 * so the last use cannot be taken twice.
 */
export async function spendServerInvite(tx: Tx, code: string | undefined, now = new Date()): Promise<void> {
  const refused = new AppError('forbidden', 'Registration on this server needs a valid invite link.');
  if (!code) throw refused;
  const count = await tx.$executeRaw`
    UPDATE "ServerInvite" SET uses = uses + 1
    WHERE "codeHash" = ${hashSecretToken(code)} AND "revokedAt" IS NULL
      AND ("expiresAt" IS NULL OR "expiresAt" > ${now}) AND ("maxUses" IS NULL OR uses < "maxUses")`;
  if (count === 0) throw refused;
}
