'use client';
// Marks messages read only when they are really seen: on screen (IntersectionObserver), in a
// visible tab that has focus. Returns a ref callback for each message from someone else (its
// element carries data-message-id and data-seq).
import { useCallback, useEffect, useRef } from 'react';
import type { MessageRef } from '../receipt-sender';
import { useConnectionStatus } from '../stores/connection';
import { useSyncEngine } from '../sync-engine-provider';

/** Share of a message that must be on screen to count as seen (or this many pixels of a tall one). */
const SEEN_THRESHOLD = 0.5;
const SEEN_PIXELS = 120;

function pageIsSeen(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useMarkReadOnView(conversationId: string): (element: HTMLElement | null) => (() => void) | undefined {
  const engine = useSyncEngine();
  const status = useConnectionStatus();
  /** Messages on screen now, by id. */
  const visible = useRef(new Map<string, MessageRef>());
  const observer = useRef<IntersectionObserver | null>(null);

  const markNewestVisible = useCallback(() => {
    if (!pageIsSeen() || visible.current.size === 0) return;
    let newest: MessageRef | null = null;
    for (const message of visible.current.values()) if (!newest || message.seq > newest.seq) newest = message;
    if (newest) engine.markRead(conversationId, newest);
  }, [engine, conversationId]);

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
          const { messageId, seq } = (entry.target as HTMLElement).dataset;
          if (!messageId || !seq) continue;
          const seen = entry.intersectionRatio >= SEEN_THRESHOLD || entry.intersectionRect.height >= SEEN_PIXELS;
          if (entry.isIntersecting && seen) visible.current.set(messageId, { id: messageId, seq: Number(seq) });
          else visible.current.delete(messageId);
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
