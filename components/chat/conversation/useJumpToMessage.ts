'use client';
// Carries out jump requests for one conversation: loads older pages until the message is held,
// then scrolls it to the middle, focuses it and marks it (its highlight fades by itself).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { findMessage, type MessagePages } from '@/lib/client/message-cache';
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

  useEffect(() => {
    if (!request || request.conversationId !== conversationId) return;
    let cancelled = false;
    void (async () => {
      for (;;) {
        const data = qc.getQueryData<MessagePages>(queryKeys.messages(conversationId));
        if (cancelled || !data || findMessage(data, request.messageId)) break;
        if (!data.pages[data.pages.length - 1]?.hasMore) break; // not in this conversation's history
        await fetchOlder();
      }
      if (cancelled) return;
      setTarget({ id: request.messageId, seq: request.seq });
      finish(request.seq);
    })();
    return () => {
      cancelled = true;
    };
  }, [request, conversationId, qc, fetchOlder, finish]);

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
