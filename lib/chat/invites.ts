// Invite links: a group's admins make a link (/join/<code>) with an optional expiry and use limit,
// list and revoke them. Whoever opens a valid link while signed in joins the group. A link that
// expired, was used up or revoked says so; an unknown code is "not found". The code is 24 random
// bytes (unguessable); the use count is taken under the group's row lock with the join itself.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { LIMITS, type InviteDto, type InvitePreviewDto, type InviteState, type MessageDto } from '../protocol';
import { admitMember, lockConversation, noteDto } from './conversations';
import { userSummarySelect } from './dto';
import { requireParticipant } from './membership';

type InviteRow = {
  id: string;
  code: string;
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
  createdAt: Date;
};

export function inviteStateOf(invite: Pick<InviteRow, 'expiresAt' | 'maxUses' | 'uses' | 'revokedAt'>, now = new Date()): InviteState {
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt && invite.expiresAt <= now) return 'expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used_up';
  return 'valid';
}

const STATE_MESSAGES: Record<Exclude<InviteState, 'valid'>, string> = {
  expired: 'This invite link has expired.',
  used_up: 'This invite link has been used as many times as it allows.',
  revoked: 'This invite link was revoked.',
};

const inviteSelect = {
  id: true,
  code: true,
  expiresAt: true,
  maxUses: true,
  uses: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: userSummarySelect },
} as const;

function toInviteDto(row: InviteRow & { createdBy: InviteDto['createdBy'] }): InviteDto {
  return {
    id: row.id,
    code: row.code,
    path: `/join/${row.code}`,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    maxUses: row.maxUses,
    uses: row.uses,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    state: inviteStateOf(row),
  };
}

/** Admins of a group only; members hear "forbidden", everyone else "not found". */
async function requireGroupAdmin(db: Db, conversationId: string, userId: string): Promise<void> {
  const participant = await requireParticipant(db, conversationId, userId);
  if (participant.conversation.type !== 'group') throw new AppError('bad_request', 'Invite links are for groups.');
  if (participant.role !== 'admin') throw new AppError('forbidden', 'Only admins can manage invite links.');
}

export async function createInvite(
  db: Db,
  userId: string,
  conversationId: string,
  options: { expiresInSec?: number; maxUses?: number },
  now = new Date(),
): Promise<InviteDto> {
  await requireGroupAdmin(db, conversationId, userId);
  const live = await db.inviteLink.count({
    where: { conversationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
  if (live >= LIMITS.invitesPerConversation) throw new AppError('conflict', `A group has at most ${LIMITS.invitesPerConversation} live invite links; revoke one first.`);
  const row = await db.inviteLink.create({
    data: {
      conversationId,
      createdById: userId,
      code: randomBytes(24).toString('base64url'),
      expiresAt: options.expiresInSec ? new Date(now.getTime() + options.expiresInSec * 1000) : null,
      maxUses: options.maxUses ?? null,
    },
    select: inviteSelect,
  });
  return toInviteDto(row);
}

/** The group's links, newest first (revoked and expired ones too, marked so). */
export async function listInvites(db: Db, userId: string, conversationId: string): Promise<InviteDto[]> {
  await requireGroupAdmin(db, conversationId, userId);
  const rows = await db.inviteLink.findMany({ where: { conversationId }, select: inviteSelect, orderBy: { createdAt: 'desc' }, take: 200 });
  return rows.map((row) => toInviteDto(row));
}

export async function revokeInvite(db: Db, userId: string, conversationId: string, inviteId: string): Promise<InviteDto> {
  await requireGroupAdmin(db, conversationId, userId);
  await db.inviteLink.updateMany({ where: { id: inviteId, conversationId, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.inviteLink.findFirst({ where: { id: inviteId, conversationId }, select: inviteSelect });
  if (!row) throw new AppError('not_found', 'Invite link not found.');
  return toInviteDto(row);
}

/** What a link leads to: the group is shown only while the link is valid (or to its members). */
export async function previewInvite(db: Db, userId: string, code: string): Promise<InvitePreviewDto> {
  const invite = await db.inviteLink.findUnique({
    where: { code },
    select: {
      expiresAt: true,
      maxUses: true,
      uses: true,
      revokedAt: true,
      conversation: { select: { id: true, name: true, description: true, _count: { select: { participants: true } } } },
    },
  });
  if (!invite) throw new AppError('not_found', 'This invite link does not exist.');
  const member = (await db.participant.count({ where: { conversationId: invite.conversation.id, userId } })) > 0;
  const state = inviteStateOf(invite);
  const { conversation } = invite;
  return {
    state,
    member,
    conversation:
      state === 'valid' || member
        ? { id: conversation.id, name: conversation.name, description: conversation.description, memberCount: conversation._count.participants }
        : null,
  };
}

export type InviteJoin = { conversationId: string; note: MessageDto | null };

/**
 * Joins the group a valid link leads to, spending one use; a member already is simply sent there
 * (no use spent). An expired, used-up or revoked link is `gone`, with a message saying which.
 */
export async function joinByInvite(db: Db, userId: string, code: string): Promise<InviteJoin> {
  const result = await db.$transaction(async (tx) => {
    const found = await tx.inviteLink.findUnique({ where: { code }, select: { id: true, conversationId: true } });
    if (!found) throw new AppError('not_found', 'This invite link does not exist.');
    await lockConversation(tx, found.conversationId);
    // Read again under the lock: the use count cannot move meanwhile.
    const invite = await tx.inviteLink.findUniqueOrThrow({ where: { id: found.id } });
    const already = await tx.participant.count({ where: { conversationId: invite.conversationId, userId } });
    if (already) return { conversationId: invite.conversationId, noteId: null };
    const state = inviteStateOf(invite);
    if (state !== 'valid') throw new AppError('gone', STATE_MESSAGES[state]);
    await tx.inviteLink.update({ where: { id: invite.id }, data: { uses: { increment: 1 } } });
    const { noteId } = await admitMember(tx, invite.conversationId, userId, { event: 'member_joined', actorId: userId, via: 'link' });
    return { conversationId: invite.conversationId, noteId };
  });
  return { conversationId: result.conversationId, note: result.noteId ? await noteDto(db, result.noteId) : null };
}
