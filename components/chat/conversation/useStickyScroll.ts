'use client';
// The scrolling of a message list: it opens at the first unread message (or the newest), stays
// pinned to the bottom as messages arrive unless the reader scrolled up, keeps the view still
// when older messages are added above, and asks for older pages near the top.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type UIEvent } from 'react';

/** Within this many pixels of the bottom counts as "at the bottom". */
const PINNED_SLACK_PX = 80;
/** Start loading older messages this far before reaching the top. */
const LOAD_OLDER_PX = 600;

type Snapshot = { oldestKey: string | null; newestKey: string | null; scrollHeight: number; scrollTop: number };

export type StickyScrollInput = {
  /** Keys of the oldest and newest rendered message: their changes tell prepends from appends. */
  oldestKey: string | null;
  newestKey: string | null;
  /** Seq of the newest message from the server, for counting what arrived while scrolled up. */
  newestSeq: number | null;
  /** The newest is one I just sent: always bring it into view. */
  newestIsMine: boolean;
  /** Changes whenever the rendered rows do. */
  rows: unknown;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
};

function distanceFromBottom(el: HTMLElement): number {
  return el.scrollHeight - el.scrollTop - el.clientHeight;
}

export function useStickyScroll({ oldestKey, newestKey, newestSeq, newestIsMine, rows, hasOlder, loadingOlder, loadOlder }: StickyScrollInput) {
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const pinned = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  /** The seq of the newest message the reader has seen at the bottom. */
  const [seenUpTo, setSeenUpTo] = useState<number | null>(null);

  const remember = (el: HTMLElement) => {
    if (snapshot.current) snapshot.current = { ...snapshot.current, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const previous = snapshot.current;
    if (newestKey && !previous?.newestKey) {
      // Opening: at the first unread message if there is one, else at the newest.
      const divider = el.querySelector<HTMLElement>('[data-unread-divider]');
      el.scrollTop = divider ? el.scrollTop + divider.getBoundingClientRect().top - el.getBoundingClientRect().top - 8 : el.scrollHeight;
      pinned.current = distanceFromBottom(el) < PINNED_SLACK_PX;
    } else if (previous) {
      // Older messages above: move by exactly what was added, so the view stays still.
      if (previous.oldestKey && oldestKey !== previous.oldestKey) el.scrollTop = previous.scrollTop + (el.scrollHeight - previous.scrollHeight);
      if (newestKey !== previous.newestKey && (pinned.current || newestIsMine)) el.scrollTop = el.scrollHeight;
    }
    snapshot.current = { oldestKey, newestKey, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
  }, [oldestKey, newestKey, newestIsMine, rows]);

  // Stay at the bottom when something already shown grows (an image loads, a message is edited).
  useEffect(() => {
    const el = scroller.current;
    const content = el?.firstElementChild;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
      remember(el);
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  const loadOlderIfNear = useCallback(
    (el: HTMLElement) => {
      if (el.scrollTop < LOAD_OLDER_PX && hasOlder && !loadingOlder) loadOlder();
    },
    [hasOlder, loadingOlder, loadOlder],
  );

  // A first page too short to scroll gives no scroll events: keep loading until it fills the view.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlderIfNear(el);
  }, [rows, loadOlderIfNear]);

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const el = event.currentTarget;
    const bottom = distanceFromBottom(el) < PINNED_SLACK_PX;
    pinned.current = bottom;
    setAtBottom(bottom);
    if (bottom && newestSeq != null) setSeenUpTo(newestSeq);
    remember(el);
    loadOlderIfNear(el);
  }

  function scrollToBottom() {
    const el = scroller.current;
    if (!el) return;
    pinned.current = true;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }

  /** Someone else moved the view (a jump): stop following new messages. */
  const unpin = useCallback(() => {
    pinned.current = false;
  }, []);

  return { scroller, onScroll, atBottom, seenUpTo, scrollToBottom, unpin };
}
