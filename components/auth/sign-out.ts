// Signing this browser out: next-auth ends the session on the server (the cookie, and any copy
// of it, is refused from then on) and clears the cookie, then the login page opens.
import { signOut } from 'next-auth/react';

export function signOutHere(): Promise<void> {
  return signOut({ callbackUrl: '/login' });
}
