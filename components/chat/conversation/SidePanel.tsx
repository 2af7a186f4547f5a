// A panel beside the conversation on wide screens, over it on narrow ones (search, info, a thread).
import type { ReactNode } from 'react';
import { Icon } from '@/components/ui/Icon';

export function SidePanel({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <section
      aria-label={title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
      className={`absolute inset-0 z-30 flex flex-col bg-white lg:static lg:z-auto ${wide ? 'lg:w-[28rem]' : 'lg:w-80'} lg:shrink-0 lg:border-l lg:border-slate-200 dark:bg-slate-950 lg:dark:border-slate-800`}
    >
      <header className="flex h-16 shrink-0 items-center justify-between border-b border-slate-200 px-4 dark:border-slate-800">
        <h2 className="font-semibold">{title}</h2>
        <button type="button" onClick={onClose} className="icon-button" aria-label={`Close ${title.toLowerCase()}`}>
          <Icon name="close" />
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
    </section>
  );
}
