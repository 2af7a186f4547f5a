'use client';
import { useState, type FormEvent } from 'react';
import { signIn } from 'next-auth/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { safeNextPath, withNext } from '@/lib/client/next-path';
import { Field, FormError, SubmitButton } from './AuthCard';

/** `invite`: the server invite code from the link (needed while registration is invite-only). */
export function RegisterForm({ invite }: { invite?: string }) {
  const router = useRouter();
  // Signing up from an invite link goes on to it.
  const next = useSearchParams().get('next');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      name: String(form.get('name') ?? '').trim() || undefined,
      email: String(form.get('email') ?? '').trim(),
      username: String(form.get('username') ?? '').trim().toLowerCase(),
      password: String(form.get('password') ?? ''),
      ...(invite ? { invite } : {}),
    };
    setPending(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const data = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(data?.error?.message ?? 'Could not create the account.');
        return;
      }
      const result = await signIn('credentials', { identifier: body.username, password: body.password, redirect: false });
      if (result?.status === 429 && result.error) {
        setError(`Your account is ready, but signing in was refused: ${result.error}`);
        return;
      }
      if (!result || result.error) {
        router.replace(withNext('/login', next));
        return;
      }
      router.replace(safeNextPath(next) ?? '/');
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormError message={error} />
      <Field label="Name" name="name" autoComplete="name" />
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field label="Username" name="username" autoComplete="username" required hint="3–32 characters: a–z, 0–9 and _" />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters" />
      <SubmitButton pending={pending}>{pending ? 'Creating account…' : 'Create account'}</SubmitButton>
    </form>
  );
}
