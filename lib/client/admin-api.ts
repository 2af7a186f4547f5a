// Typed calls for the account page and the admin console (REST, session cookie). Errors are
// thrown as ApiError (./api.ts) with the server's message.
import type { AdminUserDto, AuditEntryDto, ServerInviteDto, ServerSettingsDto, UpdateServerSettingsInput, UserDto } from '../protocol';
import { requestAt as request } from './api';

const enc = encodeURIComponent;

export const accountApi = {
  updateName: (name: string) => request<{ user: UserDto }>('/api/me', { method: 'PATCH', json: { name } }).then((r) => r.user),
  uploadAvatar: (file: Blob) =>
    request<{ user: UserDto }>('/api/me/avatar', { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' } }).then((r) => r.user),
  removeAvatar: () => request<{ user: UserDto }>('/api/me/avatar', { method: 'DELETE' }).then((r) => r.user),
  deleteAccount: (password: string) => request<void>('/api/me', { method: 'DELETE', json: { password } }),
  resetPassword: (token: string, newPassword: string) => request<{ ok: true }>('/api/auth/password-reset/confirm', { method: 'POST', json: { token, newPassword } }),
  requestReset: (email: string) => request<{ ok: true }>('/api/auth/password-reset', { method: 'POST', json: { email } }),
};

export const adminApi = {
  settings: () => request<{ settings: ServerSettingsDto }>('/api/admin/settings').then((r) => r.settings),
  updateSettings: (input: UpdateServerSettingsInput) =>
    request<{ settings: ServerSettingsDto }>('/api/admin/settings', { method: 'PATCH', json: input }).then((r) => r.settings),
  users: (q: string, after?: string) =>
    request<{ users: AdminUserDto[]; nextCursor: string | null }>(`/api/admin/users?q=${enc(q)}${after ? `&after=${enc(after)}` : ''}`),
  updateUser: (id: string, change: { active?: boolean; admin?: boolean }) =>
    request<{ user: AdminUserDto }>(`/api/admin/users/${enc(id)}`, { method: 'PATCH', json: change }).then((r) => r.user),
  resetLink: (id: string) => request<{ url: string; expiresAt: string }>(`/api/admin/users/${enc(id)}/reset-link`, { method: 'POST' }),
  removeMessage: (id: string) => request<{ messageId: string }>(`/api/admin/messages/${enc(id)}`, { method: 'DELETE' }),
  invites: () => request<{ invites: ServerInviteDto[] }>('/api/admin/invites').then((r) => r.invites),
  createInvite: (input: { maxUses: number | null; expiresInHours: number | null }) =>
    request<{ invite: ServerInviteDto; url: string }>('/api/admin/invites', { method: 'POST', json: input }),
  revokeInvite: (id: string) => request<void>(`/api/admin/invites/${enc(id)}`, { method: 'DELETE' }),
  audit: (before?: string) => request<{ entries: AuditEntryDto[]; nextCursor: string | null }>(`/api/admin/audit${before ? `?before=${enc(before)}` : ''}`),
};
