'use client';
// Whether a user is online right now (only known for people I share a conversation with).
import { usePresenceStore } from '../stores/presence';

export function usePresence(userId: string | null | undefined): boolean {
  return usePresenceStore((s) => (userId ? s.online.has(userId) : false));
}
