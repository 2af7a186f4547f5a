'use client';
// Messages that arrived while I was away reach this device when the conversation list loads:
// tell their senders (the ✓✓), for each conversation whose last message is someone else's.
import { useEffect } from 'react';
import { useChatClient, useConnectionStatus } from '../stores/connection';
import { useConversations } from './useConversations';

export function useDeliveryOnLoad(meId: string): void {
  const client = useChatClient();
  const status = useConnectionStatus();
  const { data } = useConversations();
  useEffect(() => {
    if (!client || status !== 'online' || !data) return;
    for (const conversation of data) {
      const last = conversation.lastMessage;
      if (last && last.senderId !== meId) client.markDelivered(conversation.id, last.id);
    }
  }, [client, status, data, meId]);
}
