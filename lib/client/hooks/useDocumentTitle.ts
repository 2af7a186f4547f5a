'use client';
// "(3) Parley": the tab shows how many unread messages wait, muted conversations left out.
import { useEffect } from 'react';
import { useConversations } from './useConversations';

export const APP_NAME = 'Parley';

export function isMuted(mutedUntil: string | null, now = Date.now()): boolean {
  return mutedUntil != null && new Date(mutedUntil).getTime() > now;
}

export function useDocumentTitle(): void {
  const { data } = useConversations();
  const unread = (data ?? []).reduce((sum, c) => sum + (isMuted(c.mutedUntil) ? 0 : c.unreadCount), 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${APP_NAME}` : APP_NAME;
  }, [unread]);
}
