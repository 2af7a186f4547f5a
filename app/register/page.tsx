import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/AuthCard';
import { RegisterForm } from '@/components/auth/RegisterForm';
import { currentUser } from '@/lib/auth/session';
import { getAppContext } from '@/lib/context';
import { signUpPage } from '@/lib/accounts/registration';
import { safeNextPath, withNext } from '@/lib/client/next-path';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Create account · Parley' };

// Open: anyone signs up. Invite-only: the form shows with an invite link (?invite=…); the server
// checks the invite. Closed: no form. An empty server always takes its first account.
export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[]; next?: string | string[] }> }) {
  const params = await searchParams;
  const next = typeof params.next === 'string' ? params.next : undefined;
  // Signed in already (or once signed up): on to where the visitor was going (an invite link).
  if (await currentUser()) redirect(safeNextPath(next) ?? '/');
  const invite = params.invite;
  const code = typeof invite === 'string' && invite.length <= 128 ? invite : undefined;
  const { serverName, refusal } = await signUpPage(getAppContext().db, code);
  const footer = (
    <>
      Already have an account?{' '}
      <Link href={withNext('/login', next)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Sign in
      </Link>
    </>
  );
  return (
    <AuthCard title={`Join ${serverName}`} footer={footer}>
      {refusal ? (
        <p role="status" data-testid="registration-closed" className="text-sm text-slate-600 dark:text-slate-400">
          {refusal}
        </p>
      ) : (
        <Suspense>
          <RegisterForm invite={code} />
        </Suspense>
      )}
    </AuthCard>
  );
}
