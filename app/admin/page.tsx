import { notFound, redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { AdminConsole } from '@/components/admin/AdminConsole';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Admin · Parley' };

// Server admins only; anyone else finds no such page (as the admin API answers 404).
export default async function AdminPage() {
  const user = await currentUser();
  if (!user) redirect('/login');
  if (!user.isAdmin) notFound();
  return <AdminConsole me={{ id: user.id, username: user.username, name: user.name, avatarUrl: user.avatarUrl }} />;
}
