'use client';
// Marks messages read only when they are really seen: on screen (IntersectionObserver), in a
// visible tab that has focus. Returns a ref callback for each message from someone else.
import { useCallback, useEffect, useRef } from 'react';
import { compareIds } from '../message-order';
import { useChatClient, useConnectionStatus } from '../stores/connection';

/** Share of a message that must be on screen to count as seen (or this many pixels of a tall one). */
const SEEN_THRESHOLD = 0.5;
const SEEN_PIXELS = 120;

function pageIsSeen(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useMarkReadOnView(conversationId: string): (element: HTMLElement | null) => (() => void) | undefined {
  const client = useChatClient();
  const status = useConnectionStatus();
  const visible = useRef(new Set<string>());
  const observer = useRef<IntersectionObserver | null>(null);

  const markNewestVisible = useCallback(() => {
    if (!client || !pageIsSeen() || visible.current.size === 0) return;
    let newest: string | null = null;
    for (const id of visible.current) if (!newest || compareIds(id, newest) > 0) newest = id;
    if (newest) client.markRead(conversationId, newest);
  }, [client, conversationId]);

  const latest = useRef(markNewestVisible);
  useEffect(() => {
    latest.current = markNewestVisible;
    markNewestVisible();
  }, [markNewestVisible, status]);

  useEffect(() => {
    const onChange = () => latest.current();
    window.addEventListener('focus', onChange);
    document.addEventListener('visibilitychange', onChange);
    return () => {
      window.removeEventListener('focus', onChange);
      document.removeEventListener('visibilitychange', onChange);
      observer.current?.disconnect();
      observer.current = null;
    };
  }, []);

  return useCallback((element: HTMLElement | null) => {
    const id = element?.dataset.messageId;
    if (!element || !id) return undefined;
    observer.current ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const entryId = (entry.target as HTMLElement).dataset.messageId;
          if (!entryId) continue;
          const seen = entry.intersectionRatio >= SEEN_THRESHOLD || entry.intersectionRect.height >= SEEN_PIXELS;
          if (entry.isIntersecting && seen) visible.current.add(entryId);
          else visible.current.delete(entryId);
        }
        latest.current();
      },
      { threshold: [0, SEEN_THRESHOLD, 1] },
    );
    const io = observer.current;
    io.observe(element);
    return () => {
      io.unobserve(element);
      visible.current.delete(id);
    };
  }, []);
}
