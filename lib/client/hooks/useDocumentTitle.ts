'use client';
// "(3) Parley": the tab shows how many unread messages wait, muted conversations left out.
import { useEffect } from 'react';
import { useConversations } from './useConversations';

export const APP_NAME = 'Parley';

export function isMuted(mutedUntil: string | null, now = Date.now()): boolean {
  return mutedUntil != null && new Date(mutedUntil).getTime() > now;
}

/** Unread messages of conversations that are not muted. */
export function useUnreadTotal(): number {
  const { data } = useConversations();
  return (data ?? []).reduce((sum, c) => sum + (isMuted(c.mutedUntil) ? 0 : c.unreadCount), 0);
}

export function useDocumentTitle(): void {
  const unread = useUnreadTotal();
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${APP_NAME}` : APP_NAME;
  }, [unread]);
}
