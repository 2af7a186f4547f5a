'use client';
// The signed-in user's account: name and avatar, notifications (./NotificationSettings.tsx),
// change the password (every other session and device is signed out, this browser stays signed
// in with a fresh cookie), sign out everywhere, and delete the account.
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { UserSummary } from '@/lib/protocol';
import { Modal } from '@/components/ui/Modal';
import { Avatar } from '@/components/ui/Avatar';
import { accountApi } from '@/lib/client/admin-api';
import { signOutHere } from '@/components/auth/sign-out';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { NotificationSettings } from './NotificationSettings';

/** POSTs JSON with the session cookie; throws the server's message when refused. */
async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  const data = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  throw new Error(data?.error?.message ?? `Request failed (${response.status}).`);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong.');

function Alert({ tone, children }: { tone: 'error' | 'success'; children: string }) {
  const colours =
    tone === 'error' ? 'bg-red-50 text-red-700 dark:bg-red-950/50 dark:text-red-300' : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-300';
  return (
    <p role={tone === 'error' ? 'alert' : 'status'} className={`rounded-lg px-3 py-2 text-sm ${colours}`}>
      {children}
    </p>
  );
}

function ChangePasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setError(null);
    setDone(false);
    try {
      await post('/api/me/password', { currentPassword: String(data.get('currentPassword') ?? ''), newPassword: String(data.get('newPassword') ?? '') });
      form.reset();
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-labelledby="change-password-title">
      <h3 id="change-password-title" className="text-sm font-semibold">
        Change password
      </h3>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {done ? <Alert tone="success">Password changed. Your other sessions and devices were signed out.</Alert> : null}
      <div>
        <label htmlFor="current-password" className="mb-1 block text-sm font-medium">
          Current password
        </label>
        <input id="current-password" name="currentPassword" type="password" autoComplete="current-password" required className="text-input" />
      </div>
      <div>
        <label htmlFor="new-password" className="mb-1 block text-sm font-medium">
          New password
        </label>
        <input id="new-password" name="newPassword" type="password" autoComplete="new-password" required minLength={8} className="text-input" />
        <p className="mt-1 text-xs text-slate-500">At least 8 characters</p>
      </div>
      <div className="flex justify-end">
        <button type="submit" className="button-primary" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

function SignOutEverywhere() {
  const engine = useSyncEngine();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signOutEverywhere() {
    setPending(true);
    setError(null);
    try {
      await post('/api/me/sign-out-everywhere', {});
      // As the sign-out button does: what this browser still had to send is forgotten first.
      engine.forgetOutbox();
      await signOutHere();
    } catch (e) {
      setError(messageOf(e));
      setPending(false);
    }
  }

  return (
    <section className="space-y-3" aria-labelledby="sign-out-everywhere-title">
      <h3 id="sign-out-everywhere-title" className="text-sm font-semibold">
        Sessions
      </h3>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Signs out every browser and app signed in to your account, this one included, and ends their API tokens.
      </p>
      <div className="flex justify-end">
        <button type="button" className="button-danger" disabled={pending} onClick={() => void signOutEverywhere()}>
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}

function ProfileForm({ me }: { me: UserSummary }) {
  const router = useRouter();
  const [name, setName] = useState(me.name);
  const [avatarUrl, setAvatarUrl] = useState(me.avatarUrl);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function run(work: () => Promise<string>) {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
      // The page's own copy of who I am (sidebar, messages) is read again.
      router.refresh();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const user = await accountApi.updateName(name.trim());
      setName(user.name);
      return 'Name saved.';
    });
  }

  function onPick(file: File | undefined) {
    if (!file) return;
    void run(async () => {
      const user = await accountApi.uploadAvatar(file);
      setAvatarUrl(user.avatarUrl);
      return 'Picture saved.';
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-labelledby="profile-title">
      <h3 id="profile-title" className="text-sm font-semibold">
        Profile
      </h3>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
      <div className="flex items-center gap-3">
        <span data-testid="profile-avatar" data-has-picture={Boolean(avatarUrl)}>
          <Avatar id={me.id} name={name || me.name} url={avatarUrl} size="lg" />
        </span>
        <label className="button-secondary cursor-pointer">
          Upload picture
          <input
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            className="sr-only"
            aria-label="Upload picture"
            disabled={pending}
            onChange={(event) => {
              onPick(event.currentTarget.files?.[0]);
              event.currentTarget.value = '';
            }}
          />
        </label>
        {avatarUrl ? (
          <button
            type="button"
            className="button-secondary"
            disabled={pending}
            onClick={() =>
              void run(async () => {
                await accountApi.removeAvatar();
                setAvatarUrl(null);
                return 'Picture removed.';
              })
            }
          >
            Remove
          </button>
        ) : null}
      </div>
      <p className="text-xs text-slate-500">PNG, JPEG, WebP or GIF up to 5 MB; cropped to a square from the centre.</p>
      <div>
        <label htmlFor="display-name" className="mb-1 block text-sm font-medium">
          Display name
        </label>
        <input id="display-name" name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} className="text-input" />
      </div>
      <div className="flex justify-end">
        <button type="submit" className="button-primary" disabled={pending || !name.trim() || name.trim() === me.name}>
          Save name
        </button>
      </div>
    </form>
  );
}

function DeleteAccount() {
  const engine = useSyncEngine();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setPending(true);
    setError(null);
    try {
      await accountApi.deleteAccount(password);
      engine.forgetOutbox();
      await signOutHere();
    } catch (e) {
      setError(messageOf(e));
      setPending(false);
    }
  }

  return (
    <section className="space-y-3" aria-labelledby="delete-account-title">
      <h3 id="delete-account-title" className="text-sm font-semibold">
        Delete account
      </h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your name, username, e-mail, picture and password are erased and you are signed out everywhere. Messages you sent stay in their
        conversations, shown as from “Deleted user”. This cannot be undone.
      </p>
      {confirming ? (
        <form onSubmit={onSubmit} className="space-y-3">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div>
            <label htmlFor="delete-password" className="mb-1 block text-sm font-medium">
              Your password
            </label>
            <input id="delete-password" name="password" type="password" autoComplete="current-password" required className="text-input" />
          </div>
          <div className="flex justify-end gap-2">
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="submit" className="button-danger" disabled={pending}>
              Delete my account
            </button>
          </div>
        </form>
      ) : (
        <div className="flex justify-end">
          <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
            Delete account…
          </button>
        </div>
      )}
    </section>
  );
}

export function AccountDialog({ me, onClose }: { me: UserSummary; onClose: () => void }) {
  return (
    <Modal title="Account" onClose={onClose} wide>
      <div className="space-y-6">
        <ProfileForm me={me} />
        <hr className="border-slate-200 dark:border-slate-800" />
        <NotificationSettings />
        <hr className="border-slate-200 dark:border-slate-800" />
        <ChangePasswordForm />
        <hr className="border-slate-200 dark:border-slate-800" />
        <SignOutEverywhere />
        <hr className="border-slate-200 dark:border-slate-800" />
        <DeleteAccount />
      </div>
    </Modal>
  );
}
