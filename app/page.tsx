import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { ChatApp } from '@/components/chat/ChatApp';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/login');
  return <ChatApp me={{ id: user.id, username: user.username, name: user.name, avatarUrl: user.avatarUrl }} isAdmin={user.isAdmin ?? false} />;
}
