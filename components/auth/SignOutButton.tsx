'use client';
import { signOutHere } from './sign-out';

export function SignOutButton({ className }: { className?: string }) {
  return (
    <button type="button" onClick={() => void signOutHere()} className={className}>
      Sign out
    </button>
  );
}
