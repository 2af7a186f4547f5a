import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { AuthCard } from '@/components/auth/AuthCard';
import { JoinByInvite } from '@/components/chat/JoinByInvite';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Join a group · Parley' };

/** An invite link: signed in, it joins the group; signed out, sign in or sign up first, then back here. */
export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  if (!(await currentUser())) redirect(`/login?next=${encodeURIComponent(`/join/${code}`)}`);
  return (
    <AuthCard
      title="Invite link"
      footer={
        <Link href="/" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to your conversations
        </Link>
      }
    >
      <JoinByInvite code={code} />
    </AuthCard>
  );
}
