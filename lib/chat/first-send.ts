// Sends are idempotent per sender and client id: a retry answers with the message sent the first
// time. The send service asks here when the writer reports a client id already used.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { MessageDto } from '../protocol';
import { toMessageDto } from './dto';
import { messageRowByClientId } from './message-rows';

/**
 * The message this sender already sent with this client id, or null if there is none; a conflict
 * if that message went to another conversation.
 */
export async function firstSendOf(db: Db, senderId: string, clientId: string, conversationId: string): Promise<MessageDto | null> {
  const first = await messageRowByClientId(db, senderId, clientId);
  if (!first) return null;
  if (first.conversationId !== conversationId) throw new AppError('conflict', 'clientId was already used for another conversation.');
  return toMessageDto(first);
}
