'use client';
// Users: search; deactivate (signed out and disconnected at once) or reactivate; make or revoke
// admin; a one-time password reset link to pass on.
import { useEffect, useState } from 'react';
import type { AdminUserDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { adminApi } from '@/lib/client/admin-api';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { CopyableLink, messageOf, Notice, Section } from './ui';

export function AdminUsers({ meId }: { meId: string }) {
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query.trim(), 250);
  const [users, setUsers] = useState<AdminUserDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<{ username: string; url: string } | null>(null);
  // Bumped after a change: a list asked for before it (still on its way) must not undo it on screen.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    adminApi
      .users(q)
      .then((page) => {
        if (!current) return;
        setUsers(page.users);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => current && setError(messageOf(e)));
    return () => {
      current = false;
    };
  }, [q, generation]);

  async function more() {
    if (!nextCursor) return;
    const page = await adminApi.users(q, nextCursor);
    setUsers((list) => [...(list ?? []), ...page.users]);
    setNextCursor(page.nextCursor);
  }

  async function change(user: AdminUserDto, change: { active?: boolean; admin?: boolean }) {
    setError(null);
    try {
      const updated = await adminApi.updateUser(user.id, change);
      setUsers((list) => list?.map((u) => (u.id === updated.id ? updated : u)) ?? null);
      setGeneration((n) => n + 1);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function makeResetLink(user: AdminUserDto) {
    setError(null);
    try {
      const { url } = await adminApi.resetLink(user.id);
      setResetLink({ username: user.username, url });
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <Section title="Users">
      <label className="block">
        <span className="sr-only">Search users</span>
        <input type="search" className="text-input" placeholder="Search by name, username or e-mail" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {resetLink ? (
        <div className="rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
          <CopyableLink label={`Password reset link for @${resetLink.username} (one use, 24 hours)`} url={resetLink.url} />
        </div>
      ) : null}
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-busy={users === null}>
        {(users ?? []).map((user) => (
          <li key={user.id} className="flex flex-wrap items-center gap-3 py-3" data-testid="admin-user" data-username={user.username} data-active={user.isActive} data-admin={user.isAdmin}>
            <Avatar id={user.id} name={user.name} url={user.avatarUrl} size="sm" />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium">
                {user.name} <span className="text-slate-500">@{user.username}</span>
                {user.isAdmin ? <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">admin</span> : null}
                {!user.isActive ? <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-700 dark:bg-red-950 dark:text-red-300">deactivated</span> : null}
              </p>
              <p className="truncate text-xs text-slate-500">{user.email}</p>
            </div>
            {user.id === meId ? (
              <span className="text-xs text-slate-500">you</span>
            ) : (
              <div className="flex flex-wrap gap-2">
                {user.isActive ? (
                  <button type="button" className="button-danger" onClick={() => void change(user, { active: false })}>
                    Deactivate
                  </button>
                ) : (
                  <button type="button" className="button-secondary" onClick={() => void change(user, { active: true })}>
                    Reactivate
                  </button>
                )}
                {user.isAdmin ? (
                  <button type="button" className="button-secondary" disabled={user.adminByConfig} title={user.adminByConfig ? 'Admin by ADMIN_EMAILS' : undefined} onClick={() => void change(user, { admin: false })}>
                    Revoke admin
                  </button>
                ) : (
                  <button type="button" className="button-secondary" onClick={() => void change(user, { admin: true })}>
                    Make admin
                  </button>
                )}
                <button type="button" className="button-secondary" onClick={() => void makeResetLink(user)}>
                  Reset link
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {users?.length === 0 ? <p className="text-sm text-slate-500">No one matches.</p> : null}
      {nextCursor ? (
        <button type="button" className="button-secondary" onClick={() => void more()}>
          More
        </button>
      ) : null}
    </Section>
  );
}
