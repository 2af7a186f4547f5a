// Where "Unread messages" goes when a conversation opens.
import type { MessageDto } from '../protocol';
import { compareIds } from './message-order';

/**
 * The first message from someone else after my read cursor, if the loaded history shows where
 * that cursor is (otherwise a divider would sit in the wrong place: better none).
 */
export function firstUnreadId(messages: MessageDto[], readCursor: string | null, meId: string, holdsAllHistory: boolean): string | null {
  const oldest = messages[0];
  if (!oldest) return null;
  const cursorIsLoaded = readCursor != null && compareIds(readCursor, oldest.id) >= 0;
  if (!cursorIsLoaded && !holdsAllHistory) return null;
  return messages.find((m) => m.senderId !== meId && !m.deletedAt && (!readCursor || compareIds(m.id, readCursor) > 0))?.id ?? null;
}
