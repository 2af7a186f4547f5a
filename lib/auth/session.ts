// The signed-in user for server components (pages), from the next-auth session cookie.
import { getServerSession } from 'next-auth';
import { getAppContext } from '../context';
import { buildAuthOptions } from './next-auth';
import { findActiveUser, toUserDto } from '../chat/users';
import type { UserDto } from '../protocol';

export async function currentUser(): Promise<UserDto | null> {
  const ctx = getAppContext();
  const session = await getServerSession(buildAuthOptions(ctx));
  const userId = (session as { userId?: string } | null)?.userId;
  if (!userId) return null;
  const user = await findActiveUser(ctx.db, userId);
  return user ? toUserDto(user, user.id) : null;
}
