import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { ChatApp } from '@/components/chat/ChatApp';

export const dynamic = 'force-dynamic';

/** A deep link to one conversation: the same chat screen, opened on it (ChatApp reads the id from the address). */
export default async function ConversationPage({ params }: { params: Promise<{ conversationId: string }> }) {
  const user = await currentUser();
  if (!user) {
    const { conversationId } = await params;
    redirect(`/login?next=${encodeURIComponent(`/c/${conversationId}`)}`);
  }
  return <ChatApp me={{ id: user.id, username: user.username, name: user.name, avatarUrl: user.avatarUrl }} isAdmin={user.isAdmin ?? false} />;
}
