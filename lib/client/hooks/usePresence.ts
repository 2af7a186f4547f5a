'use client';
// Whether a user is online right now (only known for people I share a conversation with), and
// when they were last seen.
import { useEffect, useState } from 'react';
import { formatLastSeen } from '../format';
import { usePresenceStore } from '../stores/presence';

export function usePresence(userId: string | null | undefined): boolean {
  return usePresenceStore((s) => (userId ? s.online.has(userId) : false));
}

/** How often a "last seen" line is worded again ("2 minutes ago" becomes "3 minutes ago"). */
const RELATIVE_TICK_MS = 30_000;

/**
 * "online", "last seen 5 minutes ago", or null when nothing is known: the newest of a live
 * `userOffline` and the stored time the list carried.
 */
export function usePresenceLine(userId: string | null | undefined, storedLastSeen: string | null | undefined): string | null {
  const online = usePresence(userId);
  const live = usePresenceStore((s) => (userId ? s.lastSeen.get(userId) : undefined));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (online) return;
    const timer = setInterval(() => setNow(Date.now()), RELATIVE_TICK_MS);
    return () => clearInterval(timer);
  }, [online]);
  if (online) return 'online';
  const seen = [live, storedLastSeen].filter((t): t is string => Boolean(t)).sort().at(-1);
  return seen ? `last seen ${formatLastSeen(seen, now)}` : null;
}
