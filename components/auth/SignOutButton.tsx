'use client';
import { Icon } from '@/components/ui/Icon';
import { signOutHere } from './sign-out';

export function SignOutButton({ className = 'icon-button' }: { className?: string }) {
  return (
    <button type="button" onClick={() => void signOutHere()} className={className} aria-label="Sign out" title="Sign out">
      <Icon name="logout" />
    </button>
  );
}
