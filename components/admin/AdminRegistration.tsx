'use client';
// Registration: open, invite-only (server invite links, made and revoked here) or closed.
import { useEffect, useState, type FormEvent } from 'react';
import { REGISTRATION_MODES, type RegistrationMode, type ServerInviteDto } from '@/lib/protocol';
import { adminApi } from '@/lib/client/admin-api';
import { CopyableLink, messageOf, Notice, Section } from './ui';

const MODE_LABELS: Record<RegistrationMode, string> = {
  open: 'Open: anyone who reaches the server can create an account',
  'invite-only': 'Invite only: an account needs a server invite link',
  closed: 'Closed: no new accounts',
};

function inviteState(invite: ServerInviteDto): string {
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt && Date.parse(invite.expiresAt) <= Date.now()) return 'expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used up';
  return 'active';
}

export function AdminRegistration() {
  const [mode, setMode] = useState<RegistrationMode | null>(null);
  const [invites, setInvites] = useState<ServerInviteDto[]>([]);
  const [newLink, setNewLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void Promise.all([adminApi.settings(), adminApi.invites()])
      .then(([settings, list]) => {
        setMode(settings.registrationMode);
        setInvites(list);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  async function chooseMode(next: RegistrationMode) {
    const previous = mode;
    // Shown chosen at once; put back if the server refuses.
    setMode(next);
    setError(null);
    setSaved(false);
    try {
      setMode((await adminApi.updateSettings({ registrationMode: next })).registrationMode);
      setSaved(true);
    } catch (e) {
      setMode(previous);
      setError(messageOf(e));
    }
  }

  async function createInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const maxUses = Number(form.get('maxUses')) || null;
    const hours = String(form.get('expires'));
    setError(null);
    try {
      const { invite, url } = await adminApi.createInvite({ maxUses, expiresInHours: hours === 'never' ? null : Number(hours) });
      setInvites((list) => [invite, ...list]);
      setNewLink(url);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await adminApi.revokeInvite(id);
      setInvites(await adminApi.invites());
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <div className="space-y-6">
      <Section title="Who may sign up">
        {error ? <Notice tone="error">{error}</Notice> : null}
        {saved ? <Notice tone="success">Registration mode saved.</Notice> : null}
        <fieldset className="space-y-2" disabled={mode === null}>
          <legend className="sr-only">Registration mode</legend>
          {REGISTRATION_MODES.map((m) => (
            <label key={m} className="flex items-center gap-2 text-sm">
              <input type="radio" name="registrationMode" value={m} checked={mode === m} onChange={() => void chooseMode(m)} />
              {MODE_LABELS[m]}
            </label>
          ))}
        </fieldset>
      </Section>
      <Section title="Invite links">
        <form onSubmit={createInvite} className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="mb-1 block font-medium">Uses</span>
            <input name="maxUses" type="number" min={1} placeholder="unlimited" className="text-input w-32" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium">Expires</span>
            <select name="expires" defaultValue="168" className="text-input w-40">
              <option value="24">in a day</option>
              <option value="168">in a week</option>
              <option value="720">in 30 days</option>
              <option value="never">never</option>
            </select>
          </label>
          <button type="submit" className="button-primary">
            Create invite link
          </button>
        </form>
        {newLink ? <CopyableLink label="New invite link (shown once)" url={newLink} /> : null}
        <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
          {invites.map((invite) => (
            <li key={invite.id} className="flex items-center gap-3 py-2" data-testid="invite" data-state={inviteState(invite)}>
              <span className="flex-1">
                Created {new Date(invite.createdAt).toLocaleString()} · {invite.uses}
                {invite.maxUses !== null ? ` of ${invite.maxUses}` : ''} used ·{' '}
                {invite.expiresAt ? `expires ${new Date(invite.expiresAt).toLocaleString()}` : 'no expiry'} · {inviteState(invite)}
              </span>
              {inviteState(invite) === 'active' ? (
                <button type="button" className="button-secondary" onClick={() => void revoke(invite.id)}>
                  Revoke
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
