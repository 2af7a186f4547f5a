'use client';
// Modals on the native <dialog>: focus is trapped, Escape and the backdrop close it, and focus
// returns to whatever opened it. `DialogShell` is that behaviour with any layout (the picture
// lightbox); `Modal` is the app's usual titled card.
import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

export function DialogShell({ label, onClose, className, testId, children }: { label: string; onClose: () => void; className: string; testId?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-label={label}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // The dialog element itself is hit only on its backdrop (or on padding the layout leaves).
        if (event.target === ref.current) onClose();
      }}
      className={className}
    >
      {children}
    </dialog>
  );
}

export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <DialogShell
      label={title}
      onClose={onClose}
      className={`m-auto w-[calc(100%-2rem)] ${wide ? 'max-w-lg' : 'max-w-sm'} rounded-2xl bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:bg-slate-900 dark:text-slate-100`}
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 className="text-base font-semibold">{title}</h2>
        <button type="button" onClick={onClose} className="icon-button" aria-label="Close">
          <Icon name="close" />
        </button>
      </div>
      <div className="p-5">{children}</div>
    </DialogShell>
  );
}
