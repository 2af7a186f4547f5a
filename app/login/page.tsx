import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/AuthCard';
import { LoginForm } from '@/components/auth/LoginForm';
import { currentUser } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Parley' };

export default async function LoginPage() {
  if (await currentUser()) redirect('/');
  return (
    <AuthCard
      title="Sign in to Parley"
      footer={
        <>
          New here?{' '}
          <Link href="/register" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
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
