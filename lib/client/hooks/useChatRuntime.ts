'use client';
// Starts the chat client (socket and live sync) while the chat is on screen, once per page.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { UserSummary } from '../../protocol';
import { createChatClient } from '../chat-client';
import { useConnectionStore } from '../stores/connection';

export function useChatRuntime(me: UserSummary): void {
  const qc = useQueryClient();
  const { id, username, name, avatarUrl } = me;
  useEffect(() => {
    const client = createChatClient(qc, { id, username, name, avatarUrl });
    useConnectionStore.getState().setClient(client);
    return () => {
      client.close();
      useConnectionStore.getState().setClient(null);
      useConnectionStore.getState().setStatus('connecting');
    };
  }, [qc, id, username, name, avatarUrl]);
}
