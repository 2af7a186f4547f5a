// The audit log: one entry per admin action, written in the same transaction as the action.
import type { Db } from '../db/open';
import type { Prisma } from '../db/generated/client';
import type { AuditEntryDto } from '../protocol';

/** A transaction client or the db itself. */
type Writer = Pick<Db, 'auditEntry'>;

export type AuditAction =
  | 'settings.update'
  | 'user.deactivate'
  | 'user.reactivate'
  | 'user.make_admin'
  | 'user.revoke_admin'
  | 'user.reset_link'
  | 'message.remove'
  | 'invite.create'
  | 'invite.revoke';

export async function recordAudit(
  db: Writer,
  actorId: string,
  action: AuditAction,
  target: { type: 'user' | 'message' | 'invite' | 'settings'; id?: string } | null,
  details: Prisma.InputJsonObject = {},
): Promise<void> {
  await db.auditEntry.create({ data: { actorId, action, targetType: target?.type ?? null, targetId: target?.id ?? null, details } });
}

const PAGE = 50;

/** Newest first, a page at a time; `before` is the id of the last entry already shown. */
export async function listAudit(db: Db, before?: string): Promise<{ entries: AuditEntryDto[]; nextCursor: string | null }> {
  const rows = await db.auditEntry.findMany({
    where: before ? { id: { lt: before } } : {},
    orderBy: { id: 'desc' },
    take: PAGE + 1,
  });
  const page = rows.slice(0, PAGE);
  const actorIds = [...new Set(page.map((r) => r.actorId))];
  const actors = await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, username: true, name: true } });
  const byId = new Map(actors.map((a) => [a.id, a]));
  const entries = page.map((r) => ({
    id: r.id,
    actor: { id: r.actorId, username: byId.get(r.actorId)?.username ?? '', name: byId.get(r.actorId)?.name ?? 'Unknown' },
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
  }));
  return { entries, nextCursor: rows.length > PAGE ? (page.at(-1)?.id ?? null) : null };
}
