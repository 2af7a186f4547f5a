'use client';
// Opens the account dialog (password, sign out everywhere) from wherever the user menu lives.
import { useState } from 'react';
import { AccountDialog } from './AccountDialog';

export function AccountButton({ className }: { className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} aria-haspopup="dialog">
        Account
      </button>
      {open ? <AccountDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
