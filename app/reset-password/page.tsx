import Link from 'next/link';
import { Suspense } from 'react';
import { AuthCard } from '@/components/auth/AuthCard';
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Reset password · Parley' };

// Opened from a one-time reset link (?token=…), or without one to ask for a link by e-mail.
export default function ResetPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      footer={
        <Link href="/login" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign in
        </Link>
      }
    >
      <Suspense>
        <ResetPasswordForm />
      </Suspense>
    </AuthCard>
  );
}
