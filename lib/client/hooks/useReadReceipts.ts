'use client';
// Ticks for my own messages in one conversation, from the participants' receipt cursors (which
// socket events keep current in the cached conversation).
import { useCallback } from 'react';
import type { MessageDto } from '../../protocol';
import { receiptOf, type Receipt } from '../receipts';
import { useConversation } from './useConversations';

export function useReadReceipts(conversationId: string, meId: string): (message: Pick<MessageDto, 'seq' | 'createdAt'>) => Receipt | null {
  const { conversation } = useConversation(conversationId);
  return useCallback((message) => (conversation ? receiptOf(message, conversation, meId) : null), [conversation, meId]);
}
