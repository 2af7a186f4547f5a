'use client';
// Carries out jump requests for one conversation: loads the history back to the message,
// then scrolls it to the middle, focuses it and marks it (its highlight fades by itself).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '@/lib/client/api';
import { HISTORY_PAGE_SIZE } from '@/lib/client/hooks/useMessages';
import { appendOlderPage, findMessage, type MessagePages } from '@/lib/client/message-cache';
import { queryKeys } from '@/lib/client/query-keys';
import { useJumpStore } from '@/lib/client/stores/jump';

/** The message jumped to last, and the number of that jump (a new number replays its highlight). */
export type JumpTarget = { id: string; seq: number };

/**
 * Returns the message jumped to last, to highlight; `onJumped` hears when the view moved. The
 * highlight is a one-shot animation drawn per jump (MessageRow keys it by the jump's number), so
 * the mark can stay until the next jump: no timer to race the loading and drawing of older
 * pages, and a jump to the message already marked plays it again.
 */
export function useJumpToMessage(conversationId: string, fetchOlder: () => Promise<unknown>, rendered: unknown, onJumped: () => void): JumpTarget | null {
  const qc = useQueryClient();
  const request = useJumpStore((s) => s.request);
  const finish = useJumpStore((s) => s.finish);
  const [target, setTarget] = useState<JumpTarget | null>(null);
  const scrolledFor = useRef(0);

  // A jump asked for before the history's first page arrived (from a search result in another
  // conversation) waits for it.
  const historyHeld = qc.getQueryData<MessagePages>(queryKeys.messages(conversationId)) !== undefined;

  useEffect(() => {
    if (!request || request.conversationId !== conversationId || !historyHeld) return;
    let cancelled = false;
    void (async () => {
      for (;;) {
        const data = qc.getQueryData<MessagePages>(queryKeys.messages(conversationId));
        if (cancelled || !data || findMessage(data, request.messageId)) break;
        const oldest = data.pages[data.pages.length - 1];
        if (!oldest?.hasMore) break; // not in this conversation's history
        if (!oldest.nextCursor) {
          await fetchOlder();
          continue;
        }
        // One page reaching back to the message (and a little before it), however far: the
        // history stays one unbroken range, and a far jump costs one request, not dozens. A
        // message not older than what is held (a thread-only reply) is refused: no jump.
        try {
          const page = await api.listMessages(conversationId, { before: oldest.nextCursor, until: request.messageId, limit: HISTORY_PAGE_SIZE });
          qc.setQueryData<MessagePages>(queryKeys.messages(conversationId), (held) => appendOlderPage(held, oldest.nextCursor!, page));
        } catch {
          break; // not a message of this conversation (or the request failed): no jump
        }
      }
      if (cancelled) return;
      setTarget({ id: request.messageId, seq: request.seq });
      finish(request.seq);
    })();
    return () => {
      cancelled = true;
    };
  }, [request, conversationId, qc, fetchOlder, finish, historyHeld]);

  // Scroll once the message is on the page (older pages may render a moment after they load).
  useLayoutEffect(() => {
    if (!target || scrolledFor.current === target.seq) return;
    const element = document.getElementById(`message-${target.id}`);
    if (!element) return;
    scrolledFor.current = target.seq;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
    onJumped();
  }, [target, rendered, onJumped]);

  return target;
}
