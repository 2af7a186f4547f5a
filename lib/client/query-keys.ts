// React Query keys in one place, so socket handlers and components update the same cache entries.
export const queryKeys = {
  conversations: ['conversations'] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (conversationId: string) => ['messages', conversationId] as const,
  allMessages: ['messages'] as const,
  search: (conversationId: string, q: string) => ['search', conversationId, q] as const,
  users: (q: string) => ['users', q] as const,
  notificationSettings: ['notification-settings'] as const,
};
