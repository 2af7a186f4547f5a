// React Query keys in one place, so socket handlers and components update the same cache entries.
export const queryKeys = {
  conversations: ['conversations'] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (conversationId: string) => ['messages', conversationId] as const,
  allMessages: ['messages'] as const,
  search: (conversationId: string, q: string) => ['search', conversationId, q] as const,
  users: (q: string) => ['users', q] as const,
  notificationSettings: ['notification-settings'] as const,
  /** A thread's replies (pages like a history's); its top message is `threadRoot`. */
  thread: (rootId: string) => ['thread', rootId] as const,
  allThreads: ['thread'] as const,
  threadRoot: (rootId: string) => ['threadRoot', rootId] as const,
  /** Threads I follow with unread replies, in one conversation. */
  unreadThreads: (conversationId: string) => ['unreadThreads', conversationId] as const,
  globalSearch: (q: string) => ['globalSearch', q] as const,
};
