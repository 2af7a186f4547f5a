import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/AuthCard';
import { RegisterForm } from '@/components/auth/RegisterForm';
import { currentUser } from '@/lib/auth/session';
import { safeNextPath, withNext } from '@/lib/client/next-path';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Create account · Parley' };

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  if (await currentUser()) redirect(safeNextPath(next) ?? '/');
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have an account?{' '}
          <Link href={withNext('/login', next)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Sign in
          </Link>
        </>
      }
    >
      <Suspense>
        <RegisterForm />
      </Suspense>
    </AuthCard>
  );
}
