'use client';
// Which conversation is open, from the address (/c/<id>). Switching uses the History API, which
// Next.js keeps in step with usePathname: no server round trip, the socket and caches stay put,
// and back/forward still work.
import { usePathname } from 'next/navigation';
import { useCallback } from 'react';

export function conversationPath(conversationId: string): string {
  return `/c/${encodeURIComponent(conversationId)}`;
}

function idFromPath(pathname: string | null): string | null {
  const match = pathname?.match(/^\/c\/([^/]+)/);
  return match ? decodeURIComponent(match[1]!) : null;
}

export function useChatNavigation() {
  const activeId = idFromPath(usePathname());
  const open = useCallback((conversationId: string) => {
    window.history.pushState(null, '', conversationPath(conversationId));
  }, []);
  const close = useCallback(() => {
    window.history.pushState(null, '', '/');
  }, []);
  return { activeId, open, close };
}
