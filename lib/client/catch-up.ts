// After every connect (the first included: what REST loaded before the socket joined its rooms
// may have missed messages): one request, POST /api/sync, for everything newer than what the
// client holds. It names each held history with the newest seq held, and gets back the
// conversation list and, per history, the messages after that seq. A history with more than one
// answer's worth (`hasMore`) is asked again from where its answer ended: one request per round,
// naming only those.
import type { SyncDto, SyncInput } from '../protocol';
import type { ChatCache } from './chat-cache';
import type { MessageRef } from './receipt-sender';

export type SyncRequest = (input: SyncInput) => Promise<SyncDto>;

/**
 * `ends`: where each held history ended when the connection came up (taken before its live events
 * landed); `loading`: histories whose first load was on its way then, with where each answer ends.
 * Returns, per conversation, the newest caught-up message from someone else (to mark delivered).
 */
export async function catchUp(
  cache: ChatCache,
  sync: SyncRequest,
  ends: Map<string, number>,
  loading: Map<string, Promise<number | null>> = new Map(),
): Promise<Map<string, MessageRef>> {
  let ask = new Map(ends);
  for (const [conversationId, answerEnd] of loading) {
    const end = await answerEnd;
    if (end !== null && !ask.has(conversationId)) ask.set(conversationId, end);
  }

  const newestFromOthers = new Map<string, MessageRef>();
  let first = true;
  while (first || ask.size > 0) {
    const answer = await sync({ conversations: Object.fromEntries(ask) });
    // Read-only views of groups I was removed from stay listed (`left`).
    const listed = [...answer.conversations, ...(answer.left ?? [])];
    if (first) cache.conversationList(listed);
    first = false;
    const member = new Set(listed.map((c) => c.id));
    const again = new Map<string, number>();
    for (const conversationId of ask.keys()) {
      const got = answer.messages[conversationId];
      if (!got) {
        // Left or removed while away.
        if (!member.has(conversationId)) cache.uncacheConversation(conversationId);
        continue;
      }
      cache.caughtUp(conversationId, got.messages);
      for (const m of got.messages) if (m.senderId !== cache.meId) newestFromOthers.set(conversationId, { id: m.id, seq: m.seq });
      const last = got.messages[got.messages.length - 1];
      if (got.hasMore && last) again.set(conversationId, last.seq);
    }
    ask = again;
  }
  return newestFromOthers;
}
