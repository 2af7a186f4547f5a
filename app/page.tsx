import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { SignOutButton } from '@/components/auth/SignOutButton';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/login');
  return (
    <div className="flex h-full">
      <aside className="flex w-72 flex-col border-r border-slate-200 dark:border-slate-800">
        <header className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
          <span className="font-semibold" data-testid="current-user">
            {user.name}
          </span>
          <SignOutButton className="text-sm text-slate-600 hover:underline dark:text-slate-400" />
        </header>
        <p className="p-4 text-sm text-slate-500">No conversations yet.</p>
      </aside>
      <main className="flex flex-1 items-center justify-center text-slate-500">Select or start a conversation</main>
    </div>
  );
}
