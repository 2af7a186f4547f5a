'use client';
// Messages that arrived while I was away reach this device when the conversation list loads:
// tell their senders (the ✓✓), for each conversation whose last message is someone else's.
import { useEffect } from 'react';
import { useConnectionStatus } from '../stores/connection';
import { useSyncEngine } from '../sync-engine-provider';
import { useConversations } from './useConversations';

export function useDeliveryOnLoad(): void {
  const engine = useSyncEngine();
  const status = useConnectionStatus();
  const { data } = useConversations();
  useEffect(() => {
    if (status !== 'online' || !data) return;
    for (const conversation of data) {
      const last = conversation.lastMessage;
      if (last && last.senderId !== engine.me.id) engine.markDelivered(conversation.id, last);
    }
  }, [engine, status, data]);
}
