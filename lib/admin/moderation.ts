// Moderation: a server admin removes anyone's message, in any conversation. Like a delete by its
// author, content, attachment, location and mentions go and the id stays; the message is marked
// "removed by an admin" (MessageDto.removedByAdmin). Its stored file is deleted with it, as for
// every delete (lib/chat/upload-lifecycle.ts).
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { DeletedMessage } from '../chat/messages';
import { threadSummary } from '../chat/threads';
import type { FileStorage } from '../storage';
import { removeMessageAttachment } from '../chat/upload-lifecycle';
import { recordAudit } from './audit';

/** `removed`: false when it was already deleted (nothing to tell anyone). */
export async function removeMessageAsAdmin(db: Db, storage: FileStorage, adminId: string, messageId: string): Promise<DeletedMessage & { removed: boolean }> {
  const result = await db.$transaction(async (tx) => {
    const message = await tx.message.findUnique({ where: { id: messageId }, select: { conversationId: true, senderId: true, threadRootId: true } });
    if (!message) throw new AppError('not_found', 'Message not found.');
    const { count } = await tx.message.updateMany({
      where: { id: messageId, deletedAt: null },
      data: { deletedAt: new Date(), content: '', latitude: null, longitude: null, locationName: null, mentionedUserIds: [], mentionsEveryone: null, removedByAdmin: true },
    });
    if (count > 0) {
      await recordAudit(tx, adminId, 'message.remove', { type: 'message', id: messageId }, { conversationId: message.conversationId, senderId: message.senderId });
    }
    return { message, removed: count > 0 };
  });
  await removeMessageAttachment(db, storage, messageId);
  const { conversationId, threadRootId } = result.message;
  if (!threadRootId) return { messageId, conversationId, removed: result.removed };
  return { messageId, conversationId, removed: result.removed, thread: { rootId: threadRootId, summary: await threadSummary(db, threadRootId) } };
}
