// Moderation: a server admin removes anyone's message, in any conversation. Like a delete by its
// author, content, attachment and location go and the id stays; the message is marked
// "removed by an admin" (MessageDto.removedByAdmin). The stored file is the storage sweep's.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { recordAudit } from './audit';

export async function removeMessageAsAdmin(db: Db, adminId: string, messageId: string): Promise<{ messageId: string; conversationId: string; removed: boolean }> {
  return db.$transaction(async (tx) => {
    const message = await tx.message.findUnique({ where: { id: messageId }, select: { conversationId: true, senderId: true } });
    if (!message) throw new AppError('not_found', 'Message not found.');
    const { count } = await tx.message.updateMany({
      where: { id: messageId, deletedAt: null },
      data: { deletedAt: new Date(), content: '', latitude: null, longitude: null, locationName: null, mentionedUserIds: [], mentionsEveryone: null, removedByAdmin: true },
    });
    if (count > 0) {
      await recordAudit(tx, adminId, 'message.remove', { type: 'message', id: messageId }, { conversationId: message.conversationId, senderId: message.senderId });
    }
    return { messageId, conversationId: message.conversationId, removed: count > 0 };
  });
}
