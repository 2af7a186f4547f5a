'use client';
// With a token from a reset link: choose a new password (every session of the account ends).
// Without one: ask for a link by e-mail (the server answers 503 when it cannot send e-mail).
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'next/navigation';
import Link from 'next/link';
import { Field, FormError, SubmitButton } from '@/components/auth/AuthCard';
import { accountApi } from '@/lib/client/admin-api';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong.');

export function ResetPasswordForm() {
  const token = useSearchParams().get('token');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      if (token) await accountApi.resetPassword(token, String(form.get('password') ?? ''));
      else await accountApi.requestReset(String(form.get('email') ?? '').trim());
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return token ? (
      <p role="status" className="text-sm">
        Your password was changed and every session was signed out.{' '}
        <Link href="/login" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>{' '}
        with the new one.
      </p>
    ) : (
      <p role="status" className="text-sm">
        If that address has an account, a reset link is on its way. It works once, for an hour.
      </p>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormError message={error} />
      {token ? (
        <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters" />
      ) : (
        <Field label="Email" name="email" type="email" autoComplete="email" required hint="We e-mail you a one-time link. No e-mail? Ask an admin for a reset link." />
      )}
      <SubmitButton pending={pending}>{token ? 'Set new password' : 'Send reset link'}</SubmitButton>
    </form>
  );
}
