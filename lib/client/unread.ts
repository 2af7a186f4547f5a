// Where "Unread messages" goes when a conversation opens.
import type { MessageDto } from '../protocol';

/**
 * The first message from someone else after my read cursor (a seq), if the loaded history shows
 * where that cursor is (otherwise a divider would sit in the wrong place: better none).
 */
export function firstUnreadId(messages: MessageDto[], readSeq: number | null, meId: string, holdsAllHistory: boolean): string | null {
  const oldest = messages[0];
  if (!oldest) return null;
  const cursorIsLoaded = readSeq != null && readSeq >= oldest.seq;
  if (!cursorIsLoaded && !holdsAllHistory) return null;
  return messages.find((m) => m.senderId !== meId && !m.system && !m.deletedAt && (readSeq == null || m.seq > readSeq))?.id ?? null;
}
