import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/AuthCard';
import { LoginForm } from '@/components/auth/LoginForm';
import { currentUser } from '@/lib/auth/session';
import { safeNextPath, withNext } from '@/lib/client/next-path';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Parley' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  if (await currentUser()) redirect(safeNextPath(next) ?? '/');
  return (
    <AuthCard
      title="Sign in to Parley"
      footer={
        <>
          New here?{' '}
          <Link href={withNext('/register', next)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Create an account
          </Link>
          {' · '}
          <Link href="/reset-password" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Forgot your password?
          </Link>
        </>
      }
    >
      <Suspense>
        <LoginForm />
      </Suspense>
    </AuthCard>
  );
}
