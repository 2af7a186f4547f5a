// Typed calls to the REST API from the browser. The session cookie authenticates; errors come
// back as `{ error: { code, message } }` and are thrown as ApiError so callers can show them.
import type {
  AttachmentDto,
  ChannelPage,
  ConversationDto,
  ConversationType,
  FollowedThreadDto,
  InviteDto,
  InvitePreviewDto,
  GlobalSearchDto,
  MessageDto,
  MessagePage,
  NotificationSettingsDto,
  PushSubscriptionInput,
  SyncDto,
  SyncInput,
  ThreadPage,
  UnreadDto,
  UserSummary,
} from '../protocol';
import type { NotificationLevel } from '../chat/notification-policy';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function requestAt<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    credentials: 'same-origin',
    headers: json === undefined ? rest.headers : { 'content-type': 'application/json', ...rest.headers },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok) {
    throw new ApiError(response.status, body?.error?.code ?? 'internal', body?.error?.message ?? `Request failed (${response.status}).`);
  }
  return body as T;
}

const enc = encodeURIComponent;

/** The API at `baseUrl` (the page's own origin when left out, as in the app). */
export function createApi(baseUrl = '') {
  const request = <T>(path: string, init?: RequestInit & { json?: unknown }) => requestAt<T>(baseUrl + path, init);
  return {
    searchUsers: (q: string) => request<{ users: UserSummary[] }>(`/api/users?q=${enc(q)}`).then((r) => r.users),

    /** Mine, and the read-only views of groups I was removed from. */
    listConversations: () => request<{ conversations: ConversationDto[] }>('/api/conversations?include=left').then((r) => r.conversations),

    /** A removed member deletes a conversation from their list. */
    forgetConversation: (id: string) => request<void>(`/api/conversations/${enc(id)}`, { method: 'DELETE' }),

    browseChannels: (q: string, cursor?: string) =>
      request<ChannelPage>(`/api/channels?q=${enc(q)}${cursor ? `&cursor=${enc(cursor)}` : ''}`),

    joinChannel: (id: string) => request<{ conversation: ConversationDto }>(`/api/conversations/${enc(id)}/join`, { method: 'POST' }).then((r) => r.conversation),

    listInvites: (id: string) => request<{ invites: InviteDto[] }>(`/api/conversations/${enc(id)}/invites`).then((r) => r.invites),

    createInvite: (id: string, options: { expiresInSec?: number; maxUses?: number }) =>
      request<{ invite: InviteDto }>(`/api/conversations/${enc(id)}/invites`, { method: 'POST', json: options }).then((r) => r.invite),

    revokeInvite: (id: string, inviteId: string) =>
      request<{ invite: InviteDto }>(`/api/conversations/${enc(id)}/invites/${enc(inviteId)}`, { method: 'DELETE' }).then((r) => r.invite),

    previewInvite: (code: string) => request<{ invite: InvitePreviewDto }>(`/api/invites/${enc(code)}`).then((r) => r.invite),

    joinByInvite: (code: string) =>
      request<{ conversation: ConversationDto; joined: boolean }>(`/api/invites/${enc(code)}/join`, { method: 'POST' }),

    getConversation: (id: string) => request<{ conversation: ConversationDto }>(`/api/conversations/${enc(id)}`).then((r) => r.conversation),

    createConversation: (input: { type: ConversationType; name?: string; description?: string; privacy?: 'public' | 'private'; participantIds: string[] }) =>
      request<{ conversation: ConversationDto }>('/api/conversations', { method: 'POST', json: input }).then((r) => r.conversation),

    renameConversation: (id: string, changes: { name?: string; description?: string | null; privacy?: 'public' | 'private' }) =>
      request<{ conversation: ConversationDto }>(`/api/conversations/${enc(id)}`, { method: 'PATCH', json: changes }).then((r) => r.conversation),

    updateSettings: (id: string, settings: { mutedUntil?: string | null; archived?: boolean; notificationLevel?: NotificationLevel | null }) =>
      request<{ conversation: ConversationDto }>(`/api/conversations/${enc(id)}/settings`, { method: 'PATCH', json: settings }).then(
        (r) => r.conversation,
      ),

    addParticipant: (id: string, userId: string) =>
      request<{ conversation: ConversationDto }>(`/api/conversations/${enc(id)}/participants`, { method: 'POST', json: { userId } }).then(
        (r) => r.conversation,
      ),

    removeParticipant: (id: string, userId: string) =>
      request<void>(`/api/conversations/${enc(id)}/participants/${enc(userId)}`, { method: 'DELETE' }),

    /** One keyset page: `before` walks back through history, `after` catches up on newer ones. */
    listMessages: (id: string, cursor: { before?: string; after?: string; until?: string; limit?: number } = {}) => {
      const params = new URLSearchParams();
      if (cursor.before) params.set('before', cursor.before);
      if (cursor.until) params.set('until', cursor.until);
      if (cursor.after) params.set('after', cursor.after);
      if (cursor.limit) params.set('limit', String(cursor.limit));
      const query = params.size ? `?${params}` : '';
      return request<MessagePage>(`/api/conversations/${enc(id)}/messages${query}`);
    },

    searchMessages: (id: string, q: string) =>
      request<{ messages: MessageDto[] }>(`/api/conversations/${enc(id)}/search?q=${enc(q)}`).then((r) => r.messages),

    unread: () => request<UnreadDto>('/api/unread'),

    /** A thread's top message and a page of replies (`before`: older ones). */
    thread: (rootId: string, before?: string) => request<ThreadPage>(`/api/messages/${enc(rootId)}/thread${before ? `?before=${enc(before)}` : ''}`),

    unreadThreads: (conversationId: string) =>
      request<{ threads: FollowedThreadDto[] }>(`/api/threads?conversationId=${enc(conversationId)}`).then((r) => r.threads),

    /** Messages everywhere I am a member (keyset pages by `cursor`), people and channels. */
    searchEverywhere: (q: string, cursor?: string) => request<GlobalSearchDto>(`/api/search?q=${enc(q)}${cursor ? `&cursor=${enc(cursor)}` : ''}`),

    /** Uploads one file; the attachment is then sent in a message by its id. */
    upload: (file: File) => {
      const form = new FormData();
      form.set('file', file);
      return request<{ attachment: AttachmentDto }>('/api/uploads', { method: 'POST', body: form }).then((r) => r.attachment);
    },

    /** Everything newer than what the client holds, in one request (catch-up after a connect). */
    sync: (input: SyncInput) => request<SyncDto>('/api/sync', { method: 'POST', json: input }),

    /** My default notification level and whether notifications show message content. */
    notificationSettings: () => request<NotificationSettingsDto>('/api/me/notifications'),

    updateNotificationSettings: (changes: Partial<NotificationSettingsDto>) =>
      request<NotificationSettingsDto>('/api/me/notifications', { method: 'PATCH', json: changes }),

    /** The server's VAPID public key, for `pushManager.subscribe`. */
    pushKey: () => request<{ publicKey: string }>('/api/push/key').then((r) => r.publicKey),

    /** This browser's push subscription (`subscription.toJSON()`), for me. */
    subscribePush: (subscription: PushSubscriptionInput) => request<{ subscribed: true }>('/api/push/subscriptions', { method: 'POST', json: subscription }),

    unsubscribePush: (endpoint: string) => request<void>('/api/push/subscriptions', { method: 'DELETE', json: { endpoint } }),
  };
}

export type Api = ReturnType<typeof createApi>;

export const api = createApi();
