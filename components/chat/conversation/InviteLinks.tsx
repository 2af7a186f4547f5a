'use client';
// Admins' invite links for a group: make one (optionally expiring, optionally limited in uses),
// copy it, see how often it was used, revoke it.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InviteDto } from '@/lib/protocol';
import { api } from '@/lib/client/api';
import { formatLastSeen } from '@/lib/client/format';

const EXPIRY_CHOICES = [
  { value: '', label: 'Never expires' },
  { value: String(3600), label: 'Expires in 1 hour' },
  { value: String(24 * 3600), label: 'Expires in 1 day' },
  { value: String(7 * 24 * 3600), label: 'Expires in 7 days' },
];
const STATE_LABELS: Record<InviteDto['state'], string> = { valid: 'Active', expired: 'Expired', used_up: 'Used up', revoked: 'Revoked' };

const invitesKey = (conversationId: string) => ['invites', conversationId] as const;

function absoluteLink(invite: InviteDto): string {
  return typeof window === 'undefined' ? invite.path : new URL(invite.path, window.location.origin).toString();
}

export function InviteLinks({ conversationId }: { conversationId: string }) {
  const qc = useQueryClient();
  const invites = useQuery({ queryKey: invitesKey(conversationId), queryFn: () => api.listInvites(conversationId) });
  const [expiresIn, setExpiresIn] = useState('');
  const [maxUses, setMaxUses] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const uses = maxUses.trim() ? Number(maxUses) : undefined;
      const invite = await api.createInvite(conversationId, { expiresInSec: expiresIn ? Number(expiresIn) : undefined, maxUses: uses });
      qc.setQueryData<InviteDto[]>(invitesKey(conversationId), (list) => [invite, ...(list ?? [])]);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not make the link.');
    }
  }

  async function revoke(invite: InviteDto) {
    setError(null);
    try {
      const revoked = await api.revokeInvite(conversationId, invite.id);
      qc.setQueryData<InviteDto[]>(invitesKey(conversationId), (list) => list?.map((i) => (i.id === revoked.id ? revoked : i)));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not revoke the link.');
    }
  }

  async function copy(invite: InviteDto) {
    await navigator.clipboard?.writeText(absoluteLink(invite)).catch(() => undefined);
    setCopied(invite.id);
  }

  return (
    <section aria-label="Invite links" className="px-2 pt-2">
      <h3 className="px-2 pb-1 text-sm font-semibold text-slate-600 dark:text-slate-300">Invite links</h3>
      <form onSubmit={(e) => void create(e)} className="flex flex-wrap items-center gap-2 px-2">
        <select aria-label="Link expiry" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <input
          aria-label="Maximum uses"
          inputMode="numeric"
          placeholder="Any number of uses"
          value={maxUses}
          onChange={(e) => setMaxUses(e.target.value.replace(/[^0-9]/g, ''))}
          className="w-36 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <button type="submit" className="button-primary px-3 py-1 text-sm">
          Create link
        </button>
      </form>
      {error ? (
        <p role="alert" className="px-2 pt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <ul className="mt-2 space-y-1" aria-label="Links">
        {(invites.data ?? []).map((invite) => (
          <li key={invite.id} data-testid="invite-link" data-state={invite.state} className="rounded-lg px-2 py-1.5 text-xs hover:bg-slate-50 dark:hover:bg-slate-900">
            <div className="flex items-center gap-2">
              <code className="min-w-0 flex-1 truncate" data-testid="invite-url">
                {absoluteLink(invite)}
              </code>
              {invite.state === 'valid' ? (
                <>
                  <button type="button" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => void copy(invite)}>
                    {copied === invite.id ? 'Copied' : 'Copy'}
                  </button>
                  <button type="button" className="font-medium text-red-600 hover:underline" onClick={() => void revoke(invite)}>
                    Revoke
                  </button>
                </>
              ) : null}
            </div>
            <div className="text-slate-500">
              {STATE_LABELS[invite.state]} · used {invite.uses}
              {invite.maxUses !== null ? ` of ${invite.maxUses}` : ''} time{invite.uses === 1 && invite.maxUses === null ? '' : 's'}
              {invite.expiresAt && invite.state === 'valid' ? ` · expires ${new Date(invite.expiresAt).toLocaleString()}` : ''}
              {' · made '}
              {formatLastSeen(invite.createdAt)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
