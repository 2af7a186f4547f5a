// Signing this browser out: its push subscription goes first (no more notifications here for
// this account), then next-auth ends the session on the server (the cookie, and any copy of it,
// is refused from then on) and clears the cookie, and the login page opens.
import { signOut } from 'next-auth/react';
import { forgetPush } from '@/lib/client/push';

export async function signOutHere(): Promise<void> {
  // The server also drops the session's subscriptions as it ends it: a failure here is no reason to stay signed in.
  await forgetPush().catch(() => undefined);
  return signOut({ callbackUrl: '/login' });
}
