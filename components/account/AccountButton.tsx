'use client';
// Opens the account dialog (profile, password, sessions, deletion) from wherever the user menu lives.
import { useState } from 'react';
import type { UserSummary } from '@/lib/protocol';
import { Icon } from '@/components/ui/Icon';
import { AccountDialog } from './AccountDialog';

export function AccountButton({ me, className = 'icon-button' }: { me: UserSummary; className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} aria-haspopup="dialog" aria-label="Account" title="Account">
        <Icon name="user" />
      </button>
      {open ? <AccountDialog me={me} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
