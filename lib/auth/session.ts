// The signed-in user for server components (pages): the same credential check as REST and the
// socket (lib/auth/sessions.ts), so a signed-out or revoked session cookie shows no page either.
import { headers } from 'next/headers';
import { getAppContext } from '../context';
import { toUserDto } from '../chat/users';
import type { UserDto } from '../protocol';
import { readCredential } from './tokens';
import { userForCredential } from './sessions';
import { isServerAdmin } from '../admin/server-admin';

export async function currentUser(): Promise<UserDto | null> {
  const ctx = getAppContext();
  const credential = await readCredential({ headers: Object.fromEntries(await headers()) }, ctx.config.authSecret);
  const user = await userForCredential(ctx.db, credential);
  return user ? { ...toUserDto(user, user.id), isAdmin: isServerAdmin(user, ctx.config) } : null;
}
