'use client';
// What admins did, newest first.
import { useEffect, useState } from 'react';
import type { AuditEntryDto } from '@/lib/protocol';
import { adminApi } from '@/lib/client/admin-api';
import { messageOf, Notice, Section } from './ui';

const ACTION_LABELS: Record<string, string> = {
  'settings.update': 'changed server settings',
  'user.deactivate': 'deactivated',
  'user.reactivate': 'reactivated',
  'user.make_admin': 'made admin',
  'user.revoke_admin': 'revoked admin from',
  'user.reset_link': 'made a password reset link for',
  'message.remove': 'removed a message',
  'invite.create': 'created an invite link',
  'invite.revoke': 'revoked an invite link',
};

function describe(entry: AuditEntryDto): string {
  const label = ACTION_LABELS[entry.action] ?? entry.action;
  const username = typeof entry.details.username === 'string' ? ` @${entry.details.username}` : '';
  if (entry.action === 'settings.update') {
    const changed = Object.entries(entry.details)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join(', ');
    return `${label} (${changed})`;
  }
  return `${label}${username}`;
}

export function AdminAuditLog() {
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    adminApi
      .audit()
      .then((page) => {
        setEntries(page.entries);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  async function more() {
    if (!nextCursor) return;
    const page = await adminApi.audit(nextCursor);
    setEntries((list) => [...(list ?? []), ...page.entries]);
    setNextCursor(page.nextCursor);
  }

  return (
    <Section title="Audit log">
      {error ? <Notice tone="error">{error}</Notice> : null}
      <ol className="divide-y divide-slate-200 text-sm dark:divide-slate-800" aria-busy={entries === null}>
        {(entries ?? []).map((entry) => (
          <li key={entry.id} className="py-2" data-testid="audit-entry" data-action={entry.action}>
            <time dateTime={entry.createdAt} className="mr-2 text-xs text-slate-500">
              {new Date(entry.createdAt).toLocaleString()}
            </time>
            <span className="font-medium">{entry.actor.name}</span> {describe(entry)}
          </li>
        ))}
      </ol>
      {entries?.length === 0 ? <p className="text-sm text-slate-500">No admin actions yet.</p> : null}
      {nextCursor ? (
        <button type="button" className="button-secondary" onClick={() => void more()}>
          Older
        </button>
      ) : null}
    </Section>
  );
}
